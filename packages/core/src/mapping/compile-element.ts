import { suggestion } from '../job/did-you-mean.js';
import type { Element, Object as ObjectSpec } from '../job/job-types.generated.js';
import type { DocPath } from '../job/yaml-source.js';
import type { UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import type { SourceRecord } from '../record.js';
import {
  compileValue,
  type FieldContext,
  type OutputValue,
  type PresentFn,
  type ValueFn,
} from './compile-value.js';
import { filledByProfit } from './filled-by-profit.js';
import type { ExprResults } from './row-context.js';
import { ValueReject } from './value-reject.js';

/** A compiled element: its fields (primary keys become `@Field` attributes) and sub-objects. */
export interface CompiledElement {
  /** Object name as in metainfo (the root uses the connector's root name). */
  name: string;
  fields: { id: string; attribute: boolean; read: ValueFn; present: PresentFn | undefined }[];
  /** optional: left out when every value it reads (here and below) is empty for its rows. */
  objects: { name: string; each: boolean; optional: boolean; element: CompiledElement }[];
  /** Sent as Fields.@Action. */
  action: string | undefined;
}

/** Shared state of one compileJob run. */
export type ElementContext = Omit<FieldContext, 'path' | 'fieldId' | 'display' | 'meta' | 'mandatory'> & {
  /** Enforce metainfo `mandatory` (insert) for this element and its sub-objects. */
  insert: boolean;
  /** method insert_sub: the sub-object that is inserted (mandatory applies from there down). */
  insertSub?: string | undefined;
};

/**
 * Compiles an element spec against the metainfo of its object (when known): unknown fields and
 * sub-objects, unmapped mandatory fields and bad values are reported as positioned problems.
 */
export function compileElement(
  spec: Element | ObjectSpec,
  meta: UpdateObjectMeta | undefined,
  at: { path: DocPath; name: string; ctx: ElementContext },
): CompiledElement {
  const { path, name, ctx } = at;
  const element: CompiledElement = { name, fields: [], objects: [], action: spec.action };
  const byId = new Map(meta?.fields.map((field) => [field.fieldId, field]));
  for (const [fieldId, value] of Object.entries(spec.fields)) {
    const fieldPath = [...path, 'fields', fieldId];
    const fieldMeta = byId.get(fieldId);
    if (meta && !fieldMeta) {
      const hint = suggestion(fieldId, byId.keys()) || `; fields of ${name}: ${[...byId.keys()].join(', ')}`;
      ctx.problem(fieldPath, `unknown field \`${fieldId}\` in ${name}${hint}`);
      continue;
    }
    const display = fieldMeta ? `${fieldMeta.label} (${name}.${fieldId})` : `${name}.${fieldId}`;
    const read = compileValue(value, {
      ...ctx,
      path: fieldPath,
      fieldId,
      display,
      meta: fieldMeta,
      mandatory: ctx.insert && fieldMeta?.mandatory === true && !fieldMeta.primaryKey,
    });
    if (read) element.fields.push({ id: fieldId, attribute: fieldMeta?.primaryKey === true, ...read });
  }
  if (meta && ctx.insert) {
    for (const field of meta.fields) {
      if (
        field.mandatory &&
        !field.primaryKey &&
        !Object.hasOwn(spec.fields, field.fieldId) &&
        filledByProfit(name, field.fieldId, spec.fields) === undefined
      ) {
        ctx.problem(
          [...path, 'fields'],
          `mandatory field ${field.fieldId} (${field.label}) of ${name} is not mapped; add \`${field.fieldId}: <column>\``,
        );
      }
    }
  }
  const objectsById = new Map(meta?.objects.map((object) => [object.name, object]));
  for (const [objectName, objectSpec] of Object.entries(spec.objects ?? {})) {
    const objectPath = [...path, 'objects', objectName];
    const objectMeta = objectsById.get(objectName);
    if (meta && !objectMeta) {
      const known = [...objectsById.keys()];
      const hint =
        suggestion(objectName, known) || (known.length ? `; objects of ${name}: ${known.join(', ')}` : '');
      ctx.problem(objectPath, `unknown object \`${objectName}\` in ${name}${hint}`);
      continue;
    }
    const compiled = compileElement(objectSpec, objectMeta, {
      path: objectPath,
      name: objectName,
      ctx: objectName === ctx.insertSub ? { ...ctx, insert: true } : ctx,
    });
    const optional = objectSpec.optional === true;
    if (optional && !readsValues(compiled)) {
      ctx.problem(
        [...objectPath, 'optional'],
        `optional sub-object ${objectName} reads no column (only constants), so it would always be left out; map a column or remove \`optional\``,
      );
    }
    element.objects.push({ name: objectName, each: objectSpec.each === 'row', optional, element: compiled });
  }
  return element;
}

/** True when the element or one of its sub-objects has a value that is not a constant. */
function readsValues(element: CompiledElement): boolean {
  return (
    element.fields.some((field) => field.present !== undefined) ||
    element.objects.some((object) => readsValues(object.element))
  );
}

type Json = Record<string, unknown>;

/** The rows of one document and, when the job has `expr` values, their results (one entry per row). */
export interface DocumentRows {
  records: readonly SourceRecord[];
  exprs: readonly ExprResults[] | undefined;
}

const NO_EXPRS: ExprResults = [];

/**
 * Builds the payload Element from the rows of a document: fields from the first of them, one
 * sub-element per row for `each: row` objects. Rejects are appended to `errors` with file:line.
 */
export function buildElement(element: CompiledElement, rows: DocumentRows, errors: string[]): Json {
  return new ElementBuilder(rows, errors).build(element, 0, rows.records.length);
}

/** Builds the elements of one document; its rows and reject list are fields, not arguments of every call. */
class ElementBuilder {
  readonly rows: DocumentRows;
  readonly errors: string[];

  constructor(rows: DocumentRows, errors: string[]) {
    this.rows = rows;
    this.errors = errors;
  }

  /** True when rows from..to give some value the element (or a sub-object below it) reads. */
  hasValues(element: CompiledElement, from: number, to: number): boolean {
    const rows = this.rows;
    const head = rows.records[from] as SourceRecord;
    const headExprs = rows.exprs?.[from] ?? NO_EXPRS;
    for (const field of element.fields) if (field.present?.(head, headExprs)) return true;
    for (const object of element.objects) {
      if (!object.each) {
        if (this.hasValues(object.element, from, to)) return true;
        continue;
      }
      for (let row = from; row < to; row++) if (this.hasValues(object.element, row, row + 1)) return true;
    }
    return false;
  }

  /** The Element of rows `from`..`to`: fields from the first, one sub-element per row for `each: row` objects. */
  build(element: CompiledElement, from: number, to: number): Json {
    const rows = this.rows;
    const errors = this.errors;
    const head = rows.records[from] as SourceRecord;
    const headExprs = rows.exprs?.[from] ?? NO_EXPRS;
    const out: Json = {};
    const fields: Json = {};
    let hasFields = false;
    const list = element.fields;
    for (let index = 0; index < list.length; index++) {
      const field = list[index] as CompiledElement['fields'][number];
      const value: OutputValue | undefined | ValueReject = field.read(head, headExprs);
      if (value === undefined) continue;
      if (value instanceof ValueReject) {
        errors.push(`${head.origin.file}:${head.origin.line}: ${value.message}`);
      } else if (field.attribute) {
        out[`@${field.id}`] = value;
      } else {
        fields[field.id] = value;
        hasFields = true;
      }
    }
    if (element.action) {
      fields['@Action'] = element.action;
      hasFields = true;
    }
    if (hasFields) out.Fields = fields;
    const objects = element.objects;
    if (objects.length) {
      const built: Json = {};
      for (let index = 0; index < objects.length; index++) {
        const object = objects[index] as CompiledElement['objects'][number];
        if (object.each) {
          const lines: Json[] = [];
          for (let row = from; row < to; row++) {
            if (object.optional && !this.hasValues(object.element, row, row + 1)) continue;
            lines.push(this.build(object.element, row, row + 1));
          }
          if (lines.length || !object.optional) built[object.name] = { Element: lines };
        } else if (!object.optional || this.hasValues(object.element, from, to)) {
          built[object.name] = { Element: this.build(object.element, from, to) };
        }
      }
      if (Object.keys(built).length) out.Objects = built;
    }
    return out;
  }
}
