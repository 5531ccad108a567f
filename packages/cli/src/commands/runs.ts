import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatLocalTime, type RunMeta, RunStore, resolveStateDir } from '@koppel/runner';
import type { RemoteRunMeta } from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import { NotFoundError } from '../errors.js';
import type { RegisterCommand } from './index.js';
import { describeRun } from './status.js';

const pad = (text: string, width: number): string => text.padEnd(width);

interface RunsOptions {
  stateDir?: string;
  /** `--redis` alone: REDIS_URL or the default; a string: that URL; absent: local runs only. */
  redis?: string | true;
}

/**
 * Runs on Redis (`--redis [url]`), read through the BullMQ module only when asked for, so
 * `koppel runs` needs nothing but the disk otherwise. Undefined without `--redis`.
 */
async function withRedisRuns<T>(
  redis: string | true | undefined,
  use: (store: {
    list(): Promise<RemoteRunMeta[]>;
    read(id: string): Promise<RemoteRunMeta | undefined>;
  }) => Promise<T>,
): Promise<T | undefined> {
  if (redis === undefined) return undefined;
  const { connectDeployment, RedisRunStore } = await import('@koppel/runner/bullmq');
  const deployment = await connectDeployment(typeof redis === 'string' ? { redis } : {});
  try {
    return await use(new RedisRunStore(deployment.redis, deployment.keys));
  } finally {
    await deployment.close();
  }
}

function row(run: RunMeta, where: string): string {
  const c = run.counts ?? {};
  return `${pad(run.runId, 40)} ${pad(run.status, 9)} ${pad(String(c.done ?? 0), 7)} ${pad(String(c.rejected ?? 0), 6)} ${pad(String(c.uncertain ?? 0), 5)} ${pad(String(c.pending ?? 0), 6)} ${pad(where, 6)} ${formatLocalTime(run.createdAt)}\n`;
}

/** `koppel runs` lists local runs; `koppel runs show ID` shows one (counts, state, sessions, summary). */
/**
 * `koppel runs` lists local runs, and with `--redis [url]` the runs submitted to Redis too, in one
 * table (WHERE: local or redis); `koppel runs show ID` shows one (counts, state, sessions, summary).
 */
export const registerRuns: RegisterCommand = (program: Command) => {
  const runs = program
    .command('runs')
    .option(
      '--state-dir <dir>',
      'directory of local state; default KOPPEL_STATE_DIR, else $XDG_STATE_HOME/koppel or ~/.local/state/koppel',
    )
    .option(
      '--redis [url]',
      'also list runs submitted to Redis (url default: REDIS_URL, else redis://127.0.0.1:6379)',
    )
    .action(async (options: RunsOptions) => {
      const stateDir = resolveStateDir({ flag: options.stateDir }).dir;
      const local = await new RunStore(stateDir).list();
      const remote = (await withRedisRuns(options.redis, (store) => store.list())) ?? [];
      if (local.length + remote.length === 0) {
        process.stdout.write(
          `No runs in ${join(stateDir, 'runs')}${options.redis ? ' or on Redis' : ''}; start one with \`koppel run job.yaml\`${options.redis ? ' or `koppel submit job.yaml`' : ''}.\n`,
        );
        return;
      }
      const all = [
        ...local.map((run) => ({ run, where: 'local' })),
        ...remote.map((run) => ({ run, where: 'redis' })),
      ].sort((a, b) => a.run.createdAt.localeCompare(b.run.createdAt));
      process.stdout.write(
        `${pad('RUN', 40)} ${pad('STATUS', 9)} ${pad('DONE', 7)} ${pad('REJ', 6)} ${pad('UNC', 5)} ${pad('PEND', 6)} ${pad('WHERE', 6)} CREATED\n`,
      );
      for (const { run, where } of all) process.stdout.write(row(run, where));
    });
  runs
    .command('show <runId>')
    .description(
      'Show one run: job, input, counts, sessions and the last summary (local, else on Redis with --redis).',
    )
    .action(async (runId: string, _options: unknown, command: Command) => {
      const parent = (command.parent?.opts() ?? {}) as Partial<RunsOptions>;
      const store = new RunStore(resolveStateDir({ flag: parent.stateDir }).dir);
      const meta = await store.read(runId).catch(() => undefined);
      if (!meta) {
        const remote = await withRedisRuns(parent.redis, (redis) => redis.read(runId));
        if (remote) {
          process.stdout.write(describeRun(remote));
          return;
        }
        throw new NotFoundError(
          `no run ${runId} in ${store.root}${parent.redis ? ' or on Redis' : ''}; list them with \`koppel runs${parent.redis ? ' --redis' : ''}\``,
        );
      }
      const lines = [
        `run:     ${meta.runId} (${meta.status})`,
        `job:     ${meta.job}`,
        `input:   ${meta.input}`,
        `created: ${formatLocalTime(meta.createdAt)}`,
        `counts:  ${Object.entries(meta.counts ?? {})
          .map(([state, n]) => `${n} ${state}`)
          .join(', ')}`,
        ...(meta.stopReason ? [`stopped: ${meta.stopReason}`] : []),
        'sessions:',
        ...meta.sessions.map(
          (s) =>
            `  ${formatLocalTime(s.startedAt)} -> ${s.endedAt ? formatLocalTime(s.endedAt) : '(did not end: killed?)'}${s.exitCode === undefined ? '' : ` exit ${s.exitCode}`}${s.endedAt ? ` (${((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)} s)` : ''}`,
        ),
      ];
      const summary = await readFile(join(store.dir(runId), 'report.txt'), 'utf8').catch(() => '');
      process.stdout.write(`${lines.join('\n')}\n${summary ? `\n${summary}` : ''}`);
    });
};
