import { formatAfasDateTime } from './dates.js';
import { AfasQueryError } from './errors.js';

/** A field or key value; Dates are sent as Amsterdam local `YYYY-MM-DDTHH:mm:ss`. */
export type PayloadValue = string | number | boolean | Date | null;

/** Per-element action, placed in `Fields.@Action`. */
export type ElementAction = 'insert' | 'update' | 'delete';

/** One element of an UpdateConnector body. */
export interface ElementSpec {
  /** Key fields, sent as `@Key` attributes on the Element. */
  keys?: Record<string, PayloadValue>;
  /** Fields, sent under `Fields`. */
  fields?: Record<string, PayloadValue>;
  /** Action for this element, sent as `Fields.@Action`. */
  action?: ElementAction;
  /** Sub-objects by name, each one element or several. */
  objects?: Record<string, ElementSpec | ElementSpec[]>;
}

/** A JSON UpdateConnector body: `{ Root: { Element: … } }`. */
export type UpdateBody = Record<string, { Element: unknown }>;

function wireValue(value: PayloadValue): string | number | boolean | null {
  return value instanceof Date ? formatAfasDateTime(value) : value;
}

function element(spec: ElementSpec, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec.keys ?? {})) {
    out[key.startsWith('@') ? key : `@${key}`] = wireValue(value);
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec.fields ?? {})) fields[key] = wireValue(value);
  if (spec.action !== undefined) {
    if (!['insert', 'update', 'delete'].includes(spec.action)) {
      throw new AfasQueryError(
        `Expected the action of ${path} to be insert, update or delete, got ${JSON.stringify(spec.action)}.`,
      );
    }
    fields['@Action'] = spec.action;
  }
  if (Object.keys(fields).length > 0) out.Fields = fields;
  const objects = Object.entries(spec.objects ?? {});
  if (objects.length > 0) {
    out.Objects = Object.fromEntries(
      objects.map(([name, sub]) => [name, { Element: elements(sub, `${path}.${name}`) }]),
    );
  }
  return out;
}

function elements(spec: ElementSpec | ElementSpec[], path: string): unknown {
  if (Array.isArray(spec)) {
    if (spec.length === 0)
      throw new AfasQueryError(`Expected at least one element at ${path}, got an empty array.`);
    return spec.length === 1
      ? element(spec[0]!, `${path}[0]`)
      : spec.map((s, i) => element(s, `${path}[${i}]`));
  }
  return element(spec, path);
}

/**
 * Build `{ Root: { Element } }` from element specs: keys become `@Key` attributes, the action goes in
 * `Fields.@Action`, `Objects` is a map of `{ Element }`, and several elements become an array.
 */
export function buildUpdateBody(root: string, spec: ElementSpec | ElementSpec[]): UpdateBody {
  if (typeof root !== 'string' || root === '')
    throw new AfasQueryError(`Expected a root object name, got ${JSON.stringify(root)}.`);
  return { [root]: { Element: elements(spec, root) } };
}
