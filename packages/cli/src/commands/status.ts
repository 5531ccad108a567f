import { resolve } from 'node:path';
import { formatLocalTime } from '@koppel/runner';
import {
  connectDeployment,
  RedisRunStore,
  type RemoteRunMeta,
  type RunProgress,
  runProgress,
  writeRunOutputs,
} from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../errors.js';
import { progressReport } from '../progress/format-progress.js';
import type { RegisterCommand } from './index.js';

const pad = (text: string, width: number): string => text.padEnd(width);

/**
 * The text of one run on Redis (`koppel status RUN`, `koppel runs show ID --redis`); a running
 * run's progress (done/total, %, recent rate, ETA, retries and 503 pauses) when `progress` has it.
 */
export function describeRun(meta: RemoteRunMeta, progress?: RunProgress): string {
  const counts = meta.counts ?? {};
  const status = progress?.incomplete ? 'INCOMPLETE' : meta.status;
  const lines = [
    ...(progress?.incomplete ? [progress.incomplete, ''] : []),
    `run:      ${meta.runId} (${status}, session ${meta.session})`,
    `job:      ${meta.job}`,
    `input:    ${meta.input}`,
    `created:  ${formatLocalTime(meta.createdAt)}`,
    `records:  ${counts.done ?? 0} done, ${counts.rejected ?? 0} rejected, ${counts.uncertain ?? 0} uncertain, ${counts.pending ?? 0} pending (of ${meta.documents}); ${counts.inflight ?? 0} in flight`,
    ...(progress?.figures ? progressReport(progress.figures) : []),
    `chunks:   ${meta.chunks}${progress && progress.pendingChunks.length > 0 ? ` (${progress.pendingChunks.length} not processed yet, ${progress.workers} worker(s) connected)` : ''}`,
    ...(meta.unprocessed ? [`not run:  ${meta.unprocessed}`] : []),
    ...(meta.files
      ? [`files:    ${meta.files.report} (results, rejects and report of the last finalised session)`]
      : []),
    ...(meta.stopReason ? [`stopped:  ${meta.stopReason}`] : []),
    'sessions:',
    ...meta.sessions.map(
      (s) =>
        `  ${formatLocalTime(s.startedAt)} -> ${s.endedAt ? formatLocalTime(s.endedAt) : '(running)'}${s.exitCode === undefined ? '' : ` exit ${s.exitCode}`}`,
    ),
  ];
  return `${lines.join('\n')}\n${meta.summary ? `\n${meta.summary}\n` : ''}`;
}

/** `koppel status [RUN]`: runs submitted to Redis (counts live from the ledger), or one of them. */
export const registerStatus: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('status')
    .argument('[run]', 'run id (from `koppel submit`)')
    .option('--redis <url>', 'Redis URL (default: REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--json', 'print the run model as JSON')
    .option(
      '--write-outputs <dir>',
      'write results.jsonl, the rejects file and report.json/.txt of the run into <dir> (from the Redis ledger)',
    )
    .action(
      async (
        runId: string | undefined,
        options: { redis?: string; json?: boolean; writeOutputs?: string },
      ) => {
        const deployment = await connectDeployment({ ...(options.redis ? { redis: options.redis } : {}) });
        try {
          const store = new RedisRunStore(deployment.redis, deployment.keys);
          if (runId) {
            const meta = await store.read(runId);
            if (!meta) {
              throw new NotFoundError(
                `no run ${runId} on ${deployment.url} (prefix ${deployment.keys.prefix}); list them with \`koppel status\``,
              );
            }
            if (options.writeOutputs) {
              const { summary } = await writeRunOutputs(meta, {
                redis: deployment.redis,
                keys: deployment.keys,
                dir: resolve(options.writeOutputs),
              });
              process.stdout.write(`${summary}\n`);
              return;
            }
            const progress = await runProgress(meta, {
              redis: deployment.redis,
              keys: deployment.keys,
              figures: true,
            });
            process.stdout.write(
              options.json ? `${JSON.stringify({ ...meta, progress })}\n` : describeRun(meta, progress),
            );
            if (progress.incomplete) setExitCode(1);
            return;
          }
          if (options.writeOutputs) {
            throw new UsageError('--write-outputs needs a run id: `koppel status RUN --write-outputs DIR`');
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
            `${pad('RUN', 40)} ${pad('STATUS', 10)} ${pad('DONE', 7)} ${pad('REJ', 6)} ${pad('UNC', 5)} ${pad('PEND', 6)} CREATED\n`,
          );
          for (const run of list) {
            const c = run.counts ?? {};
            // A running run no worker can take on is INCOMPLETE: its counts are partial.
            const stuck = run.status === 'running' && (await runProgress(run, deployment)).incomplete;
            const status = stuck ? 'INCOMPLETE' : run.status;
            process.stdout.write(
              `${pad(run.runId, 40)} ${pad(status, 10)} ${pad(String(c.done ?? 0), 7)} ${pad(String(c.rejected ?? 0), 6)} ${pad(String(c.uncertain ?? 0), 5)} ${pad(String(c.pending ?? 0), 6)} ${formatLocalTime(run.createdAt)}\n`,
            );
          }
        } finally {
          await deployment.close();
        }
      },
    );
};
