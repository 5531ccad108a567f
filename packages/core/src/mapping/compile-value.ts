import { createRequire } from 'node:module';
import type jsonataType from 'jsonata';
import type { Language } from '../job/connections.js';
import { excerpt } from '../job/excerpt.js';
import type { Value, ValueSpec } from '../job/job-types.generated.js';
import type { DocPath } from '../job/yaml-source.js';
import type { UpdateFieldMeta } from '../metainfo/update-metainfo.js';
import type { SourceRecord } from '../record.js';
import { type CodeLookup, compileCodes, describeValues } from './codes.js';
import { type Converter, compileConverter, type ValueType } from './convert.js';
import type { ThousandsOption } from './parse-decimal.js';
import { type ExprResults, readColumn, readExpr } from './row-context.js';
import { compileTemplate } from './template.js';
import { charLength, truncateChars } from './truncate.js';
import { ValueReject } from './value-reject.js';

/** JSONata, loaded on the first `expr` (it costs ~10 MB of memory a job without expr never needs). */
let jsonataModule: typeof jsonataType | undefined;
const jsonata = (expression: string) => {
  jsonataModule ??= createRequire(import.meta.url)('jsonata') as typeof jsonataType;
  return jsonataModule(expression);
};

/** A value as it goes into the payload. */
export type OutputValue = string | number | boolean;

/** Reads and converts one field of one row: a value, undefined (leave the field out) or a reject. */
export type ValueFn = (record: SourceRecord, exprs: ExprResults) => OutputValue | undefined | ValueReject;

/**
 * True when the value has something to map for this row: its column, the columns of its
 * template or its expr give a value that is not empty (after trim, when trimmed). Constants and
 * defaults do not count. Decides `optional: true` sub-objects.
 */
export type PresentFn = (record: SourceRecord, exprs: ExprResults) => boolean;

/** A compiled value: how to read it and, unless it is a constant, whether the row has it. */
export interface CompiledValue {
  read: ValueFn;
  /** undefined for a constant (it is there for every row). */
  present: PresentFn | undefined;
}

/** A JSONata expression evaluated (asynchronously) before the row is mapped. */
export interface ExprSlot {
  evaluate(input: unknown): Promise<unknown>;
}

/** What compileValue needs to know about the field. */
export interface FieldContext {
  /** Path of the value in the job file, for problems. */
  path: DocPath;
  fieldId: string;
  /** Label for messages: `Kenmerk rekening (FiEntries.VaAs)`. */
  display: string;
  meta: UpdateFieldMeta | undefined;
  language: Language;
  /** Decimal mark declared by the source; default `.`. */
  sourceDecimal: '.' | ',';
  /** Thousands separator declared by the source, if any. */
  sourceThousands?: ThousandsOption | undefined;
  /** Reject empty values: metainfo says mandatory and the method inserts. */
  mandatory: boolean;
  problem(path: DocPath, message: string): void;
  exprs: ExprSlot[];
  /** Columns the mapping reads and where each is first named, for the header check. */
  columns: Map<string, DocPath>;
}

const META_TYPES: Record<string, ValueType> = {
  int: 'int',
  long: 'int',
  decimal: 'decimal',
  date: 'date',
  boolean: 'boolean',
};

/** Compiles one value of the mapping once; returns undefined (after reporting problems) when it cannot work. */
export function compileValue(value: Value, ctx: FieldContext): CompiledValue | undefined {
  const spec: ValueSpec =
    typeof value === 'string' ? { column: value } : typeof value === 'object' ? value : { const: value };
  const forms = (['column', 'const', 'template', 'expr'] as const).filter((form) => spec[form] !== undefined);
  if (forms.length !== 1) {
    ctx.problem(
      ctx.path,
      forms.length === 0
        ? `\`${ctx.fieldId}\` needs one of column, const, template or expr`
        : `\`${ctx.fieldId}\` has ${forms.join(' and ')}; give exactly one of column, const, template or expr`,
    );
    return undefined;
  }
  const read = compileRead(spec, ctx);
  const finish = compileFinish(spec, ctx);
  if (!read || !finish) return undefined;
  if (spec.const !== undefined) {
    const constant = finish(String(spec.const));
    if (constant instanceof ValueReject) {
      ctx.problem([...ctx.path, ...(typeof value === 'object' ? ['const'] : [])], constant.message);
      return undefined;
    }
    return { read: () => constant, present: undefined };
  }
  const trim = spec.trim ?? true;
  const present = compilePresent(spec, read, trim);
  const column = spec.column;
  if (column !== undefined) {
    // The hot path: a CSV cell is a string; anything else goes through the general reader.
    return {
      read: (record, exprs) => {
        const value = record.fields[column];
        if (typeof value === 'string') return finish(trim ? trimmed(value) : value);
        const raw = read(record, exprs);
        if (raw instanceof ValueReject) return raw;
        return finish(raw === undefined ? undefined : trim ? raw.trim() : raw);
      },
      present,
    };
  }
  return {
    read: (record, exprs) => {
      const raw = read(record, exprs);
      if (raw instanceof ValueReject) return raw;
      return finish(raw === undefined ? undefined : trim ? raw.trim() : raw);
    },
    present,
  };
}

/**
 * Whether a row has the value, before `default`: a template has it when one of its columns is not
 * empty (its literal text alone does not count); a reject (a list where a value belongs) counts as
 * there, so that it is reported.
 */
function compilePresent(spec: ValueSpec, read: Reader, trim: boolean): PresentFn {
  const filled = (raw: string | undefined | ValueReject): boolean =>
    raw instanceof ValueReject || (raw !== undefined && (trim ? raw.trim() : raw) !== '');
  if (spec.template !== undefined) {
    const columns = compileTemplate(spec.template).columns;
    return (record) => columns.some((column) => filled(readColumn(record, column, column)));
  }
  return (record, exprs) => filled(read(record, exprs));
}

/** `text.trim()`, without the call when both ends are printable ASCII (nearly every cell). */
function trimmed(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? text : text.trim();
}

type Reader = (record: SourceRecord, exprs: ExprResults) => string | undefined | ValueReject;

function compileRead(spec: ValueSpec, ctx: FieldContext): Reader | undefined {
  if (spec.const !== undefined) return () => String(spec.const);
  if (spec.column !== undefined) {
    const column = spec.column;
    if (!ctx.columns.has(column)) ctx.columns.set(column, ctx.path);
    // Fast path: CSV cells are strings; everything else goes through readColumn.
    return (record) => {
      const value = record.fields[column];
      return typeof value === 'string' ? value : readColumn(record, column, ctx.display);
    };
  }
  if (spec.template !== undefined) {
    try {
      const template = compileTemplate(spec.template);
      for (const column of template.columns) if (!ctx.columns.has(column)) ctx.columns.set(column, ctx.path);
      return (record) => {
        let bad: ValueReject | undefined;
        const text = template.render((column) => {
          const got = readColumn(record, column, ctx.display);
          if (got instanceof ValueReject) bad = got;
          return got instanceof ValueReject ? undefined : got;
        });
        return bad ?? text;
      };
    } catch (error) {
      ctx.problem([...ctx.path, 'template'], (error as Error).message);
      return undefined;
    }
  }
  try {
    const source = spec.expr ?? '';
    const expression = jsonata(source);
    // A record the expression cannot evaluate (a function given null, a type error) is that
    // record's rejection, not the run's end: the failure becomes the slot's value.
    const failed = (error: unknown): ValueReject => exprFailure(source, error);
    const evaluate = (input: unknown): Promise<unknown> => {
      try {
        return expression.evaluate(input).then(undefined, failed);
      } catch (error) {
        return Promise.resolve(failed(error));
      }
    };
    const index = ctx.exprs.push({ evaluate }) - 1;
    return (_record, exprs) => readExpr(exprs, index, ctx.display);
  } catch (error) {
    const { message, position } = error as { message: string; position?: number };
    ctx.problem(
      [...ctx.path, 'expr'],
      `invalid JSONata in expr${position ? ` at offset ${position}` : ''}: ${message}`,
    );
    return undefined;
  }
}

/** Why `expr` failed on a record, as the record's rejection (JSONata's code and message). */
function exprFailure(expr: string, error: unknown): ValueReject {
  const { message, code, position } = error as { message?: string; code?: string; position?: number };
  const where = position ? ` at offset ${position}` : '';
  return new ValueReject(
    `expr \`${expr}\` failed on this record${where}: ${message ?? String(error)}${code ? ` (JSONata ${code})` : ''}; guard the expression against the value (e.g. \`$exists(x) ? … : …\`) or fix the input`,
  );
}

type Finisher = (text: string | undefined) => OutputValue | undefined | ValueReject;

function compileFinish(spec: ValueSpec, ctx: FieldContext): Finisher | undefined {
  const { meta, display } = ctx;
  const type: ValueType = spec.type ?? META_TYPES[meta?.dataType ?? ''] ?? 'string';
  let convert: Converter;
  try {
    convert = compileConverter(type, {
      date: spec.date,
      decimal: spec.decimal ?? ctx.sourceDecimal,
      thousands: spec.thousands ?? ctx.sourceThousands,
      display,
    });
  } catch (error) {
    ctx.problem([...ctx.path, 'date'], (error as Error).message);
    return undefined;
  }
  let codes: CodeLookup | undefined;
  if (spec.codes) {
    try {
      codes = compileCodes(spec.codes, ctx.language, meta ? meta.values : undefined);
    } catch (error) {
      ctx.problem([...ctx.path, 'codes'], `\`${ctx.fieldId}\`: ${(error as Error).message}`);
      return undefined;
    }
  }
  const fallback = spec.default === undefined ? undefined : String(spec.default);
  const required = spec.required === true || ctx.mandatory;
  const maxLength =
    spec.max_length ?? (type === 'string' && meta && meta.length > 0 ? meta.length : undefined);
  const truncate = spec.on_overflow === 'truncate';
  const allowed = meta?.values ? new Set(meta.values.map((value) => value.id)) : undefined;
  const notZero = meta?.notzero === true;
  const maxDecimals = type === 'decimal' && meta && meta.decimals > 0 ? meta.decimals : undefined;
  return (input) => {
    let text = input;
    if (text === undefined || text === '') text = fallback;
    if (text === undefined || text === '') {
      return required ? new ValueReject(`${display} is required but empty`) : undefined;
    }
    if (codes) {
      const code = codes(text);
      if (code === undefined) {
        return new ValueReject(
          `${display}: no code has the description "${excerpt(text)}"; allowed: ${describeValues(meta?.values ?? [])}`,
        );
      }
      text = code;
    }
    if (allowed && !allowed.has(text)) {
      return new ValueReject(
        `${display}: "${excerpt(text)}" is not an allowed value; allowed: ${describeValues(meta?.values ?? [])}`,
      );
    }
    if (maxLength !== undefined && text.length > maxLength && charLength(text) > maxLength) {
      if (!truncate) {
        return new ValueReject(
          `${display}: "${excerpt(text)}" is ${charLength(text)} characters, at most ${maxLength} allowed; shorten it or set on_overflow: truncate`,
        );
      }
      text = truncateChars(text, maxLength);
    }
    const out = convert(text);
    if (out instanceof ValueReject) return out;
    if (notZero && (out === 0 || out === '0')) return new ValueReject(`${display} must not be 0`);
    if (maxDecimals !== undefined && typeof out === 'string') {
      const dot = out.indexOf('.');
      if (dot >= 0 && out.length - dot - 1 > maxDecimals) {
        return new ValueReject(
          `${display}: ${out} has ${out.length - dot - 1} decimals, at most ${maxDecimals} allowed`,
        );
      }
    }
    return out;
  };
}
