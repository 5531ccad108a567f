import type { Row, Value } from '../db.js';
import type { Language, Texts } from '../language.js';
import { coerce } from './coerce.js';
import { doesNotExist, mandatory, singleLine, unknownField, unknownObject } from './messages.js';
import type { Action, RawElement } from './normalize.js';
import { referenceExists } from './references.js';
import type { ObjectSpec } from './spec.js';

/** A validated Element: every value converted to its stored form, every sub-object known. */
export interface Element {
  spec: ObjectSpec;
  path: string;
  /** Values sent (attributes and Fields), by field id; null means "empty/clear". */
  values: Map<string, Value>;
  action?: Action;
  objects: Map<string, Element[]>;
}

export interface ValidateOptions {
  language: Language;
  /** Text for a sub-object that refuses several lines; `{object}` is replaced. */
  singleLineTexts: Texts;
  /** Accept any well-formed value in reference fields (countries) instead of checking Profit's table. */
  openReferences?: boolean;
}

/** The static pass over one element and its sub-objects: unknown ids, types, lengths, codes, notzero. */
export function validateElement(raw: RawElement, spec: ObjectSpec, options: ValidateOptions): Element {
  const values = new Map<string, Value>();
  for (const [id, value] of [...Object.entries(raw.attributes), ...Object.entries(raw.fields)]) {
    const field = spec.fields.find((candidate) => candidate.id === id);
    if (!field) throw unknownField(id, spec.name);
    const coerced = coerce(field, value, options.language);
    if (!options.openReferences && typeof coerced === 'string' && !referenceExists(id, coerced)) {
      throw doesNotExist(field.label);
    }
    values.set(id, coerced);
  }
  const objects = new Map<string, Element[]>();
  for (const [name, list] of raw.objects) {
    const child = spec.objects.find((candidate) => candidate.name === name);
    if (!child) throw unknownObject(name, spec.name);
    const all = [...(objects.get(name) ?? []), ...list.map((item) => validateElement(item, child, options))];
    if (child.single && all.length > 1) throw singleLine(options.singleLineTexts, name);
    objects.set(name, all);
  }
  return { spec, path: raw.path, values, ...(raw.action ? { action: raw.action } : {}), objects };
}

/**
 * Fails with Profit's mandatory message for the first required field without a value: on insert
 * what the connector enforces (`enforced`, else AFAS's POST flag), on update AFAS's PUT flag.
 */
export function requireMandatory(
  element: Element,
  except: readonly string[] = [],
  action: 'insert' | 'update' = 'insert',
): void {
  for (const field of element.spec.fields) {
    const required = action === 'update' ? field.mandatoryPut : (field.enforced ?? field.mandatory);
    if (!required || except.includes(field.id)) continue;
    if (!has(element, field.id)) throw mandatory(field.label);
  }
}

export const has = (element: Element, id: string): boolean => {
  const value = element.values.get(id);
  return value !== undefined && value !== null;
};

export const str = (element: Element, id: string): string | undefined => {
  const value = element.values.get(id);
  return value === undefined || value === null ? undefined : String(value);
};

export const bool = (element: Element, id: string): boolean => element.values.get(id) === true;

/** The elements of a sub-object (empty when absent). */
export const children = (element: Element, name: string): Element[] => element.objects.get(name) ?? [];

/** The label of a field of the element's object (falls back to the id). */
export const labelOf = (spec: ObjectSpec, id: string): Texts =>
  spec.fields.find((field) => field.id === id)?.label ?? { nl: id };

/**
 * The columns of a row for the values sent: `{ LaNm: 'LastName' }` -> `{ LastName: … }`; decimals
 * become numbers. The environment's free fields (`U1234ABCD`) are kept under their own ids.
 */
export function toRow(element: Element, columns: Record<string, string>): Row {
  const row: Row = {};
  for (const [id, column] of Object.entries(columns)) {
    if (!element.values.has(id)) continue;
    const value = element.values.get(id) ?? null;
    const decimal = element.spec.fields.find((field) => field.id === id)?.dataType === 'decimal';
    row[column] = decimal && typeof value === 'string' ? Number(value) : value;
  }
  for (const field of element.spec.fields) {
    if (field.free && element.values.has(field.id)) row[field.id] = element.values.get(field.id) ?? null;
  }
  return row;
}
