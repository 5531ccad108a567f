import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { jobSchema, type LoadedJob, type LoadJobOptions, loadJob, parseJob } from '@koppel/core';
import { isMap, isScalar, parseDocument } from 'yaml';
import { RunSetupError } from './errors.js';

/** `verify:` of a job: how to look up an uncertain record in Profit. */
export interface VerifySpec {
  /** GetConnector id. */
  get_connector: string;
  /** GetConnector field -> template over the source columns of the document's first record. */
  filter: Record<string, string>;
  /** Result key -> GetConnector field copied to the results; default every column. */
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

/** A loaded job plus the run-only keys (`verify`, `output`, `run.retry` delays). */
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

const RUN_KEYS = ['verify', 'output'] as const;

/**
 * Loads a job for `koppel run`. While the job schema does not know `verify:` and `output:` yet,
 * they are read here and blanked out (spaces, same line numbers) before the schema check, so
 * every other problem keeps its file:line:col.
 */
export async function loadRunJob(path: string, options: LoadJobOptions = {}): Promise<RunJob> {
  const file = resolve(path);
  const schemaKnows = (key: string): boolean => Object.hasOwn(jobSchema.properties, key);
  if (RUN_KEYS.every(schemaKnows)) {
    const loaded = await loadJob(file, options);
    const job = loaded.job as unknown as { verify?: VerifySpec; output?: OutputSpec };
    return withExtras(loaded, job.verify, job.output);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { loaded: await loadJob(file, options), retry: {} };
  }
  const doc = parseDocument(text);
  const extras: Record<string, unknown> = {};
  let blanked = text;
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!(RUN_KEYS as readonly string[]).includes(key) || schemaKnows(key)) continue;
      const start = (pair.key as { range?: [number, number, number] }).range?.[0] ?? 0;
      const end = (pair.value as { range?: [number, number, number] } | null)?.range?.[2] ?? start;
      extras[key] = (pair.value as { toJSON(): unknown } | null)?.toJSON();
      blanked =
        blanked.slice(0, start) + blanked.slice(start, end).replace(/[^\n]/g, ' ') + blanked.slice(end);
    }
  }
  const loaded = parseJob(file, blanked, options);
  return withExtras(loaded, extras.verify as VerifySpec | undefined, extras.output as OutputSpec | undefined);
}

function withExtras(
  loaded: LoadedJob,
  verify: VerifySpec | undefined,
  output: OutputSpec | undefined,
): RunJob {
  const retry = (loaded.job.run?.retry ?? {}) as RunJob['retry'];
  if (verify !== undefined) checkVerify(loaded.file, verify);
  const resolved = output ? resolveOutput(loaded.dir, output) : undefined;
  return { loaded, ...(verify ? { verify } : {}), ...(resolved ? { output: resolved } : {}), retry };
}

function checkVerify(file: string, verify: VerifySpec): void {
  const problems: string[] = [];
  if (typeof verify !== 'object' || verify === null)
    problems.push('expected an object with get_connector and filter');
  else {
    if (typeof verify.get_connector !== 'string' || !verify.get_connector)
      problems.push('get_connector: expected a GetConnector id');
    const filter = verify.filter as unknown;
    if (typeof filter !== 'object' || filter === null || Object.keys(filter).length === 0) {
      problems.push('filter: expected GetConnector field -> template, e.g. { VoucherNo: "{voucher_no}" }');
    } else if (Object.values(filter).some((v) => typeof v !== 'string')) {
      problems.push('filter: every value must be a template string');
    }
    if (verify.delay !== undefined && !(typeof verify.delay === 'number' && verify.delay >= 0)) {
      problems.push(`delay: expected seconds >= 0, got ${JSON.stringify(verify.delay)}`);
    }
  }
  if (problems.length) throw new RunSetupError(`${file}: verify: ${problems.join('; ')}`);
}

function resolveOutput(dir: string, output: OutputSpec): OutputSpec {
  const out: OutputSpec = {};
  for (const key of ['dir', 'results', 'rejects', 'report'] as const) {
    const value = output[key];
    if (typeof value === 'string' && value) out[key] = resolve(dir, value);
  }
  return out;
}
