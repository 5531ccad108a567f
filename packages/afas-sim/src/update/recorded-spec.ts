import { catalogSpec } from '../catalog/index.js';
import type { Language } from '../language.js';
import { codeKey, recordedLanguages, textsOf } from '../recorded.js';
import type { UpdateFieldMeta, UpdateMetainfo, UpdateObjectMeta } from '../update-engine.js';
import type { CodeValue, ConnectorSpec, FieldSpec, ObjectSpec } from './spec.js';

const DATA_TYPES: ReadonlySet<string> = new Set([
  'string',
  'int',
  'long',
  'decimal',
  'boolean',
  'date',
  'blob',
]);

type Docs<T> = [Language, T][];

/** The same object in every recorded language (matched by name). */
const childDocs = (docs: Docs<UpdateObjectMeta>, name: string): Docs<UpdateObjectMeta> =>
  docs.flatMap(([language, doc]) => {
    const child = doc.objects.find((object) => object.name === name);
    return child ? [[language, child] as [Language, UpdateObjectMeta]] : [];
  });

/** A code list across languages: the base language's codes are the stored ids; others differ per language only when recorded so. */
function valuesOf(docs: Docs<UpdateFieldMeta>): CodeValue[] | undefined {
  const [base] = docs;
  const list = base?.[1].values;
  if (!list) return undefined;
  const differs = docs.some(([, field]) => field.values?.some((value, i) => value.id !== list[i]?.id));
  return list.map((value, i) => {
    const codes: CodeValue['codes'] = {};
    if (differs) {
      for (const [language, field] of docs) {
        const key = codeKey(language);
        const code = field.values?.[i]?.id;
        if (key && code !== undefined) codes[key] ??= code;
      }
    }
    return {
      id: value.id,
      description: textsOf(docs.map(([language, field]) => [language, field.values?.[i]?.description ?? ''])),
      ...(Object.keys(codes).length > 0 ? { codes } : {}),
    };
  });
}

function fieldOf(docs: Docs<UpdateFieldMeta>, catalogued: ObjectSpec | undefined): FieldSpec {
  const [, base] = docs[0] as [Language, UpdateFieldMeta];
  const known = catalogued?.fields.find((field) => field.id === base.fieldId);
  const values = valuesOf(docs);
  return {
    id: base.fieldId,
    // A type the simulator does not know is validated as text, and shown as recorded.
    dataType: (DATA_TYPES.has(base.dataType) ? base.dataType : 'string') as FieldSpec['dataType'],
    label: textsOf(docs.map(([language, field]) => [language, field.label])),
    length: base.length,
    mandatory: base.mandatory,
    // What the metainfo does not say: the PUT flags AFAS publishes, else the keys.
    ...((known ? known.mandatoryPut : base.primaryKey) ? { mandatoryPut: true } : {}),
    primaryKey: base.primaryKey,
    decimals: base.decimals,
    notzero: base.notzero,
    controlType: base.controlType,
    ...(base.decimalFieldId ? { decimalFieldId: base.decimalFieldId } : {}),
    ...(values ? { values } : {}),
    ...(known?.datetime ? { datetime: true } : {}),
    ...(catalogued && !known ? { free: true } : {}),
  };
}

function objectOf(docs: Docs<UpdateObjectMeta>, catalogued: ObjectSpec | undefined): ObjectSpec {
  const [, base] = docs[0] as [Language, UpdateObjectMeta];
  return {
    name: base.name,
    fields: base.fields.map((field) =>
      fieldOf(
        docs.flatMap(([language, doc]) => {
          const same = doc.fields.find((candidate) => candidate.fieldId === field.fieldId);
          return same ? [[language, same] as [Language, UpdateFieldMeta]] : [];
        }),
        catalogued,
      ),
    ),
    objects: base.objects.map((object) =>
      objectOf(
        childDocs(docs, object.name),
        catalogued?.objects.find((candidate) => candidate.name === object.name),
      ),
    ),
    ...(catalogued?.single ? { single: true } : {}),
  };
}

/**
 * The spec of a connector from its recorded `/metainfo/update/{id}` documents (one per language):
 * fields, types, lengths, required and key flags, decimals, notzero, controlType and code lists
 * exactly as recorded, labels and code descriptions per language. Where AFAS's catalog knows the
 * connector it adds what metainfo does not carry: PUT flags, datetime fields, one-line objects; a
 * field the catalog does not list is one of the environment's free fields.
 */
export function recordedSpec(
  id: string,
  documents: Partial<Record<Language, UpdateMetainfo>>,
): ConnectorSpec | undefined {
  const docs = recordedLanguages(documents);
  if (docs.length === 0) return undefined;
  const root = objectOf(docs, catalogSpec(id));
  return {
    ...root,
    single: false,
    id,
    description: textsOf(docs.map(([language, doc]) => [language, doc.description])),
  };
}
