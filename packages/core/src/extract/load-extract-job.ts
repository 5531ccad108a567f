import { dirname } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { lookupConnection, type ResolvedConnection, resolveConnection } from '../job/connections.js';
import { JobInvalidError, type JobProblem } from '../job/errors.js';
import { excerpt, excerptValue } from '../job/excerpt.js';
import { interpolate } from '../job/interpolate.js';
import { jobSchema } from '../job/job-schema.js';
import type { Connection, File_output, Job } from '../job/job-types.generated.js';
import { validateFileOutput } from '../job/job-validator.generated.js';
import { type LoadJobOptions, readJobFile, requireMapping } from '../job/load-job.js';
import { validateJobSchema } from '../job/validate-schema.js';
import { type DocPath, YamlSource } from '../job/yaml-source.js';

/** A job whose target is a file (`target: { file: out.csv }`); `key` is optional (incremental de-duplication). */
export type ExtractJob = Omit<Job, 'target' | 'key'> & { key?: string; target: File_output };

/** An extract job that parsed and matched the schema. */
export interface LoadedExtractJob {
  /** Absolute path of the job file. */
  file: string;
  /** Directory of the job file; output paths are relative to it. */
  dir: string;
  job: ExtractJob;
  source: YamlSource;
  /** The job's connection, unless skipped. */
  connection?: ResolvedConnection;
  /** The connection of `source.get_connector.connection`, else the job's. */
  sourceConnection?: ResolvedConnection;
}

/** Stands in for the update target while the rest of the job is checked by the job schema. */
const PLACEHOLDER_TARGET = { update_connector: 'GetConnector', element: { fields: {} } };

/** file_output with the job's definitions, precompiled by scripts/generate-schema.ts. */
const fileOutput = validateFileOutput as ValidateFunction;

function targetProblems(source: YamlSource, target: unknown): JobProblem[] {
  if (fileOutput(target)) return [];
  return (fileOutput.errors ?? []).map((error) => {
    const path: (string | number)[] = ['target', ...error.instancePath.split('/').slice(1)];
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(jobSchema.definitions.file_output.properties).join(', ');
      return source.problem(
        [...path, key],
        `unknown key \`${excerpt(key)}\` in \`target\` of an extract; expected one of ${allowed}`,
        'key',
      );
    }
    if (error.keyword === 'required') {
      return source.problem(path, '`target` of an extract needs `file` (e.g. file: out/rows.csv)');
    }
    const got = excerptValue(error.data ?? null);
    if (error.keyword === 'enum') {
      const allowed = (params.allowedValues as unknown[]).join(', ');
      return source.problem(path, `\`${path.join('.')}\` must be one of ${allowed}, got ${got}`);
    }
    return source.problem(path, `\`${path.join('.')}\` ${error.message ?? 'is invalid'}, got ${got}`);
  });
}

/** A connection named or written at `at` in the job file, resolved; problems positioned there. */
function connectionAt(
  value: string | Connection,
  at: { source: YamlSource; path: DocPath },
  options: LoadJobOptions,
): { connection?: ResolvedConnection; problems: JobProblem[] } {
  return typeof value === 'string'
    ? lookupConnection(value, at, options)
    : resolveConnection(value, at.source, at.path);
}

/**
 * Like `parseJob` for an extract job: everything but `target` is checked by the job schema, the
 * target by `file_output`; `source` must be a get_connector. Throws JobInvalidError with every problem.
 */
export function parseExtractJob(file: string, text: string, options: LoadJobOptions = {}): LoadedExtractJob {
  const source = new YamlSource(file, text);
  if (source.unusable) throw new JobInvalidError(source.problems);
  interpolate(source, options.env ?? process.env);
  const parsed = source.toJS();
  requireMapping(source, parsed, 'job file');
  const data = parsed as Record<string, unknown>;
  const checked = { ...data, target: PLACEHOLDER_TARGET, key: data.key ?? '{_}' };
  const problems: JobProblem[] = [...source.problems, ...validateJobSchema(source, checked)];
  if (data.target !== undefined) problems.push(...targetProblems(source, data.target));
  else
    problems.push(
      source.problem([], 'the job is missing required key `target` (e.g. target: { file: out/rows.csv })'),
    );
  const job = data as unknown as ExtractJob;
  if (problems.length === 0 && !job.source.get_connector) {
    problems.push(
      source.problem(
        ['source'],
        'an extract reads a GetConnector: write `source: { get_connector: { id: …, sort: [...] } }`',
      ),
    );
  }
  if (problems.length) throw new JobInvalidError(sort(problems));
  const loaded: LoadedExtractJob = { file, dir: dirname(file), job, source };
  if (!options.skipConnection) {
    const found = connectionAt(job.connection, { source, path: ['connection'] }, options);
    if (found.problems.length) throw new JobInvalidError(sort(found.problems));
    if (found.connection) loaded.connection = found.connection;
    const other = resolveSourceConnection({ job, source, connection: found.connection }, options);
    if (other) loaded.sourceConnection = other;
  }
  return loaded;
}

/**
 * The connection a `get_connector` source reads from: its own `connection` (a name or the
 * connection itself), else the job's. Throws JobInvalidError positioned in the job file.
 */
export function resolveSourceConnection(
  loaded: {
    job: { source: { get_connector?: { connection?: string | Connection } | undefined } };
    source: YamlSource;
    connection?: ResolvedConnection | undefined;
  },
  options: LoadJobOptions = {},
): ResolvedConnection | undefined {
  const own = loaded.job.source.get_connector?.connection;
  if (own === undefined || own === '') return loaded.connection;
  const found = connectionAt(
    own,
    { source: loaded.source, path: ['source', 'get_connector', 'connection'] },
    options,
  );
  if (found.problems.length) throw new JobInvalidError(sort(found.problems));
  return found.connection;
}

/** Reads and validates an extract job file. */
export async function loadExtractJob(path: string, options: LoadJobOptions = {}): Promise<LoadedExtractJob> {
  const { file, text } = await readJobFile(path);
  return parseExtractJob(file, text, options);
}

const sort = (problems: JobProblem[]): JobProblem[] =>
  [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
