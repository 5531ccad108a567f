import { connectDeployment, RedisRunStore, type RemoteRunMeta } from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';

const pad = (text: string, width: number): string => text.padEnd(width);

function describeRun(meta: RemoteRunMeta): string {
  const counts = meta.counts ?? {};
  const lines = [
    `run:      ${meta.runId} (${meta.status}, session ${meta.session})`,
    `job:      ${meta.job}`,
    `input:    ${meta.input}`,
    `created:  ${meta.createdAt}`,
    `records:  ${counts.done ?? 0} done, ${counts.rejected ?? 0} rejected, ${counts.uncertain ?? 0} uncertain, ${counts.pending ?? 0} pending (of ${meta.documents}); ${counts.inflight ?? 0} in flight`,
    `chunks:   ${meta.chunks}`,
    ...(meta.stopReason ? [`stopped:  ${meta.stopReason}`] : []),
    'sessions:',
    ...meta.sessions.map(
      (s) =>
        `  ${s.startedAt} -> ${s.endedAt ?? '(running)'}${s.exitCode === undefined ? '' : ` exit ${s.exitCode}`}`,
    ),
  ];
  return `${lines.join('\n')}\n${meta.summary ? `\n${meta.summary}\n` : ''}`;
}

/** `koppel status [RUN]`: runs submitted to Redis (counts live from the ledger), or one of them. */
export const registerStatus: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('status')
    .description('Show runs submitted to Redis, or one run (counts are live while workers run it).')
    .argument('[run]', 'run id (from `koppel submit`)')
    .option('--redis <url>', 'Redis URL (default: REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--json', 'print the run model as JSON')
    .action(async (runId: string | undefined, options: { redis?: string; json?: boolean }) => {
      const deployment = await connectDeployment({ ...(options.redis ? { redis: options.redis } : {}) });
      try {
        const store = new RedisRunStore(deployment.redis, deployment.keys);
        if (runId) {
          const meta = await store.read(runId);
          if (!meta) {
            process.stderr.write(
              `koppel: no run ${runId} on ${deployment.url} (prefix ${deployment.keys.prefix}); list them with \`koppel status\`\n`,
            );
            setExitCode(1);
            return;
          }
          process.stdout.write(options.json ? `${JSON.stringify(meta)}\n` : describeRun(meta));
          return;
        }
        const list = await store.list();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(list)}\n`);
          return;
        }
        if (list.length === 0) {
          process.stdout.write(
            `No runs on ${deployment.url} (prefix ${deployment.keys.prefix}); start one with \`koppel submit job.yaml\`.\n`,
          );
          return;
        }
        process.stdout.write(
          `${pad('RUN', 40)} ${pad('STATUS', 9)} ${pad('DONE', 7)} ${pad('REJ', 6)} ${pad('UNC', 5)} ${pad('PEND', 6)} CREATED\n`,
        );
        for (const run of list) {
          const c = run.counts ?? {};
          process.stdout.write(
            `${pad(run.runId, 40)} ${pad(run.status, 9)} ${pad(String(c.done ?? 0), 7)} ${pad(String(c.rejected ?? 0), 6)} ${pad(String(c.uncertain ?? 0), 5)} ${pad(String(c.pending ?? 0), 6)} ${run.createdAt}\n`,
          );
        }
      } finally {
        await deployment.close();
      }
    });
};
