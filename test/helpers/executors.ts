import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_QUEUES, KoppelKeys, openRedis } from '@koppel/runner/bullmq';
import { dropPrefix, freshPrefix, REDIS_URL } from '../../packages/runner/test/bullmq/redis-env.js';
import { type CliResult, finished, runCli, type Spawned, spawnCli, spawnKoppel } from './cli.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One run of a job that processes get killed in, then resumed. */
export interface KilledRun {
  /** Waits until records are being sent (starting what has to run for that). */
  sending(): Promise<void>;
  /** `kill -9` of a process that is sending; resolves with the signal it died of. */
  kill(): Promise<string>;
  /** Resumes after the kills and runs to the end: the command that printed the summary. */
  resume(): Promise<CliResult>;
  /** Work that died half-way and was taken up again (local: sessions never ended; BullMQ: chunks put back). */
  interrupted(result: CliResult): Promise<number>;
  /** Stops whatever is left and deletes what the run kept outside `cwd`. */
  close(): Promise<void>;
}

/**
 * How an end-to-end suite runs a job: `koppel run` in one process, or `koppel submit` with two
 * `koppel worker` processes on a fresh Redis prefix. The suites (test/run-chaos.test.ts,
 * test/run-kill.test.ts) run against both with the same assertions.
 */
export interface ExecutorDriver {
  name: 'local' | 'bullmq';
  /** Runs the job to its end; the result of the command that printed the summary. */
  run(jobFile: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult>;
  /** A run to kill at random points and resume. */
  killed(jobFile: string, options: { cwd: string; env: NodeJS.ProcessEnv }): KilledRun;
}

const local: ExecutorDriver = {
  name: 'local',
  run: (jobFile, options) => runCli(['run', jobFile], options),
  killed(jobFile, options) {
    let running: { child: ReturnType<typeof spawnCli>; done: Promise<CliResult> } | undefined;
    return {
      async sending() {
        const child = spawnCli(['run', jobFile], options);
        running = { child, done: finished(child) };
        await new Promise<void>((resolve) => {
          const onData = (chunk: Buffer): void => {
            if (!/koppel: (run|resuming run) /.test(chunk.toString())) return;
            child.stderr?.off('data', onData);
            resolve();
          };
          child.stderr?.on('data', onData);
          child.on('close', () => resolve());
        });
      },
      async kill() {
        if (!running) throw new Error('nothing is running');
        running.child.kill('SIGKILL');
        const killed = await running.done;
        running = undefined;
        return killed.signal ?? killed.stderr;
      },
      resume: () => runCli(['run', jobFile], options),
      async interrupted(result) {
        const report = JSON.parse(await readFile(reportPath(result.stdout), 'utf8'));
        const meta = JSON.parse(
          await readFile(join(options.cwd, '.koppel', 'runs', report.runId, 'run.json'), 'utf8'),
        );
        const sessions = meta.sessions as { endedAt?: string }[];
        if (sessions.at(-1)?.endedAt === undefined) throw new Error('the last session did not end');
        return sessions.filter((s) => s.endedAt === undefined).length;
      },
      async close() {
        running?.child.kill('SIGKILL');
        await running?.done;
      },
    };
  },
};

/** Two `koppel worker`s and a `koppel submit --wait` on a fresh Redis prefix. */
class Deployment {
  readonly prefix = freshPrefix();
  readonly workers: Spawned[] = [];
  readonly #env: NodeJS.ProcessEnv;
  readonly #cwd: string;
  readonly #args: string[];

  constructor(
    options: { cwd: string; env: NodeJS.ProcessEnv },
    workerArgs: string[],
    knobs: NodeJS.ProcessEnv,
  ) {
    this.#cwd = options.cwd;
    this.#env = { ...options.env, ...knobs, REDIS_URL, KOPPEL_REDIS_PREFIX: this.prefix };
    this.#args = workerArgs;
  }

  async startWorker(): Promise<Spawned> {
    const worker = spawnKoppel(['worker', ...this.#args], { cwd: this.#cwd, env: this.#env });
    this.workers.push(worker);
    await worker.waitFor('koppel worker: ready');
    return worker;
  }

  submit(jobFile: string): Spawned {
    return spawnKoppel(['submit', jobFile, '--wait'], { cwd: this.#cwd, env: this.#env });
  }

  /** SIGTERM to every worker (SIGKILL after 10 s), then every key of the prefix deleted. */
  async close(): Promise<void> {
    for (const worker of this.workers) worker.child.kill('SIGTERM');
    const force = setTimeout(() => {
      for (const worker of this.workers) worker.child.kill('SIGKILL');
    }, 10_000);
    await Promise.all(this.workers.map((worker) => worker.exit.catch(() => undefined)));
    clearTimeout(force);
    await dropPrefix(this.prefix);
  }
}

/** Drops every Redis connection of the deployment (workers and submit name theirs after the prefix). */
async function dropConnections(prefix: string): Promise<number> {
  const admin = openRedis(REDIS_URL);
  try {
    const clients = String(await admin.client('LIST')).split('\n');
    const ids = clients
      .filter((line) => new RegExp(`name=\\S*${prefix}`).test(line))
      .map((line) => /id=(\d+)/.exec(line)?.[1] as string);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}

/** Resolves once `predicate` holds (checked every 20 ms), or the process ended. */
async function until(predicate: () => Promise<boolean>, submit: Spawned): Promise<void> {
  let ended = false;
  void submit.exit.then(() => {
    ended = true;
  });
  while (!ended && !(await predicate())) await sleep(20);
}

const bullmq: ExecutorDriver = {
  name: 'bullmq',
  async run(jobFile, options) {
    const deployment = new Deployment(options, [], {});
    try {
      await Promise.all([deployment.startWorker(), deployment.startWorker()]);
      const submit = deployment.submit(jobFile);
      // Mid-run, every Redis connection of the deployment is dropped once (CLIENT KILL).
      const redis = openRedis(REDIS_URL);
      const ledger = `${deployment.prefix}:k:counts:*`;
      try {
        await until(async () => {
          const [key] = (await redis.keys(ledger)) as string[];
          return key !== undefined && Number(await redis.hget(key, 'done')) >= 1000;
        }, submit);
      } finally {
        redis.disconnect();
      }
      // Both workers (a blocking and a command connection each at least) and the submit.
      const dropped = await dropConnections(deployment.prefix);
      if (dropped < 5) throw new Error(`expected to drop every Redis connection mid-run, dropped ${dropped}`);
      return await submit.exit;
    } finally {
      await deployment.close();
    }
  },
  killed(jobFile, options) {
    // One chunk at a time per worker, so a kill -9 mid-chunk leaves exactly one chunk behind.
    const deployment = new Deployment(options, ['--concurrency', '1'], {
      KOPPEL_LOCK_DURATION_MS: '4000',
      KOPPEL_STALLED_INTERVAL_MS: '500',
      KOPPEL_GATE_LEASE_MS: '2000',
    });
    const redis = openRedis(REDIS_URL);
    const queue = `${new KoppelKeys(deployment.prefix).bull}:${DEFAULT_QUEUES.chunks}`;
    let submit: Spawned | undefined;
    /** The pid of a live worker holding a chunk right now (BullMQ's `processedBy` is `<host>:<pid>`). */
    const busy = async (): Promise<number | undefined> => {
      const pids = new Set(
        deployment.workers
          .filter((w) => w.child.exitCode === null && w.child.signalCode === null)
          .map((w) => w.child.pid),
      );
      for (const id of await redis.lrange(`${queue}:active`, 0, -1)) {
        const pid = Number((await redis.hget(`${queue}:${id}`, 'pb'))?.split(':').at(-1));
        if (pids.has(pid)) return pid;
      }
      return undefined;
    };
    return {
      async sending() {
        if (!submit) {
          await Promise.all([deployment.startWorker(), deployment.startWorker()]);
          submit = deployment.submit(jobFile);
        }
        await until(async () => (await busy()) !== undefined, submit);
      },
      async kill() {
        const pid = await busy();
        const worker = deployment.workers.find((w) => w.child.pid === pid);
        if (!worker) throw new Error('no worker holds a chunk: the run ended before the kill');
        worker.child.kill('SIGKILL');
        const killed = await worker.exit;
        await deployment.startWorker();
        return killed.signal ?? killed.stderr;
      },
      async resume() {
        if (!submit) throw new Error('nothing was submitted');
        return submit.exit;
      },
      async interrupted(result) {
        return Number(/(\d+) chunk\(s\) put back after their worker died/.exec(result.stdout)?.[1] ?? 0);
      },
      async close() {
        redis.disconnect();
        submit?.child.kill('SIGKILL');
        await deployment.close();
      },
    };
  },
};

/** Both executors, for `describe.each`. */
export const EXECUTORS: readonly ExecutorDriver[] = [local, bullmq];

/** The report path from the summary printed on stdout. */
export function reportPath(stdout: string): string {
  const match = /report: {2}(\S+)/.exec(stdout);
  if (!match?.[1]) throw new Error(`no report path in:\n${stdout}`);
  return match[1];
}
