import { resolve } from 'node:path';
import {
  DEFAULT_ERROR_COLUMNS,
  type FieldValue,
  type LoadedJob,
  type LoadJobOptions,
  loadJob,
  type RetryPolicy,
  type SourceRecord,
} from '@koppel/core';
import { RunSetupError } from './errors.js';

/** `verify:` of a job: how to look up an uncertain record in Profit. */
export interface VerifySpec {
  /** GetConnector id. */
  get_connector: string;
  /** GetConnector field -> template over the source columns of the document's first record. */
  filter: Record<string, string>;
  /** Result key -> GetConnector field copied to the results; empty: every column. */
  result?: Record<string, string>;
  /** Seconds after a record was sent before its first lookup; later lookups at 2x, 4x, …; default 5. */
  delay?: number;
  /** Lookups before an uncertain record is sent again (all must come back empty); default 3. */
  rounds?: number;
}

/** `output:` of a job: where results, rejects and the report go (relative to the job file). */
export interface OutputSpec {
  dir?: string;
  results?: string;
  rejects?: string;
  report?: string;
}

/** Options of `loadRunJob`. */
export interface LoadRunJobOptions extends LoadJobOptions {
  /**
   * File read instead of the job's source path (`--input`, e.g. a fixed rejects file), relative to
   * the working directory; its error columns are ignored. Default: the job's `source` path.
   */
  input?: string;
}

/** How a `--input` file is read: its error columns are dropped from every record. */
export interface InputOverride {
  /** Absolute path of the file read instead of the job's source. */
  path: string;
  /** CSV with declared `header: [...]` columns: their count (the rejects file has two cells more). */
  declaredWidth?: number;
  /** The job's `ragged` was `error`: a row must have the declared width, or two cells more. */
  strictWidth?: boolean;
}

/** A loaded job plus the keys only a run reads (`verify`, `output`, `run.retry`), paths resolved. */
export interface RunJob {
  loaded: LoadedJob;
  verify?: VerifySpec;
  output?: OutputSpec;
  retry: {
    max_attempts?: number;
    base_delay_ms?: number;
    max_delay_ms?: number;
    retry_on?: unknown;
    reject_on?: unknown;
  };
  /** Set when `options.input` replaced the source path. */
  input?: InputOverride;
}

/** Loads a job for `koppel run` (the job schema checks `verify:`, `output:` and `run.retry`). */
export async function loadRunJob(path: string, options: LoadRunJobOptions = {}): Promise<RunJob> {
  const { input: inputPath, ...load } = options;
  const loaded = await loadJob(path, load);
  const job = loaded.job;
  const output = job.output ? resolveOutput(loaded.dir, job.output) : undefined;
  const input = inputPath === undefined ? undefined : overrideInput(loaded, inputPath);
  if (input && output?.rejects === input.path) {
    throw new RunSetupError(
      `--input ${inputPath} is this job's own rejects file (output.rejects), which the run rewrites; copy it (e.g. to fixed.csv) and pass the copy`,
    );
  }
  return {
    loaded,
    ...(job.verify ? { verify: job.verify } : {}),
    ...(output ? { output } : {}),
    retry: (job.run?.retry ?? {}) as RunJob['retry'],
    ...(input ? { input } : {}),
  };
}

/** Points the job's file source at `path`; a declared CSV header gains the rejects error columns. */
function overrideInput(loaded: LoadedJob, path: string): InputOverride {
  const absolute = resolve(path);
  const { csv, json, jsonl } = loaded.job.source;
  const spec = csv ?? json ?? jsonl;
  if (!spec) {
    throw new RunSetupError(
      `--input replaces a file source (csv, json, jsonl), but ${loaded.file} reads a GetConnector; run it without --input`,
    );
  }
  spec.path = absolute;
  if (!csv || !Array.isArray(csv.header) || csv.ragged === 'truncate') return { path: absolute };
  const declaredWidth = csv.header.length;
  const strictWidth = (csv.ragged ?? 'error') === 'error';
  csv.header = [...csv.header, ...ERROR_COLUMNS];
  csv.ragged = 'pad';
  return { path: absolute, declaredWidth, strictWidth };
}

/** The columns the rejects writer appends (core's DEFAULT_ERROR_COLUMNS). */
export const ERROR_COLUMNS: readonly string[] = DEFAULT_ERROR_COLUMNS;

/**
 * The records of a `--input` file without the rejects error columns (fields and raw cells), so
 * they map, and are rejected again, exactly like the original rows.
 */
export function inputRecords(
  records: AsyncIterable<SourceRecord>,
  input: InputOverride,
): AsyncIterable<SourceRecord> {
  const width = input.declaredWidth;
  async function* strip(): AsyncGenerator<SourceRecord> {
    for await (const record of records) {
      const raw = record.raw;
      if (width !== undefined && raw) {
        if (input.strictWidth && raw.length !== width && raw.length !== width + ERROR_COLUMNS.length) {
          throw new RunSetupError(
            `${record.origin.file}:${record.origin.line}: expected ${width} fields (or ${width + ERROR_COLUMNS.length} with the rejects error columns), got ${raw.length}; set \`ragged: pad\` to read missing fields as empty`,
          );
        }
      }
      if (!ERROR_COLUMNS.some((column) => column in record.fields)) {
        yield record;
        continue;
      }
      const fields: Record<string, FieldValue> = Object.create(null);
      for (const [name, value] of Object.entries(record.fields)) {
        if (!ERROR_COLUMNS.includes(name)) fields[name] = value;
      }
      yield {
        fields,
        origin: record.origin,
        ...(raw ? { raw: width !== undefined && raw.length > width ? raw.slice(0, width) : raw } : {}),
      };
    }
  }
  return { [Symbol.asyncIterator]: strip };
}

function resolveOutput(dir: string, output: OutputSpec): OutputSpec {
  const out: OutputSpec = {};
  for (const key of ['dir', 'results', 'rejects', 'report'] as const) {
    const value = output[key];
    if (typeof value === 'string' && value) out[key] = resolve(dir, value);
  }
  return out;
}

/** A whole non-negative number from an environment variable, or undefined. */
export const intFrom = (value: string | undefined): number | undefined =>
  value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;

/**
 * `run.retry` as the pipeline's retry policy (unset keys keep the defaults);
 * KOPPEL_RETRY_BASE_MS and KOPPEL_RETRY_MAX_MS override the delays (tests).
 */
export function retryPolicyOf(
  retry: RunJob['retry'],
  env: Readonly<Record<string, string | undefined>>,
): Partial<RetryPolicy> {
  const baseDelayMs = intFrom(env.KOPPEL_RETRY_BASE_MS) ?? retry.base_delay_ms;
  const maxDelayMs = intFrom(env.KOPPEL_RETRY_MAX_MS) ?? retry.max_delay_ms;
  return {
    ...(retry.max_attempts ? { maxAttempts: retry.max_attempts } : {}),
    ...(baseDelayMs !== undefined ? { baseDelayMs } : {}),
    ...(maxDelayMs !== undefined ? { maxDelayMs } : {}),
  };
}
