import type { Texts } from '../language.js';
import type { UpdateFieldMeta } from '../update-engine.js';
import type { ConnectorSpec, FieldSpec, ObjectSpec } from './spec.js';

/** A free field an environment adds to an UpdateConnector (seed `customFields`). */
export interface SeedCustomField {
  /** Field id as the environment names it, e.g. `U1234ABCD` (AFAS's free fields start with U). */
  id: string;
  /** Metainfo data type; default `string`. */
  dataType?: UpdateFieldMeta['dataType'];
  /** Maximum length in characters for strings; default 0 (no limit). */
  length?: number;
  /** Label, one text or per language (`{ nl: Lidnummer, en: Member number }`); default the id. */
  label?: string | Texts;
  /** Required on insert; default false. */
  mandatory?: boolean;
  /** Digits after the decimal point (shown in metainfo); default 0. */
  decimals?: number;
  /** Zero is refused; default false. */
  notzero?: boolean;
  /** A code list: `[{ id: A, description: Actief }]`; default none. */
  values?: { id: string; description: string | Texts }[];
  /** Name of the nested object the field belongs to (e.g. `KnBasicAddressAdr`); default the root. */
  object?: string;
}

const DATA_TYPES = ['string', 'int', 'long', 'decimal', 'boolean', 'date', 'blob'];

const texts = (value: string | Texts | undefined, fallback: string): Texts =>
  typeof value === 'string' ? { nl: value } : (value ?? { nl: fallback });

function fieldOf(custom: SeedCustomField): FieldSpec {
  return {
    id: custom.id,
    dataType: custom.dataType ?? 'string',
    label: texts(custom.label, custom.id),
    length: custom.length ?? 0,
    free: true,
    ...(custom.mandatory ? { mandatory: true } : {}),
    ...(custom.decimals !== undefined ? { decimals: custom.decimals } : {}),
    ...(custom.notzero ? { notzero: true } : {}),
    ...(custom.values
      ? { values: custom.values.map(({ id, description }) => ({ id, description: texts(description, id) })) }
      : {}),
  };
}

/** The object named `name` in the tree (the root when undefined), depth first. */
function findObject(spec: ObjectSpec, name: string | undefined): ObjectSpec | undefined {
  if (name === undefined || spec.name === name) return spec;
  for (const object of spec.objects) {
    const found = findObject(object, name);
    if (found) return found;
  }
  return undefined;
}

/** What is wrong with the custom fields of one connector, each message prefixed with its seed path. */
export function customFieldProblems(spec: ConnectorSpec | undefined, fields: unknown, at: string): string[] {
  if (!spec) return [`${at}: not an UpdateConnector of the environment`];
  if (!Array.isArray(fields)) return [`${at}: expected a list of fields ({ id, dataType, length, label })`];
  const problems: string[] = [];
  fields.forEach((field: SeedCustomField, f) => {
    const where = `${at}[${f}]`;
    if (typeof field?.id !== 'string' || !/^\w+$/.test(field.id)) {
      problems.push(`${where}.id: expected a field id such as "U1234ABCD", got ${JSON.stringify(field?.id)}`);
      return;
    }
    if (field.dataType !== undefined && !DATA_TYPES.includes(field.dataType)) {
      problems.push(`${where}.dataType: expected one of ${DATA_TYPES.join(', ')}, got ${field.dataType}`);
    }
    if (field.length !== undefined && (!Number.isInteger(field.length) || field.length < 0)) {
      problems.push(`${where}.length: expected a whole number >= 0, got ${JSON.stringify(field.length)}`);
    }
    const object = findObject(spec, field.object);
    if (!object) {
      problems.push(`${where}.object: ${spec.id} has no object ${JSON.stringify(field.object)}`);
    } else if (object.fields.some((known) => known.id === field.id)) {
      problems.push(`${where}.id: ${object.name} already has a field ${field.id}`);
    }
  });
  return problems;
}

function addTo(spec: ObjectSpec, fields: readonly SeedCustomField[], isRoot: boolean): ObjectSpec {
  const own = fields.filter((field) => (field.object === undefined ? isRoot : field.object === spec.name));
  return {
    ...spec,
    fields: [...spec.fields, ...own.map(fieldOf)],
    objects: spec.objects.map((object) => addTo(object, fields, false)),
  };
}

/** The spec with the environment's free fields appended to their objects (validated by `customFieldProblems`). */
export function withCustomFields(spec: ConnectorSpec, fields: readonly SeedCustomField[]): ConnectorSpec {
  return { ...spec, ...addTo(spec, fields, true) };
}
