import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RunStore } from '@koppel/runner';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';

const pad = (text: string, width: number): string => text.padEnd(width);

/** `koppel runs` lists local runs; `koppel runs show ID` shows one (counts, state, sessions, summary). */
export const registerRuns: RegisterCommand = (program: Command, setExitCode) => {
  const runs = program
    .command('runs')
    .description('List the runs under .koppel/runs (or show one with `koppel runs show ID`).')
    .option('--state-dir <dir>', 'directory of local run state', '.koppel')
    .action(async (options: { stateDir: string }) => {
      const list = await new RunStore(resolve(options.stateDir)).list();
      if (list.length === 0) {
        process.stdout.write(
          `No runs in ${resolve(options.stateDir, 'runs')}; start one with \`koppel run job.yaml\`.\n`,
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
    });
  runs
    .command('show <runId>')
    .description('Show one run: job, input, counts, sessions and the last summary.')
    .action(async (runId: string, _options: unknown, command: Command) => {
      const stateDir = (command.parent?.opts() as { stateDir?: string } | undefined)?.stateDir ?? '.koppel';
      const store = new RunStore(resolve(stateDir));
      const meta = await store.read(runId).catch(() => undefined);
      if (!meta) {
        process.stderr.write(`koppel: no run ${runId} in ${store.root}; list them with \`koppel runs\`\n`);
        setExitCode(1);
        return;
      }
      const lines = [
        `run:     ${meta.runId} (${meta.status})`,
        `job:     ${meta.job}`,
        `input:   ${meta.input}`,
        `created: ${meta.createdAt}`,
        `counts:  ${Object.entries(meta.counts ?? {})
          .map(([state, n]) => `${n} ${state}`)
          .join(', ')}`,
        ...(meta.stopReason ? [`stopped: ${meta.stopReason}`] : []),
        'sessions:',
        ...meta.sessions.map(
          (s) =>
            `  ${s.startedAt} -> ${s.endedAt ?? '(did not end: killed?)'}${s.exitCode === undefined ? '' : ` exit ${s.exitCode}`}${s.endedAt ? ` (${((Date.parse(s.endedAt) - Date.parse(s.startedAt)) / 1000).toFixed(1)} s)` : ''}`,
        ),
      ];
      const summary = await readFile(join(store.dir(runId), 'report.txt'), 'utf8').catch(() => '');
      process.stdout.write(`${lines.join('\n')}\n${summary ? `\n${summary}` : ''}`);
    });
};
