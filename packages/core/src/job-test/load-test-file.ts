import { basename, dirname, join, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Language } from '../job/connections.js';
import { JobInvalidError, type JobProblem } from '../job/errors.js';
import { excerptValue } from '../job/excerpt.js';
import { validateJobTest } from '../job/job-validator.generated.js';
import { requireMapping } from '../job/load-job.js';
import { readYamlFile } from '../job/read-job-text.js';
import { errorPath, toProblem as schemaProblem, uniqueProblems } from '../job/validate-schema.js';
import { type DocPath, YamlSource } from '../job/yaml-source.js';

/** A scalar of an inline row. */
export type RowValue = string | number | boolean | null;

/** One expected request. */
export interface ExpectedRequest {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
}

/** One expected reject: the key, and a substring (message) or the whole message (exact). */
export interface ExpectedReject {
  key: string;
  message?: string;
  exact?: string;
}

/** One case of a test file. */
export interface JobTestCase {
  name: string;
  /** Index in `cases`, for positions. */
  index: number;
  /** 1-based line of the case in the test file. */
  line: number;
  language?: Language;
  /** Inline rows, each with the line it is written on. */
  rows?: { fields: Record<string, RowValue>; line: number }[];
  /** Absolute path of the input file. */
  file?: string;
  /** partial: only the fields the expected bodies name are compared. */
  match: 'exact' | 'partial';
  requests: ExpectedRequest[];
  rejects: ExpectedReject[];
}

/** A parsed and validated test file. */
export interface JobTestFile {
  /** Absolute path of the test file. */
  file: string;
  /** Absolute path of the job under test. */
  job: string;
  /** Metainfo fixture template, absolute, with {connector} and {language}. */
  metainfo: string;
  language?: Language;
  cases: JobTestCase[];
  source: YamlSource;
}

/** The test-file schema, precompiled by scripts/generate-schema.ts. */
const validator = validateJobTest as ValidateFunction;

/** Reads a `*.test.yaml`; throws JobInvalidError with every problem at file:line:col, JobFileError when unreadable. */
export async function loadTestFile(path: string): Promise<JobTestFile> {
  const { file, text } = await readYamlFile(path, 'test file');
  return parseTestFile(file, text);
}

/** Like loadTestFile, for text held in memory. */
export function parseTestFile(file: string, text: string): JobTestFile {
  const source = new YamlSource(file, text);
  if (source.problems.length) throw new JobInvalidError(source.problems);
  const data = source.toJS();
  requireMapping(source, data, 'test file');
  const problems: JobProblem[] = validator(data)
    ? []
    : (validator.errors ?? []).filter(useful).map((error) => toProblem(source, error));
  const raw = (problems.length ? {} : data) as RawFile;
  (raw.cases ?? []).forEach((item, index) => {
    const has = [item.rows !== undefined, item.file !== undefined].filter(Boolean).length;
    if (has !== 1) {
      const got = has === 0 ? 'neither' : 'both';
      problems.push(
        source.problem(
          ['cases', index],
          `case \`${item.name}\` needs exactly one of rows or file, got ${got}`,
        ),
      );
    }
    (item.expect.rejects ?? []).forEach((reject, at) => {
      if (reject.message !== undefined && reject.exact !== undefined) {
        problems.push(
          source.problem(
            ['cases', index, 'expect', 'rejects', at, 'exact'],
            'a reject takes message (a part of the text) or exact (the whole text), not both',
            'key',
          ),
        );
      }
    });
  });
  if (problems.length) throw new JobInvalidError(uniqueProblems(problems));
  const dir = dirname(file);
  const stem = basename(file).replace(/\.test\.ya?ml$/i, '');
  return {
    file,
    job: resolve(dir, raw.job ?? `${stem}.yaml`),
    metainfo: resolve(dir, raw.metainfo ?? join('fixtures', '{connector}.{language}.json')),
    ...(raw.language ? { language: raw.language } : {}),
    cases: (raw.cases ?? []).map((item, index) => ({
      name: item.name,
      index,
      line: source.problem(['cases', index], '').line,
      ...(item.language ? { language: item.language } : {}),
      ...(item.rows
        ? {
            rows: item.rows.map((fields, at) => ({
              fields,
              line: source.problem(['cases', index, 'rows', at], '').line,
            })),
          }
        : {}),
      ...(item.file ? { file: resolve(dir, item.file) } : {}),
      match: item.expect.match ?? 'exact',
      requests: item.expect.requests ?? [],
      rejects: item.expect.rejects ?? [],
    })),
    source,
  };
}

interface RawFile {
  job?: string;
  metainfo?: string;
  language?: Language;
  cases?: {
    name: string;
    language?: Language;
    rows?: Record<string, RowValue>[];
    file?: string;
    expect: { match?: 'exact' | 'partial'; requests?: ExpectedRequest[]; rejects?: ExpectedReject[] };
  }[];
}

/** Drops the echoes of a `$ref`/type mismatch that add nothing to the error they accompany. */
const useful = (error: ErrorObject): boolean => error.keyword !== 'if';

const display = (path: DocPath): string => (path.length ? `\`${path.join('.')}\`` : 'the test file');

/** Like the job's schema problems, except the wording of `type` and `minItems`. */
function toProblem(source: YamlSource, error: ErrorObject): JobProblem {
  const path = errorPath(error);
  const params = error.params as Record<string, unknown>;
  const data = error.data;
  const got = excerptValue(data);
  switch (error.keyword) {
    case 'type':
      return source.problem(
        path,
        `${display(path)} must be ${[params.type].flat().join(' or ')}, got ${got}`,
      );
    case 'minItems':
      return source.problem(path, `${display(path)} must list at least ${String(params.limit)} item(s)`);
    default:
      return schemaProblem(source, error, { whole: 'the test file' });
  }
}
