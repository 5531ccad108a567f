import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  type ConnectionLookupOptions,
  lookupConnection,
  type ResolvedConnection,
  resolveConnection,
} from './connections.js';
import { JobFileError, JobInvalidError, type JobProblem } from './errors.js';
import { interpolate } from './interpolate.js';
import type { Job } from './job-types.generated.js';
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

/** Reads a job file as UTF-8 text with its absolute path; throws JobFileError when unreadable. */
export async function readJobFile(path: string): Promise<{ file: string; text: string }> {
  const file = resolve(path);
  try {
    return { file, text: await readFile(file, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new JobFileError(`cannot read job file ${file} (${reason}); check the path`, { cause: error });
  }
}

/** Like loadJob, for a job held in memory; `file` names it in problems and anchors relative paths. */
export function parseJob(file: string, text: string, options: LoadJobOptions = {}): LoadedJob {
  const source = new YamlSource(file, text);
  if (source.doc.errors.length) throw new JobInvalidError(source.problems);
  interpolate(source, options.env ?? process.env);
  const data = source.toJS();
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
