import { prepareJobRun, runSession } from '@koppel/runner';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';

interface RunOptions {
  newRun?: boolean;
  resendUncertain?: boolean;
  stateDir: string;
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

/** `koppel run job.yaml`: runs or resumes the job; exit 0 all done, 2 some rejected, 1 stopped. */
export const registerRun: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('run')
    .description(
      'Run a job: post every record to AFAS once, with retries, rejects and a report. Run it again to resume.',
    )
    .argument('<job>', 'job file (YAML)')
    .option('--new-run', 'start a new run instead of resuming the last one of this job and input')
    .option('--resend-uncertain', 'send records with an unknown outcome again (check them in Profit first)')
    .option('--state-dir <dir>', 'directory of local run state (ledgers, reports)', '.koppel')
    .option('--log-format <format>', 'text (progress line) or json (one JSON object per line)', 'text')
    .action(async (job: string, options: RunOptions) => {
      if (options.logFormat !== 'text' && options.logFormat !== 'json') {
        throw Object.assign(
          new Error(`Expected --log-format to be text or json, got \`${options.logFormat}\``),
          {
            code: 'KOPPEL_USAGE',
          },
        );
      }
      const spec = await prepareJobRun(job);
      const stop = stopOnSignals(() =>
        process.stderr.write(
          '\nkoppel: stopping: finishing requests in flight (Ctrl-C again to quit at once)\n',
        ),
      );
      try {
        const result = await runSession(spec, {
          stateDir: options.stateDir,
          newRun: options.newRun === true,
          resendUncertain: options.resendUncertain === true,
          signal: stop.signal,
          log: { format: options.logFormat },
        });
        if (options.logFormat === 'json') process.stdout.write(`${JSON.stringify(result.report)}\n`);
        else process.stdout.write(`${result.summary}\n`);
        setExitCode(result.report.exitCode);
      } finally {
        stop.dispose();
      }
    });
};
