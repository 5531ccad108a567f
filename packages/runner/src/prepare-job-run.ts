import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createAfasClient, timeoutsFromEnv } from '@koppel/afas';
import {
  buildRequest,
  compileJob,
  createRejectsWriter,
  describeEncoding,
  formatPreflight,
  type JobInput,
  type LedgerEntry,
  mapRecords,
  openJobSource,
  PreflightError,
  preflight,
  preflightPasses,
  type RejectsSource,
  type SourceRecord,
  type UpdateMetainfo,
} from '@koppel/core';
import { afasClassify } from './afas-classify.js';
import { createAfasSink } from './afas-sink.js';
import { jobVerifier, verifyRoundsOf } from './afas-verifier.js';
import { jobDelivery } from './delivery/job-delivery.js';
import { RunSetupError } from './errors.js';
import { inputRecords, intFrom, loadRunJob, retryPolicyOf } from './job-extras.js';
import { MachineSlots } from './machine-slots.js';
import { rejectsSourceOf } from './rejects-source.js';
import type { RejectsWriter, RunSpec } from './run-spec.js';

export interface PrepareJobRunOptions {
  /** Environment for `${VAR}` in the job and the test knobs below; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * File read instead of the job's source path (`koppel run --input`, e.g. a fixed rejects file),
   * relative to the working directory; its error columns are ignored. Default: the job's.
   */
  input?: string;
  /**
   * The input is not read (a BullMQ worker: the documents travel in Redis): this format stands in
   * for it (rejects, checks), and `items()` refuses to run. Default: the input is opened.
   */
  withoutInput?: RejectsSource;
}

/** A stand-in for the input of a run whose documents come from elsewhere (see `withoutInput`). */
function standInInput(loaded: { file: string }, format: RejectsSource, file: string): JobInput {
  const records = {
    ...format,
    [Symbol.asyncIterator](): AsyncIterator<SourceRecord> {
      throw new RunSetupError(
        `${loaded.file}: this process runs chunks of a submitted run and does not read its input ${file}; run the job with \`koppel run\` or \`koppel submit\``,
      );
    },
  };
  // Not read here: the submitter read it; its encoding is named in the submitted run's report.
  const detected =
    'detected' in format ? format.detected : { encoding: format.dialect.encoding ?? 'utf-8', bom: false };
  return { format: format.format, file, records, encoding: { ...detected, reason: 'declared' } };
}

/**
 * Turns a job file into a RunSpec: loads and compiles the job against the connector's metainfo,
 * opens the source, and wires the AFAS sink, classifier and `verify:` lookup.
 * Env knobs (tests, slow links): KOPPEL_REQUEST_TIMEOUT_MS (client timeout, default 120000),
 * KOPPEL_RETRY_BASE_MS / KOPPEL_RETRY_MAX_MS (backoff), KOPPEL_VERIFY_DELAY_MS, KOPPEL_LEDGER_MEMORY_KEYS
 * (keys of the ledger index in memory before it spills to disk).
 */
export async function prepareJobRun(jobFile: string, options: PrepareJobRunOptions = {}): Promise<RunSpec> {
  const env = options.env ?? process.env;
  const {
    loaded,
    verify,
    output,
    retry,
    input: override,
  } = await loadRunJob(jobFile, {
    env,
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  const connection = loaded.connection;
  if (!connection?.token)
    throw new RunSetupError(
      `${loaded.file}: the connection has no token; set connection.token or token_file`,
    );
  const job = loaded.job;
  const connector = job.target.update_connector;
  const concurrency = job.run?.concurrency ?? 8;
  // run.timeouts of the job, then the KOPPEL_*_TIMEOUT_MS knobs over them.
  const written = job.run?.timeouts ?? {};
  const timeouts = {
    ...(written.connect_ms === undefined ? {} : { connectMs: written.connect_ms }),
    ...(written.first_byte_ms === undefined ? {} : { firstByteMs: written.first_byte_ms }),
    ...(written.read_first_byte_ms === undefined ? {} : { readFirstByteMs: written.read_first_byte_ms }),
    ...(written.total_ms === undefined ? {} : { totalMs: written.total_ms }),
    ...timeoutsFromEnv(env),
  };
  const clientOptions = {
    environmentId: 0,
    url: connection.baseUrl,
    auth: { type: 'token', token: connection.token },
    language: connection.language,
    ...(connection.integrationId ? { integrationId: connection.integrationId } : {}),
    maxInFlight: concurrency,
  } as const;
  // Metainfo is read once, with the client's own GET retries; run requests are retried by the pipeline.
  // The read takes a machine-wide slot too: another koppel process may already have 8 requests in flight.
  const release = await new MachineSlots(connection.baseUrl, { limit: concurrency }).acquire();
  const metainfo = (await createAfasClient({ ...clientOptions, readRetries: 4 })
    .updateMetainfo(connector)
    .finally(release)) as UpdateMetainfo;
  const compiled = compileJob(loaded, { metainfo });
  const client = createAfasClient({ ...clientOptions, timeouts, readRetries: 0 });
  const sourceSpec = Object.values(job.source)[0] as { path: string };
  const inputFile = resolve(loaded.dir, sourceSpec.path);
  if (!options.withoutInput)
    await stat(inputFile).catch((error) => {
      throw new RunSetupError(
        `${loaded.file}: cannot read the input ${inputFile} (${(error as NodeJS.ErrnoException).code}); check source path`,
      );
    });
  const input = options.withoutInput
    ? standInInput(loaded, options.withoutInput, sourceSpec.path)
    : await openJobSource(loaded);
  const records = override ? inputRecords(input.records, override) : input.records;
  const checkColumns = input.format === 'csv';
  // The pre-flight: the whole input read, decoded and mapped once, through the run's own mapping
  // stage, before the run starts; invalid records stop it here (run.on_invalid: stop, the
  // default), so nothing is sent and no run is recorded. A worker (withoutInput) does not read.
  const checked = options.withoutInput ? undefined : await preflight(compiled, records, { checkColumns });
  if (checked && !preflightPasses(checked, job.run?.on_invalid ?? 'stop')) {
    throw new PreflightError(
      formatPreflight(checked, {
        job: loaded.file,
        input: override ? (options.input ?? sourceSpec.path) : sourceSpec.path,
        onInvalid: job.run?.on_invalid ?? 'stop',
      }),
      checked,
    );
  }
  const expectedRecords = checked?.records;
  // The run reads the input again (the pre-flight kept only counts).
  const reopen = async (): Promise<AsyncIterable<SourceRecord>> => {
    const again = await openJobSource(loaded);
    return override ? inputRecords(again.records, override) : again.records;
  };
  const method = compiled.method === 'update' ? 'PUT' : compiled.method === 'delete' ? 'DELETE' : 'POST';
  const verifier = jobVerifier(client, verify, loaded.file);
  const overrides = {
    ...patternsOf(retry.retry_on, `${loaded.file}: run.retry.retry_on`, 'retryOn'),
    ...patternsOf(retry.reject_on, `${loaded.file}: run.retry.reject_on`, 'rejectOn'),
  };
  const classifyWrite = afasClassify({ connector, method, ...overrides });
  const classifyRead = afasClassify({ connector: verify?.get_connector ?? connector, method: 'GET' });
  const verifyDelayMs = intFrom(env.KOPPEL_VERIFY_DELAY_MS) ?? (verify?.delay ?? 5) * 1000;
  return {
    jobFile: loaded.file,
    jobName: job.name,
    inputFile,
    inputEncoding: describeEncoding(input.encoding),
    environment: connection.baseUrl,
    delivery: jobDelivery(job, connection.baseUrl),
    ...(job.state_dir ? { stateDir: resolve(loaded.dir, job.state_dir) } : {}),
    items: () =>
      (async function* () {
        yield* mapRecords(compiled, options.withoutInput ? records : await reopen(), { checkColumns });
      })(),
    sink: createAfasSink({ client, root: compiled.root, build: (batch) => buildRequest(compiled, batch) }),
    classify: (error) =>
      ((error as { method?: string })?.method === 'GET' ? classifyRead : classifyWrite)(error),
    ...(verifier ? { verifier } : {}),
    verifyDelayMs,
    ...verifyRoundsOf(env, verify),
    concurrency,
    batch: compiled.method === 'delete' ? 1 : (job.run?.batch ?? 'auto'),
    retry: retryPolicyOf(retry, env),
    rejectsWriter: ledgerRejectsWriter(rejectsSourceOf(input.records, override)),
    rejectsExtension: input.format,
    ...(output ? { output } : {}),
    secrets: [connection.token, Buffer.from(connection.token).toString('base64')],
    pendingRequests: () => client.pending(),
    ...(expectedRecords !== undefined ? { expectedRecords } : {}),
    ...(intFrom(env.KOPPEL_LEDGER_MEMORY_KEYS)
      ? { ledgerMemoryKeys: intFrom(env.KOPPEL_LEDGER_MEMORY_KEYS) }
      : {}),
    close: async () => client.close(),
  };
}

/**
 * Writes the rejects file from the ledger's rejected entries, with the rejects writer of core, in
 * input order: an array is sorted by its first record's position; a stream is taken as it comes.
 */
export function ledgerRejectsWriter(source: RejectsSource): RejectsWriter {
  return (path, rejected) =>
    writeRejected(
      path,
      source,
      Symbol.asyncIterator in rejected
        ? rejected
        : [...rejected].sort(
            (a, b) => (a.records?.[0]?.origin.index ?? 0) - (b.records?.[0]?.origin.index ?? 0),
          ),
    );
}

/** Writes the records of `entries`, in the given order, to a rejects file with each entry's error. */
export async function writeRejected(
  path: string,
  source: RejectsSource,
  entries: readonly LedgerEntry[] | AsyncIterable<LedgerEntry>,
): Promise<void> {
  const writer = await createRejectsWriter({ path, source });
  try {
    for await (const entry of entries) {
      for (const record of entry.records ?? []) {
        await writer.write(record, {
          message: entry.error ?? 'rejected',
          ...(entry.profitLogReference ? { profitLogReference: entry.profitLogReference } : {}),
        });
      }
    }
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** Compiles `run.retry.retry_on|reject_on` (regular expressions, case-insensitive). */
function patternsOf(
  list: unknown,
  where: string,
  name: 'retryOn' | 'rejectOn',
): { retryOn?: RegExp[]; rejectOn?: RegExp[] } {
  if (list === undefined) return {};
  if (!Array.isArray(list) || list.some((p) => typeof p !== 'string')) {
    throw new RunSetupError(`${where}: expected a list of regular expressions, got ${JSON.stringify(list)}`);
  }
  return {
    [name]: list.map((pattern: string) => {
      try {
        return new RegExp(pattern, 'i');
      } catch (error) {
        throw new RunSetupError(
          `${where}: \`${pattern}\` is not a regular expression (${(error as Error).message})`,
        );
      }
    }),
  };
}
