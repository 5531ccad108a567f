import { dirname } from 'node:path';
import {
  type ConnectionLookupOptions,
  lookupConnection,
  type ResolvedConnection,
  resolveConnection,
} from './connections.js';
import { JobInvalidError, type JobProblem } from './errors.js';
import { interpolate } from './interpolate.js';
import type { Job } from './job-types.generated.js';
import { readYamlFile, type YamlFileKind } from './read-job-text.js';
import { validateJobSchema } from './validate-schema.js';
import { YamlSource } from './yaml-source.js';

/** Options of loadJob. */
export interface LoadJobOptions extends ConnectionLookupOptions {
  /** Skip resolving the connection (offline validation); default false. */
  skipConnection?: boolean;
}

/** A job that parsed and matched the schema, with the positions of its YAML nodes for later problems. */
export interface LoadedJob {
  /** Absolute path of the job file. */
  file: string;
  /** Directory of the job file; source paths are relative to it. */
  dir: string;
  /** The job after interpolation. */
  job: Job;
  /** The parsed YAML, to position problems found later (compile, metainfo). */
  source: YamlSource;
  /** The connection, unless skipped. */
  connection?: ResolvedConnection;
}

/** Reads and validates a job file; throws JobInvalidError listing every problem, JobFileError when unreadable. */
export async function loadJob(path: string, options: LoadJobOptions = {}): Promise<LoadedJob> {
  const { file, text } = await readJobFile(path);
  return parseJob(file, text, options);
}

/**
 * Reads a job file as UTF-8 text (a BOM is dropped) with its absolute path. Throws JobFileError
 * when it is missing, a directory, unreadable or empty, JobInvalidError when it is not UTF-8.
 */
export async function readJobFile(path: string): Promise<{ file: string; text: string }> {
  return readYamlFile(path, 'job file');
}

/** Like loadJob, for a job held in memory; `file` names it in problems and anchors relative paths. */
export function parseJob(file: string, text: string, options: LoadJobOptions = {}): LoadedJob {
  const source = new YamlSource(file, text);
  if (source.unusable) throw new JobInvalidError(source.problems);
  interpolate(source, options.env ?? process.env);
  const data = source.toJS();
  requireMapping(source, data, 'job file');
  const problems: JobProblem[] = [...source.problems, ...validateJobSchema(source, data)];
  if (problems.length) throw new JobInvalidError(sorted(problems));
  const job = data as Job;
  const loaded: LoadedJob = { file, dir: dirname(file), job, source };
  if (!options.skipConnection) {
    const found =
      typeof job.connection === 'string'
        ? lookupConnection(job.connection, { source, path: ['connection'] }, options)
        : resolveConnection(job.connection, source, ['connection']);
    if (found.problems.length) throw new JobInvalidError(sorted(found.problems));
    if (found.connection) loaded.connection = found.connection;
  }
  return loaded;
}

const sorted = (problems: JobProblem[]): JobProblem[] =>
  [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);

/**
 * Throws JobInvalidError at 1:1 (or the value) unless the document is a mapping: an empty
 * document, a list or a lone value cannot be a job, connections file or test file.
 */
export function requireMapping(source: YamlSource, data: unknown, kind: YamlFileKind): void {
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) return;
  const expected =
    kind === 'job file'
      ? '`version: 1`, `name:`, `source:`, `target:`'
      : kind === 'connections file'
        ? '`connections:` with one entry per name'
        : '`cases:` (and optionally `job:`)';
  const got =
    data === null || data === undefined
      ? 'nothing but comments'
      : Array.isArray(data)
        ? 'a list'
        : `a single ${typeof data} value`;
  throw new JobInvalidError([
    source.problem([], `the ${kind} must be a YAML mapping of ${expected}; it holds ${got}`),
  ]);
}
