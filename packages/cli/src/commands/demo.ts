import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareJobRun, runSession } from '@koppel/runner';
import type { Command } from 'commander';
import { startEmbeddedSimulator } from '../embedded-sim.js';
import type { RegisterCommand } from './index.js';
import { runProgressLog, stopOnSignals } from './run.js';

const DEMO_JOBS = ['entries.yaml', 'persons.yaml'];

/**
 * `koppel demo`: starts an embedded AFAS simulator on a free port (no Redis, no credentials),
 * runs the demo jobs (jobs/demo/ of the checkout, or demo/ of the installed package: journal
 * entries with decimal commas, persons; a few rows wrong on purpose) and prints each report and
 * where its files are. The deliberate rejects are the point of the demo, so it exits 0 when every
 * run finished, and 1 when a run stopped.
 */
export const registerDemo: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('demo')
    .option('--jobs <dir>', 'directory holding entries.yaml and persons.yaml', defaultJobsDir())
    .option(
      '--state-dir <dir>',
      'directory of run state; default a new temporary directory (the simulator starts empty)',
    )
    .action(async (options: { jobs: string; stateDir?: string }) => {
      const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'koppel-demo-')));
      const { simulator, token: demoToken } = await startEmbeddedSimulator({
        port: 0,
        update: { multiElementResults: 'array' },
      });
      const stop = stopOnSignals(() => process.stderr.write('\nkoppel: stopping the demo\n'));
      let stopped = false;
      try {
        process.stdout.write(`AFAS simulator at ${simulator.baseUrl()} (embedded; stops with the demo)\n\n`);
        const env = {
          ...process.env,
          KOPPEL_DEMO_URL: simulator.baseUrl(),
          KOPPEL_DEMO_TOKEN: demoToken,
          KOPPEL_VERIFY_DELAY_MS: '0',
        };
        for (const name of DEMO_JOBS) {
          if (stop.signal.aborted) break;
          const file = `${options.jobs.replace(/\/$/, '')}/${name}`;
          process.stdout.write(`$ koppel run ${file}\n`);
          const spec = await prepareJobRun(file, { env });
          const result = await runSession(spec, {
            stateDir,
            newRun: true,
            signal: stop.signal,
            log: runProgressLog(spec, 'text'),
          });
          process.stdout.write(`${result.summary}\n\n`);
          if (result.report.exitCode === 1) stopped = true;
        }
        process.stdout.write(
          stopped
            ? 'The demo stopped before it finished (see above).\n'
            : 'Demo finished. The rejected records are wrong on purpose: open a rejects file to see why.\n' +
                `\`koppel runs --state-dir ${stateDir}\` lists these runs.\n` +
                `To try it yourself: \`koppel sim --port 8044\` in one terminal, then \`koppel run ${shown(join(options.jobs, 'entries.yaml'))}\`\n` +
                'in another (from a checkout, `npx koppel` runs the command).\n',
        );
      } finally {
        stop.dispose();
        await simulator.close();
      }
      setExitCode(stopped ? 1 : 0);
    });
};

/**
 * The demo jobs: `demo/` inside the installed package (scripts/pack-cli.ts puts jobs/demo/ there),
 * else jobs/demo/ of the checkout this runs from.
 */
function defaultJobsDir(): string {
  const packed = fileURLToPath(new URL('../../demo/', import.meta.url));
  return existsSync(packed) ? packed : fileURLToPath(new URL('../../../../jobs/demo/', import.meta.url));
}

/** A path as the user would type it from here: relative below the working directory, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
