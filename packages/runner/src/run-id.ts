import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * The path-based identity (job file + input path, size, mtime), still used by `koppel submit`;
 * `koppel run` uses `deliveryRunIdentity`, which does not depend on paths.
 */
export interface RunIdentity {
  /** Absolute path of the job file. */
  job: string;
  /** Absolute path of the input file. */
  input: string;
  /** Input size in bytes. */
  size: number;
  /** Input modification time, ms since the epoch. */
  mtimeMs: number;
}

/** Reads the identity of a run from the job and input paths (the input must exist). */
export async function runIdentity(jobFile: string, inputFile: string): Promise<RunIdentity> {
  const input = resolve(inputFile);
  const info = await stat(input);
  return { job: resolve(jobFile), input, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
}

/** A short stable hash of an identity; the same job + unchanged input give the same hash. */
export function identityHash(identity: RunIdentity): string {
  const text = JSON.stringify([identity.job, identity.input, identity.size, identity.mtimeMs]);
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

/** A run id: `<job name>-<identity hash>`, plus a time suffix for `--new-run`. */
export function makeRunId(jobName: string, hash: string, fresh = false): string {
  const base = `${jobName.replace(/[^a-z0-9._-]+/gi, '-')}-${hash}`;
  return fresh ? `${base}-${Date.now().toString(36)}` : base;
}

/**
 * The identity of a run that does not depend on where the job file or the input lies: the
 * delivery scope (environment, connector, scope) and a sha256 of the input's content. Moving or
 * copying the job, or starting it from another folder, resumes the same run.
 */
export interface DeliveryRunIdentity {
  environment: string;
  connector: string;
  scope: string;
  /** sha256 (hex) of the input file's bytes. */
  content: string;
}

/** Reads a run's identity: the scope plus the content hash of the input (streamed, any size). */
export async function deliveryRunIdentity(options: {
  environment: string;
  connector: string;
  scope: string;
  inputFile: string;
}): Promise<DeliveryRunIdentity> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(resolve(options.inputFile)) as AsyncIterable<Buffer>) {
    hash.update(chunk);
  }
  return {
    environment: options.environment,
    connector: options.connector,
    scope: options.scope,
    content: hash.digest('hex'),
  };
}

/** A short stable hash of a delivery run identity (the run id's suffix). */
export function deliveryIdentityHash(identity: DeliveryRunIdentity): string {
  const text = JSON.stringify([identity.environment, identity.connector, identity.scope, identity.content]);
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
