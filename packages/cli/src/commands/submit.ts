import { resolve as resolvePath } from 'node:path';
import {
  connectDeployment,
  RedisRunStore,
  runProgress,
  submitRun,
  writeRunOutputs,
} from '@koppel/runner/bullmq';
import type { Command } from 'commander';
import { wholeNumber } from '../options.js';
import { ProgressDrawer } from '../progress/progress-drawer.js';
import type { RegisterCommand } from './index.js';

interface SubmitOptions {
  redis?: string;
  input?: string;
  newRun?: boolean;
  resendUncertain?: boolean;
  chunkSize: number;
  wait?: boolean;
  writeOutputs?: string;
}

/**
 * `koppel submit job.yaml [--input file]`: enqueues a run on Redis for `koppel worker` processes;
 * submitting the same job and input again resumes it. `--input` reads another file with the same
 * job (a fixed rejects file), as `koppel run --input` does; records done earlier are never sent again. `--wait` follows it to the end (exit 0/2/1 like `koppel run`),
 * drawing the run's figures (those of `koppel status RUN`) with `koppel run`'s progress renderer;
 * `--write-outputs DIR` (implies `--wait`) also writes the run's files into DIR from the Redis ledger.
 */
export const registerSubmit: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('submit')
    .argument('<job>', 'job file (YAML); workers read it, the input is read only here')
    .option(
      '--redis <url>',
      'Redis: redis://, rediss:// (TLS), redis+sentinel://host:port,…/master, redis+cluster://host:port,… or @config.yaml (default: KOPPEL_REDIS_CONFIG, REDIS_URL, else redis://127.0.0.1:6379; see docs/production.md)',
    )
    .option(
      '--input <file>',
      "read this file instead of the job's source (e.g. the fixed rejects file); records done earlier are never sent again",
    )
    .option('--new-run', 'start a new run instead of resuming the last one of this job and input')
    .option('--resend-uncertain', 'send records with an unknown outcome again (check them in Profit first)')
    .option(
      '--chunk-size <n>',
      'documents per chunk (what a worker takes and hands back)',
      wholeNumber('--chunk-size'),
      100,
    )
    .option(
      '--wait',
      'wait until the run is finalised and print its summary; progress as `koppel run` shows it (a bar on a terminal, else a line every KOPPEL_PROGRESS_INTERVAL_MS, default 5 s)',
    )
    .option(
      '--write-outputs <dir>',
      'wait, then also write results, rejects and report into <dir> here (when workers cannot write beside the job)',
    )
    .action(async (job: string, options: SubmitOptions) => {
      const chunkSize = options.chunkSize;
      const deployment = await connectDeployment({ ...(options.redis ? { redis: options.redis } : {}) });
      try {
        const result = await submitRun(job, {
          redis: deployment.redis,
          keys: deployment.keys,
          ...(options.input === undefined ? {} : { input: options.input }),
          newRun: options.newRun === true,
          resendUncertain: options.resendUncertain === true,
          chunkSize,
        });
        if (result.delivered > 0) {
          process.stderr.write(
            `koppel: ${result.delivered} record(s) delivered by earlier runs to this environment are skipped (never sent twice)\n`,
          );
        }
        process.stdout.write(
          `koppel: submitted run ${result.runId} (session ${result.session}): ${result.enqueued} of ${result.documents} records in ${result.chunks} chunks on ${deployment.url}; follow it with \`koppel status ${result.runId}\`\n`,
        );
        if (!options.wait && !options.writeOutputs) return;
        const store = new RedisRunStore(deployment.redis, deployment.keys);
        // The figures of `koppel status RUN`, drawn as `koppel run` draws its own (stderr).
        const drawer = new ProgressDrawer();
        // A run whose chunks no worker takes for this long is reported INCOMPLETE (default 15 s).
        const graceMs = Number(process.env.KOPPEL_WAIT_NO_WORKER_MS ?? 15_000);
        let stuckSince: number | undefined;
        try {
          for (;;) {
            const meta = await store.read(result.runId);
            if (meta && meta.status === 'running') {
              const figures = drawer.due();
              const progress = await runProgress(meta, { ...deployment, figures });
              if (progress.figures) drawer.draw(progress.figures);
              stuckSince = progress.incomplete ? (stuckSince ?? Date.now()) : undefined;
              if (progress.incomplete && stuckSince !== undefined && Date.now() - stuckSince >= graceMs) {
                drawer.end();
                process.stdout.write(`${progress.incomplete}\n`);
                setExitCode(1);
                return;
              }
            }
            if (meta && meta.status !== 'running' && meta.sessions.at(-1)?.endedAt) {
              drawer.end();
              process.stdout.write(`${meta.summary ?? `Run ${meta.runId} ${meta.status}`}\n`);
              if (options.writeOutputs) {
                const dir = resolvePath(options.writeOutputs);
                await writeRunOutputs(meta, { redis: deployment.redis, keys: deployment.keys, dir });
                process.stdout.write(`koppel: results, rejects and report also written to ${dir}\n`);
              }
              setExitCode(meta.exitCode ?? 1);
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        } finally {
          drawer.end();
        }
      } finally {
        await deployment.close();
      }
    });
};
