import { existsSync } from 'node:fs';
import { formatAmsterdamOffset, parseAfasDate } from '@koppel/afas';
import { environmentIdentity, type ForgetFilter, loadExtractJob, loadJob, StateError } from '@koppel/core';
import {
  extractStateStore,
  forgetDeliveries,
  formatLocalTime,
  isoTimeOf,
  jobDelivery,
  keysOf,
  LmdbDeliveryStore,
  resolveStateDir,
} from '@koppel/runner';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../errors.js';
import { wholeNumber } from '../options.js';
import type { RegisterCommand } from './index.js';

/** A job name, or the name inside a job file when the argument is one. */
async function jobName(job: string): Promise<string> {
  if (/\.ya?ml$/i.test(job) && existsSync(job)) {
    return (await loadExtractJob(job, { skipConnection: true })).job.name;
  }
  return job;
}

const stateDirOf = (command: Command): string =>
  resolveStateDir({ flag: (command.parent?.opts() as { stateDir?: string } | undefined)?.stateDir }).dir;

interface ForgetOptions {
  environment?: string;
  connector?: string;
  scope?: string;
  keys?: string;
  keysFile?: string;
  before?: string;
  since?: string;
  dryRun?: boolean;
  all?: boolean;
  limit: number;
}

/**
 * `koppel state forget [job.yaml] [filters] [--dry-run]`: removes delivery records, so the next
 * run sends those records again (a rehearsal after `koppel sim reset`, a record deleted in
 * Profit). A job file gives its environment, connector and scope; every filter given must hold.
 */
async function forget(job: string | undefined, options: ForgetOptions, command: Command): Promise<void> {
  const filter: ForgetFilter = {};
  const flag = (command.parent?.opts() as { stateDir?: string } | undefined)?.stateDir;
  let stateDir = resolveStateDir({ flag }).dir;
  if (job !== undefined) {
    if (!/\.ya?ml$/i.test(job) || !existsSync(job)) {
      throw new UsageError(`${job}: no such job file; give a job file, or --scope NAME for a delivery scope`);
    }
    const loaded = await loadJob(job, { skipConnection: false });
    const url = loaded.connection?.baseUrl;
    if (!url)
      throw new UsageError(`${loaded.file}: the job has no connection; pass --environment URL instead`);
    const delivery = jobDelivery(loaded.job, url);
    Object.assign(filter, {
      environment: delivery.environment,
      connector: delivery.connector,
      scope: delivery.scope,
    });
    stateDir = resolveStateDir({ flag, job: loaded.job.state_dir, jobDir: loaded.dir }).dir;
  }
  if (options.environment !== undefined) filter.environment = environmentIdentity(options.environment);
  if (options.connector !== undefined) filter.connector = options.connector;
  if (options.scope !== undefined) filter.scope = options.scope;
  const keys = await keysOf(options.keys, options.keysFile);
  if (keys !== undefined) filter.keys = keys;
  for (const name of ['before', 'since'] as const) {
    const text = options[name];
    if (text === undefined) continue;
    const iso = isoTimeOf(text);
    if (!iso)
      throw new UsageError(`Expected --${name} to be a date (2026-12-01) or an ISO time, got \`${text}\``);
    filter[name] = iso;
  }
  if (Object.keys(filter).length === 0 && options.all !== true) {
    throw new UsageError(
      'koppel state forget needs a job file or a filter (--environment, --connector, --scope, --keys, --keys-file, --before, --since); --all forgets every delivery record',
    );
  }
  const limit = options.limit;
  const store = await LmdbDeliveryStore.open(stateDir, { readOnly: options.dryRun === true });
  try {
    const { count, sample } = await forgetDeliveries(store, filter, {
      dryRun: options.dryRun === true,
      limit,
    });
    const verb = options.dryRun ? 'would forget' : 'forgot';
    process.stdout.write(`koppel: ${verb} ${count} delivery record(s) in ${store.path}\n`);
    for (const record of sample) {
      process.stdout.write(
        `  ${record.key}\t${record.state}\tsent ${formatLocalTime(record.sentAt)}\t${record.connector}\t${record.scope}\t${record.environment}\n`,
      );
    }
    if (count > sample.length) process.stdout.write(`  ... and ${count - sample.length} more\n`);
    if (count > 0 && !options.dryRun) {
      process.stdout.write(
        'koppel: the next run sends these records again (start it with --new-run to start a fresh run)\n',
      );
    }
  } finally {
    await store.close();
  }
}

/**
 * `koppel state get|set|clear JOB`: the incremental watermark of an extract job
 * (`<state dir>/state/<job>.json`); `koppel state forget`: delivery records (`<state dir>/delivery`).
 */
export const registerState: RegisterCommand = (program: Command) => {
  const state = program
    .command('state')
    .option(
      '--state-dir <dir>',
      'directory of local state; default KOPPEL_STATE_DIR, else $XDG_STATE_HOME/koppel or ~/.local/state/koppel',
    );
  state
    .command('forget [job]')
    .description(
      'Forget delivery records so the next run sends them again: those of a job file, and/or by filter. Prints what it forgets.',
    )
    .option('--environment <url>', 'only this AFAS environment (its base URL)')
    .option('--connector <name>', 'only this UpdateConnector, e.g. FiEntries')
    .option('--scope <name>', "only this delivery scope (a job's name, or its delivery.scope)")
    .option('--keys <list>', 'only these record keys, comma-separated')
    .option('--keys-file <file>', 'only the record keys in this file, one a line')
    .option('--before <time>', 'only records sent before this date or ISO time')
    .option('--since <time>', 'only records sent at or after this date or ISO time')
    .option('--all', 'with no job and no filter: forget every delivery record')
    .option('--dry-run', 'only list what would be forgotten')
    .option('--limit <n>', 'records listed at most', wholeNumber('--limit', { min: 0 }), 20)
    .action(forget);
  state
    .command('get <job>')
    .description('Print the state of a job (name or job file) as JSON.')
    .action(async (job: string, _options: unknown, command: Command) => {
      const store = extractStateStore(stateDirOf(command));
      const name = await jobName(job);
      const value = await store.get(name);
      if (value === undefined) {
        throw new NotFoundError(`no state for ${name} in ${store.dir}; the next run reads everything`);
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
