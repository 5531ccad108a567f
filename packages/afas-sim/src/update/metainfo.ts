import { type Language, localize } from '../language.js';
import type { UpdateFieldMeta, UpdateMetainfo, UpdateObjectMeta } from '../update-engine.js';
import { codeIn } from './codes.js';
import type { ConnectorSpec, FieldSpec, ObjectSpec } from './spec.js';

/** 5 code table, 3 boolean, 4 date, 23 blob/memo, 1 plain (illustrative; reference §2.2 has no public mapping). */
function controlType(field: FieldSpec): number {
  if (field.controlType !== undefined) return field.controlType;
  if (field.values) return 5;
  switch (field.dataType) {
    case 'boolean':
      return 3;
    case 'date':
      return 4;
    case 'blob':
      return 23;
    default:
      return 1;
  }
}

/** A field as `/metainfo/update/{id}` shows it, keys in the order of reference §2.3. */
export function fieldMeta(field: FieldSpec, language: Language): UpdateFieldMeta {
  return {
    fieldId: field.id,
    primaryKey: field.primaryKey ?? false,
    dataType: field.dataType,
    label: localize(field.label, language),
    mandatory: field.mandatory ?? false,
    length: field.length,
    decimals: field.decimals ?? 0,
    decimalFieldId: field.decimalFieldId ?? '',
    notzero: field.notzero ?? false,
    controlType: controlType(field),
    values: field.values
      ? field.values.map((value) => ({
          id: codeIn(value, language),
          description: localize(value.description, language),
        }))
      : null,
  };
}

function objectMeta(spec: ObjectSpec, language: Language): UpdateObjectMeta {
  return {
    name: spec.name,
    fields: spec.fields.map((field) => fieldMeta(field, language)),
    objects: spec.objects.map((object) => objectMeta(object, language)),
  };
}

/** The whole metainfo document of a connector in a language. */
export function metainfoOf(spec: ConnectorSpec, language: Language): UpdateMetainfo {
  const { name, fields, objects } = objectMeta(spec, language);
  return { id: spec.id, description: localize(spec.description, language), name, fields, objects };
}
