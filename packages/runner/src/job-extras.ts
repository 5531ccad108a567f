import { resolve } from 'node:path';
import { type LoadedJob, type LoadJobOptions, loadJob } from '@koppel/core';
import { RunSetupError } from './errors.js';

/** `verify:` of a job: how to look up an uncertain record in Profit. */
export interface VerifySpec {
  /** GetConnector id. */
  get_connector: string;
  /** GetConnector field -> template over the source columns of the document's first record. */
  filter: Record<string, string>;
  /** Result key -> GetConnector field copied to the results; empty: every column. */
  result?: Record<string, string>;
  /** Seconds to wait before looking up records that became uncertain during the run; default 5. */
  delay?: number;
}

/** `output:` of a job: where results, rejects and the report go (relative to the job file). */
export interface OutputSpec {
  dir?: string;
  results?: string;
  rejects?: string;
  report?: string;
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
}

/** Loads a job for `koppel run` (the job schema checks `verify:`, `output:` and `run.retry`). */
export async function loadRunJob(path: string, options: LoadJobOptions = {}): Promise<RunJob> {
  const loaded = await loadJob(path, options);
  const job = loaded.job as { verify?: VerifySpec; output?: OutputSpec };
  if (job.verify !== undefined) checkVerify(loaded.file, job.verify);
  const output = job.output ? resolveOutput(loaded.dir, job.output) : undefined;
  return {
    loaded,
    ...(job.verify ? { verify: job.verify } : {}),
    ...(output ? { output } : {}),
    retry: (loaded.job.run?.retry ?? {}) as RunJob['retry'],
  };
}

/** What the schema cannot say: the filter templates must be non-empty strings. */
function checkVerify(file: string, verify: VerifySpec): void {
  const empty = Object.entries(verify.filter).filter(([, template]) => template.trim() === '');
  if (empty.length > 0) {
    throw new RunSetupError(
      `${file}: verify.filter.${empty[0]?.[0]}: expected a template such as "{voucher_no}", got an empty string`,
    );
  }
}

function resolveOutput(dir: string, output: OutputSpec): OutputSpec {
  const out: OutputSpec = {};
  for (const key of ['dir', 'results', 'rejects', 'report'] as const) {
    const value = output[key];
    if (typeof value === 'string' && value) out[key] = resolve(dir, value);
  }
  return out;
}
