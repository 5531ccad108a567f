import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FaultPlan, type Simulator, startSimulator } from '@koppel/afas-sim';
import { dropPrefix, freshPrefix, REDIS_URL } from '../../packages/runner/test/bullmq/redis-env.js';
import type { Spawned } from './cli.js';

/** A simulator, a temporary folder and a fresh Redis prefix for `koppel submit`/`worker`/`status` tests. */
export interface BullmqCli {
  sim: Simulator;
  dir: string;
  prefix: string;
  /** REDIS_URL, KOPPEL_REDIS_PREFIX and no verify delay, plus the extra variables given. */
  env: NodeJS.ProcessEnv;
  /** Kills `workers`, closes the simulator, drops the prefix's keys and removes the folder. */
  close(workers?: readonly (Spawned | undefined)[]): Promise<void>;
}

export async function startBullmqCli(options: {
  /** Faults of the simulator, on FiEntries POSTs. */
  faults: FaultPlan;
  /** Start of the temporary folder's name. */
  name: string;
  env?: NodeJS.ProcessEnv;
}): Promise<BullmqCli> {
  const sim = await startSimulator({ port: 0, faults: options.faults });
  const dir = await mkdtemp(join(tmpdir(), `${options.name}-`));
  const prefix = freshPrefix();
  const env = { REDIS_URL, KOPPEL_REDIS_PREFIX: prefix, KOPPEL_VERIFY_DELAY_MS: '0', ...options.env };
  return {
    sim,
    dir,
    prefix,
    env,
    async close(workers = []) {
      for (const worker of workers) worker?.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker?.exit));
      await sim.close();
      await dropPrefix(prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
