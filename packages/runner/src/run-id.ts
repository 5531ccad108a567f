import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** What makes two invocations "the same run": the job file and the identity of its input. */
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
