import type { ErrorObject, ValidateFunction } from 'ajv';
import { suggestion } from './did-you-mean.js';
import type { JobProblem } from './errors.js';
import { excerpt, excerptValue } from './excerpt.js';
import { validateConnection, validateJob } from './job-validator.generated.js';
import { patternProblems } from './pattern-problems.js';
import type { DocPath, YamlSource } from './yaml-source.js';

// Precompiled by scripts/generate-schema.ts (ajv standalone): no schema is compiled at run time.
const jobValidator = validateJob as ValidateFunction;
const connectionValidator = validateConnection as ValidateFunction;

/** Every schema problem of `data` (the whole job), each at its own file:line:col. */
export function validateJobSchema(source: YamlSource, data: unknown): JobProblem[] {
  return [...validateWith(jobValidator, data, { source, base: [] }), ...patternProblems(source, data)].sort(
    (a, b) => a.line - b.line || a.col - b.col,
  );
}

/** Every schema problem of one connection found at `base` in a connections file. */
export function validateConnectionSchema(source: YamlSource, data: unknown, base: DocPath): JobProblem[] {
  return validateWith(connectionValidator, data, { source, base });
}

/** Where validated data sits: the file and the document path of its root. */
interface DataAt {
  source: YamlSource;
  base: DocPath;
}

function validateWith(validate: ValidateFunction, data: unknown, { source, base }: DataAt): JobProblem[] {
  if (validate(data)) return [];
  return uniqueProblems(explain(validate.errors ?? []).map((error) => toProblem(source, error, { base })));
}

/** `problems` without repeats (same line, column and message), in file order. */
export function uniqueProblems(problems: readonly JobProblem[]): JobProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((problem) => {
      const id = `${problem.line}:${problem.col}:${problem.message}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

const jsType = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : Number.isInteger(value)
        ? 'integer'
        : typeof value === 'object'
          ? 'object'
          : typeof value;

/**
 * Resolves `anyOf` failures to what the user meant: branches whose type does not match the value
 * are dropped; when no branch matches the type, one "expected A or B" error replaces them.
 */
function explain(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((error) => error.keyword === 'anyOf');
  const unionPaths = new Set(unions.map((error) => error.instancePath));
  const out: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf') continue;
    if (error.keyword === 'type' && unionPaths.has(error.instancePath)) continue;
    out.push(error);
  }
  for (const union of unions) {
    const path = union.instancePath;
    const inside = out.some(
      (error) => error.instancePath === path || error.instancePath.startsWith(`${path}/`),
    );
    if (inside) continue;
    const branches = (union.schema as { type?: string | string[]; $ref?: string; enum?: unknown[] }[]).map(
      (branch) => branch.type ?? (branch.$ref ? 'object' : 'value'),
    );
    const expected = [...new Set(branches.flat())];
    out.push({ ...union, keyword: 'type', params: { type: expected.join(' or ') } });
  }
  return out;
}

/** The document path an ajv error points at, below `base`. */
export function errorPath(error: ErrorObject, base: DocPath = []): (string | number)[] {
  return [
    ...base,
    ...error.instancePath
      .split('/')
      .slice(1)
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  ];
}

/** Where toProblem places an error and how it names the document. */
export interface ToProblemOptions {
  /** The document path the validated data sits at; default the root. */
  base?: DocPath;
  /** What the message calls the document when the error's path is empty; default `the job`. */
  whole?: string;
}

/** One ajv error as a problem at its file:line:col. */
export function toProblem(
  source: YamlSource,
  error: ErrorObject,
  { base = [], whole = 'the job' }: ToProblemOptions = {},
): JobProblem {
  const display = (at: readonly (string | number)[]): string => (at.length ? `\`${at.join('.')}\`` : whole);
  const path = errorPath(error, base);
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  const got = excerptValue(data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {}).filter(
        (name) => name !== '$schema',
      );
      const hint =
        (key.length <= 100 && suggestion(key, allowed)) || `; expected one of ${allowed.join(', ')}`;
      return source.problem(
        [...path, key],
        `unknown key \`${excerpt(key)}\` in ${display(path)}${hint}`,
        'key',
      );
    }
    case 'required':
      return source.problem(
        path,
        `${display(path)} is missing required key \`${String(params.missingProperty)}\``,
        path.length ? 'key' : 'value',
      );
    case 'type':
      return source.problem(
        path,
        `${display(path)} must be ${String(params.type)}, got ${jsType(data)} ${got}`,
      );
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof data === 'string' && data.length <= 100 ? suggestion(data, allowed) : '';
      return source.problem(path, `${display(path)} must be one of ${allowed.join(', ')}, got ${got}${hint}`);
    }
    case 'minProperties':
    case 'maxProperties':
      if (path.at(-1) === 'source') {
        const keys = Object.keys((data ?? {}) as object);
        return source.problem(
          path,
          `\`source\` needs exactly one of csv, json, jsonl, get_connector, got ${keys.length ? keys.join(' and ') : 'none'}`,
        );
      }
      return source.problem(path, `${display(path)} ${error.message ?? 'is invalid'}`);
    case 'pattern':
      return source.problem(
        path,
        `${display(path)} must match ${String(params.pattern)} (lower case letters, digits, . _ -), got ${got}`,
      );
    case 'minItems':
      return source.problem(
        path,
        `${display(path)} must list at least ${String(params.limit)} item(s), got ${got}`,
      );
    case 'minLength':
      return source.problem(path, `${display(path)} must not be empty`);
    case 'minimum':
    case 'maximum':
      return source.problem(
        path,
        `${display(path)} must be ${String(params.comparison)} ${String(params.limit)}, got ${got}`,
      );
    default:
      return source.problem(path, `${display(path)} ${error.message ?? 'is invalid'}, got ${got}`);
  }
}
