import type { DeliveryStore } from '@koppel/core';
import {
  jobKind,
  prepareAfasToAfasRun,
  prepareJobRun,
  type RunSessionOptions,
  type RunSpec,
  runSession,
} from '@koppel/runner';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { progressRenderer } from '../progress/format-progress.js';
import { plainIntervalMs } from '../progress/progress-drawer.js';
import type { RegisterCommand } from './index.js';

interface RunOptions {
  input?: string;
  newRun?: boolean;
  resendUncertain?: boolean;
  forceResend?: boolean;
  stateDir?: string;
  redis?: string;
  logFormat: 'text' | 'json';
}

/**
 * Stops taking work on the first SIGINT/SIGTERM (requests in flight finish, the ledger is
 * written); a second one exits at once (records in flight become `uncertain` on resume).
 */
export function stopOnSignals(onFirst: () => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('\nkoppel: stopped at once; run the same command again to resume\n');
      process.exit(1);
    }
    controller.abort();
    onFirst();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/**
 * The progress of `koppel run` and of a GetConnector extract: a bar on a terminal, else a plain
 * line every KOPPEL_PROGRESS_INTERVAL_MS (default 5000), with the spec's requests in flight.
 */
export function runProgressLog(
  spec: Pick<RunSpec, 'pendingRequests'>,
  format: 'text' | 'json',
): NonNullable<RunSessionOptions['log']> {
  const interval = plainIntervalMs();
  const pending = spec.pendingRequests?.bind(spec);
  return {
    format,
    progress: progressRenderer,
    ...(interval !== undefined ? { plainIntervalMs: interval } : {}),
    ...(pending ? { pendingRequests: pending } : {}),
  };
}

/**
 * The RunSpec of a job file by its kind: a file source (`prepareJobRun`, `--input` replaces its
 * path) or a GetConnector source (`prepareAfasToAfasRun`). An extract (target: file) is refused
 * with the command that runs it.
 */
export async function prepareRun(job: string, input: string | undefined): Promise<RunSpec> {
  const kind = await jobKind(job);
  if (kind === 'extract') {
    throw new UsageError(`${job} is an extract (target: file); run it with \`koppel extract ${job}\``);
  }
  if (kind === 'afas-to-afas') {
    if (input !== undefined) {
      throw new UsageError(
        `--input replaces a file source, but ${job} reads a GetConnector; run it without --input`,
      );
    }
    return prepareAfasToAfasRun(job);
  }
  return prepareJobRun(job, input === undefined ? {} : { input });
}

/**
 * `koppel run job.yaml [--input file]`: runs or resumes the job; exit 0 all done, 2 some
 * rejected, 1 stopped. `--input` reads another file with the same job (a fixed rejects file).
 */
export const registerRun: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('run')
    .argument('<job>', 'job file (YAML)')
    .option(
      '--input <file>',
      "read this file instead of the job's source (e.g. the fixed rejects file); records done earlier are never sent again",
    )
    .option('--new-run', 'start a new run instead of resuming the last one of this job and input')
    .option(
      '--resend-uncertain',
      "settle records with an unknown outcome: looked up first through the job's verify:, sent again only when not found",
    )
    .option(
      '--force-resend',
      'with --resend-uncertain and no verify:, send uncertain records again without a lookup (an insert that was stored is booked twice)',
    )
    .option(
      '--state-dir <dir>',
      "directory of local state (delivery records, runs); default the job's state_dir:, KOPPEL_STATE_DIR, else $XDG_STATE_HOME/koppel or ~/.local/state/koppel",
    )
    .option(
      '--redis <url>',
      'also honour the delivery records of the BullMQ deployment on this Redis (implied by KOPPEL_REDIS_PREFIX; REDIS_URL is the default URL)',
    )
    .option('--log-format <format>', 'text (progress line) or json (one JSON object per line)', 'text')
    .action(async (job: string, options: RunOptions) => {
      if (options.logFormat !== 'text' && options.logFormat !== 'json') {
        throw new UsageError(`Expected --log-format to be text or json, got \`${options.logFormat}\``);
      }
      const spec = await prepareRun(job, options.input);
      if (options.resendUncertain && !spec.verifier) {
        if (!options.forceResend) {
          await spec.close?.();
          throw new UsageError(
            `--resend-uncertain: ${job} has no verify: to look uncertain records up first; add verify: to the job, or check uncertain.jsonl in Profit and add --force-resend (inserts that were stored are booked twice)`,
          );
        }
        process.stderr.write(
          'koppel: warning: --force-resend sends uncertain records again without a lookup; an insert that AFAS stored is booked twice\n',
        );
      }
      const stop = stopOnSignals(() =>
        process.stderr.write(
          '\nkoppel: stopping: finishing requests in flight (Ctrl-C again to quit at once)\n',
        ),
      );
      // Beside a BullMQ deployment, what its runs delivered counts too (and the other way round).
      const deployment =
        options.redis || process.env.KOPPEL_REDIS_PREFIX
          ? await import('@koppel/runner/bullmq').then(async (bullmq) => {
              const connected = await bullmq.connectDeployment(options.redis ? { redis: options.redis } : {});
              const shared = new bullmq.RedisDeliveryStore(connected.redis, connected.keys);
              return {
                connected,
                layered: (local: DeliveryStore) => bullmq.layeredDeliveryStore(local, shared),
              };
            })
          : undefined;
      try {
        const result = await runSession(spec, {
          ...(deployment ? { sharedDeliveries: deployment.layered } : {}),
          ...(options.stateDir ? { stateDir: options.stateDir } : {}),
          newRun: options.newRun === true,
          resendUncertain: options.resendUncertain === true,
          signal: stop.signal,
          log: runProgressLog(spec, options.logFormat),
        });
        if (options.logFormat === 'json') process.stdout.write(`${JSON.stringify(result.report)}\n`);
        else process.stdout.write(`${result.summary}\n`);
        setExitCode(result.report.exitCode);
      } finally {
        stop.dispose();
        await deployment?.connected.close();
      }
    });
};
