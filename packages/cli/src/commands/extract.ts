import { formatExtractReport } from '@koppel/core';
import { jobKind, prepareAfasToAfasRun, resolveStateDir, runExtract, runSession } from '@koppel/runner';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';
import { runProgressLog, stopOnSignals } from './run.js';

interface ExtractOptions {
  fullRefresh?: boolean;
  stateDir?: string;
  json?: boolean;
  newRun?: boolean;
}

/**
 * `koppel extract job.yaml`: reads the job's GetConnector into its target file (CSV, JSONL, JSON)
 * and prints a report (rows, seconds, rows/s). A job whose target is an UpdateConnector
 * (AFAS to AFAS) runs like `koppel run`: ledger, exactly-once, resume.
 */
export const registerExtract: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('extract')
    .argument('<job>', 'job file (YAML)')
    .option(
      '--full-refresh',
      'ignore the incremental watermark and read everything (a new watermark is kept)',
    )
    .option(
      '--state-dir <dir>',
      'directory of local state (watermarks in state/, runs in runs/); default KOPPEL_STATE_DIR, else $XDG_STATE_HOME/koppel or ~/.local/state/koppel',
    )
    .option('--new-run', 'AFAS to AFAS: start a new run instead of resuming the last one of this job')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, options: ExtractOptions) => {
      const stop = stopOnSignals(() => process.stderr.write('\nkoppel: stopping the extract\n'));
      try {
        if ((await jobKind(file)) === 'afas-to-afas') {
          const spec = await prepareAfasToAfasRun(file);
          const result = await runSession(spec, {
            ...(options.stateDir ? { stateDir: options.stateDir } : {}),
            newRun: options.newRun === true,
            signal: stop.signal,
            log: runProgressLog(spec, options.json ? 'json' : 'text'),
          });
          process.stdout.write(`${options.json ? JSON.stringify(result.report) : result.summary}\n`);
          setExitCode(result.report.exitCode);
          return;
        }
        const report = await runExtract(file, {
          stateDir: resolveStateDir({ flag: options.stateDir }).dir,
          fullRefresh: options.fullRefresh === true,
          signal: stop.signal,
        });
        process.stdout.write(`${options.json ? JSON.stringify(report) : formatExtractReport(report)}\n`);
      } finally {
        stop.dispose();
      }
    });
};
