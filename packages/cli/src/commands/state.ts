import { existsSync } from 'node:fs';
import { formatAmsterdamOffset, parseAfasDate } from '@koppel/afas';
import { loadExtractJob, StateError } from '@koppel/core';
import { extractStateStore } from '@koppel/runner';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';

/** A job name, or the name inside a job file when the argument is one. */
async function jobName(job: string): Promise<string> {
  if (/\.ya?ml$/i.test(job) && existsSync(job)) {
    return (await loadExtractJob(job, { skipConnection: true })).job.name;
  }
  return job;
}

const stateDirOf = (command: Command): string =>
  (command.parent?.opts() as { stateDir?: string } | undefined)?.stateDir ?? '.koppel';

/** `koppel state get|set|clear JOB`: the incremental watermark of an extract job (`.koppel/state/<job>.json`). */
export const registerState: RegisterCommand = (program: Command, setExitCode) => {
  const state = program
    .command('state')
    .description('Show, set or clear the named state (incremental watermark) of a job.')
    .option('--state-dir <dir>', 'directory of local state', '.koppel');
  state
    .command('get <job>')
    .description('Print the state of a job (name or job file) as JSON.')
    .action(async (job: string, _options: unknown, command: Command) => {
      const store = extractStateStore(stateDirOf(command));
      const name = await jobName(job);
      const value = await store.get(name);
      if (value === undefined) {
        process.stderr.write(`koppel: no state for ${name} in ${store.dir}; the next run reads everything\n`);
        setExitCode(1);
        return;
      }
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    });
  state
    .command('set <job>')
    .description('Set the watermark: the next run reads rows changed since then (Amsterdam local time).')
    .requiredOption(
      '--watermark <time>',
      'Amsterdam local time, e.g. 2024-06-12T14:03:21 or with offset +02:00',
    )
    .requiredOption('--field <field>', 'the incremental field of the job, e.g. ModifiedDate')
    .action(async (job: string, options: { watermark: string; field: string }, command: Command) => {
      const store = extractStateStore(stateDirOf(command));
      const name = await jobName(job);
      const watermark = withOffset(options.watermark);
      await store.set(name, {
        version: 1,
        job: name,
        field: options.field,
        watermark,
        seen: {},
        updated_at: new Date().toISOString(),
        rows: 0,
      });
      process.stdout.write(`koppel: ${name} watermark set to ${watermark}\n`);
    });
  state
    .command('clear <job>')
    .description('Forget the state: the next run reads everything.')
    .action(async (job: string, _options: unknown, command: Command) => {
      const store = extractStateStore(stateDirOf(command));
      const name = await jobName(job);
      const removed = await store.clear(name);
      process.stdout.write(`koppel: ${removed ? 'cleared the state of' : 'no state to clear for'} ${name}\n`);
    });
};

/** `2024-06-12T14:03:21` (Amsterdam local, a `Z` ignored) -> `2024-06-12T14:03:21+02:00`; a given offset is kept. */
function withOffset(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(text)) return text;
  const date = parseAfasDate(text);
  if (!date) {
    throw new StateError(
      `Expected --watermark as Amsterdam local time YYYY-MM-DDTHH:mm:ss (optionally +hh:mm), got "${text}".`,
    );
  }
  return formatAmsterdamOffset(date);
}
