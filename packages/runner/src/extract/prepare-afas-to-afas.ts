import { resolve } from 'node:path';
import { createAfasClient, getConnectorRecords, readGetConnector } from '@koppel/afas';
import {
  buildRequest,
  compileJob,
  mapRecords,
  resolveSourceConnection,
  type UpdateMetainfo,
} from '@koppel/core';
import { afasClassify } from '../afas-classify.js';
import { createAfasSink } from '../afas-sink.js';
import { jobVerifier, verifyRoundsOf } from '../afas-verifier.js';
import { jobDelivery } from '../delivery/job-delivery.js';
import { RunSetupError } from '../errors.js';
import { intFrom, loadRunJob, retryPolicyOf } from '../job-extras.js';
import { writeRejected } from '../prepare-job-run.js';
import type { RejectsWriter, RunSpec } from '../run-spec.js';
import { connectorTypes, jobFilter, readOptions } from './get-connector-spec.js';

/** Options of `prepareAfasToAfasRun`. */
export interface PrepareAfasToAfasOptions {
  /** Environment for `${VAR}` in the job; default process.env. */
  env?: NodeJS.ProcessEnv;
}

function clientOptions(
  connection: { baseUrl: string; token: string; language: string; integrationId?: string },
  maxInFlight: number,
) {
  return {
    environmentId: 0,
    url: connection.baseUrl,
    auth: { type: 'token', token: connection.token },
    language: connection.language as 'nl-nl',
    ...(connection.integrationId ? { integrationId: connection.integrationId } : {}),
    maxInFlight,
  } as const;
}

/**
 * A RunSpec for a job whose source is a GetConnector and whose target is an UpdateConnector
 * (one environment into another, or into itself). `runSession` runs it with the ledger and
 * exactly-once promises of `koppel run`; the run's identity is the job file, so running it again
 * resumes the same run and sends nothing that is done.
 */
export async function prepareAfasToAfasRun(
  jobFile: string,
  options: PrepareAfasToAfasOptions = {},
): Promise<RunSpec> {
  const env = options.env ?? process.env;
  const { loaded, output, retry, verify } = await loadRunJob(jobFile, { env });
  const job = loaded.job;
  const spec = job.source.get_connector;
  if (!spec) throw new RunSetupError(`${loaded.file}: expected source.get_connector for an AFAS-to-AFAS job`);
  const target = loaded.connection;
  const from = resolveSourceConnection(loaded, { env });
  if (!target?.token || !from?.token) {
    throw new RunSetupError(
      `${loaded.file}: a connection has no token; set token or token_file on both connections`,
    );
  }
  const concurrency = job.run?.concurrency ?? 8;
  const metainfo = (await createAfasClient({
    ...clientOptions(target, concurrency),
    readRetries: 4,
  }).updateMetainfo(job.target.update_connector)) as UpdateMetainfo;
  const compiled = compileJob(loaded, { metainfo });
  const client = createAfasClient({ ...clientOptions(target, concurrency), readRetries: 0 });
  const reader = createAfasClient(clientOptions(from, concurrency));
  const { types, columns } = await connectorTypes(reader, spec, { source: loaded.source });
  const records = () =>
    getConnectorRecords(spec.id, readGetConnector(reader, spec.id, readOptions(spec, jobFilter(spec))), {
      columns,
      types,
    });
  const connector = job.target.update_connector;
  const method = compiled.method === 'update' ? 'PUT' : compiled.method === 'delete' ? 'DELETE' : 'POST';
  if (!verify && method === 'POST') {
    // An insert whose answer is lost may be stored or not; without a lookup, resuming would
    // either hold it forever or book it twice.
    throw new RunSetupError(
      `${loaded.file}: an AFAS-to-AFAS insert needs verify: to settle records whose answer was lost; add e.g. verify: { get_connector: <a GetConnector of ${connector}'s environment>, filter: { <its key field>: "{<source column>}" } }`,
    );
  }
  const verifier = jobVerifier(client, verify, loaded.file);
  const classifyWrite = afasClassify({ connector, method });
  const classifyRead = afasClassify({ connector: verify?.get_connector ?? connector, method: 'GET' });
  const classify: RunSpec['classify'] = (error) =>
    ((error as { method?: string })?.method === 'GET' ? classifyRead : classifyWrite)(error);
  return {
    jobFile: loaded.file,
    jobName: job.name,
    inputFile: loaded.file,
    delivery: jobDelivery(job, target.baseUrl),
    ...(job.state_dir ? { stateDir: resolve(loaded.dir, job.state_dir) } : {}),
    items: () => mapRecords(compiled, records(), { checkColumns: false }),
    sink: createAfasSink({ client, root: compiled.root, build: (batch) => buildRequest(compiled, batch) }),
    classify,
    ...(verifier ? { verifier } : {}),
    verifyDelayMs: intFrom(env.KOPPEL_VERIFY_DELAY_MS) ?? (verify?.delay ?? 5) * 1000,
    ...verifyRoundsOf(env, verify),
    concurrency,
    batch: compiled.method === 'delete' ? 1 : (job.run?.batch ?? 'auto'),
    retry: retryPolicyOf(retry, env),
    rejectsWriter: jsonlRejects(),
    rejectsExtension: 'jsonl',
    ...(output ? { output } : {}),
    secrets: [
      target.token,
      from.token,
      Buffer.from(target.token).toString('base64'),
      Buffer.from(from.token).toString('base64'),
    ],
    close: async () => {
      client.close();
      reader.close();
    },
  };
}

/** Rejected GetConnector rows as JSON lines with the error. */
function jsonlRejects(): RejectsWriter {
  return (path, rejected) =>
    writeRejected(path, { format: 'jsonl', detected: { encoding: 'utf-8', bom: false } }, rejected);
}
