import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientForConnection, METAINFO_TIMEOUTS } from '@koppel/afas';
// The folder's format is the simulator's (`koppel sim --metainfo` reads it); a type, nothing loaded.
import type { RecordedEnvironmentFile } from '@koppel/afas-sim';
import { type Language, loadJob, MetainfoError, type ResolvedConnection } from '@koppel/core';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { wholeNumber } from '../options.js';
import type { RegisterCommand } from './index.js';
import { namedConnection } from './init.js';

interface PullOptions {
  connection?: string;
  out: string;
  language: string[];
  concurrency: number;
}

const LANGUAGES = ['nl-nl', 'nl-be', 'en-us', 'fr-fr', 'de-de'];

/** `koppel metainfo pull [job.yaml] [--connection NAME] --out DIR`: records an environment's metainfo. */
export const registerMetainfo: RegisterCommand = (program: Command) => {
  const metainfo = program.command('metainfo');
  metainfo
    .command('pull')
    .description(
      'Write /metainfo, every UpdateConnector and GetConnector metainfo to a folder (never the token).',
    )
    .argument('[job]', 'a job whose connection to read (or --connection)')
    .option('--connection <name>', 'a named connection (koppel.yaml or ~/.koppel/connections.yaml)')
    .requiredOption('--out <dir>', 'folder to write environment.json, update/ and get/ into')
    .option(
      '--language <language>',
      'language to record (repeatable); default the connection language',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--concurrency <n>', 'requests in flight (1-8)', wholeNumber('--concurrency', { max: 8 }), 4)
    .action(async (job: string | undefined, options: PullOptions) => {
      const connection = await pullConnection(job, options.connection);
      for (const language of options.language) {
        if (!LANGUAGES.includes(language))
          throw new UsageError(`--language: expected one of ${LANGUAGES.join(', ')}, got \`${language}\``);
      }
      const languages = options.language.length ? options.language : [connection.language];
      await pullMetainfo(connection, { out: options.out, languages, concurrency: options.concurrency });
    });
};

async function pullConnection(
  job: string | undefined,
  name: string | undefined,
): Promise<ResolvedConnection> {
  if ((job === undefined) === (name === undefined))
    throw new UsageError('Expected exactly one of a job file or --connection <name> to pull metainfo from');
  if (name !== undefined) return namedConnection(name, process.cwd());
  const loaded = await loadJob(job as string);
  if (!loaded.connection) throw new UsageError(`${job}: the job has no resolved connection`);
  return loaded.connection;
}

/** Options of `pullMetainfo`. */
export interface PullMetainfoOptions {
  /** Folder to write into (created). */
  out: string;
  /** Languages to record. */
  languages: string[];
  /** Requests in flight, at most 8. */
  concurrency: number;
  /** Where progress lines go; default stderr. */
  progress?: (line: string) => void;
}

/** Records `/metainfo`, `/metainfo/update/{id}` and `/metainfo/get/{id}` per language into `options.out`. */
export async function pullMetainfo(
  connection: ResolvedConnection,
  options: PullMetainfoOptions,
): Promise<RecordedEnvironmentFile> {
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clients = options.languages.map((language) =>
    clientForConnection(connection, {
      language: language as Language,
      timeouts: METAINFO_TIMEOUTS,
      maxInFlight: Math.min(8, options.concurrency),
    }),
  );
  try {
    const [first] = clients;
    if (!first) throw new UsageError('Expected at least one --language');
    const app = await read(`${connection.baseUrl}/metainfo`, () => first.metainfo());
    await mkdir(join(options.out, 'update'), { recursive: true });
    await mkdir(join(options.out, 'get'), { recursive: true });
    const tasks: (() => Promise<void>)[] = [];
    options.languages.forEach((language, index) => {
      const client = clients[index] ?? first;
      for (const { id } of app.updateConnectors) {
        tasks.push(async () => {
          const body = await read(`metainfo/update/${id} (${language})`, () => client.updateMetainfo(id));
          await writeJson(join(options.out, 'update', `${fileId(id)}.${language}.json`), body);
        });
      }
      for (const { id } of app.getConnectors) {
        tasks.push(async () => {
          const body = await read(`metainfo/get/${id} (${language})`, () => client.getMetainfo(id));
          await writeJson(join(options.out, 'get', `${fileId(id)}.${language}.json`), body);
        });
      }
    });
    let done = 0;
    progress(
      `metainfo: ${app.updateConnectors.length} UpdateConnectors, ${app.getConnectors.length} GetConnectors in ${options.languages.join(', ')} from ${connection.baseUrl}`,
    );
    await pool(tasks, Math.min(8, options.concurrency), () => {
      done++;
      if (done === tasks.length || done % 10 === 0) progress(`metainfo: ${done}/${tasks.length}`);
    });
    const environment: RecordedEnvironmentFile = {
      baseUrl: connection.baseUrl,
      ...(app.info?.envid ? { environmentId: app.info.envid } : {}),
      ...(app.info?.appName ? { appName: app.info.appName } : {}),
      ...(app.info?.group ? { group: app.info.group } : {}),
      pulledAt: new Date().toISOString(),
      languages: options.languages,
      updateConnectors: app.updateConnectors,
      getConnectors: app.getConnectors,
    };
    await writeJson(join(options.out, 'environment.json'), environment);
    progress(`metainfo: wrote ${tasks.length + 1} files to ${options.out}`);
    return environment;
  } finally {
    for (const client of clients) client.close();
  }
}

/** A connector id as a file name: ids are letters, digits and `_`; anything else is encoded (afas-sim's `recordedFileId` reads it back). */
function fileId(id: string): string {
  return /^[\w-]+$/.test(id) ? id : encodeURIComponent(id);
}

async function read<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MetainfoError(`cannot read ${what}: ${reason}`, { cause: error });
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Runs `tasks` with at most `limit` at once; the first failure stops new ones and is thrown. */
async function pool(tasks: (() => Promise<void>)[], limit: number, onDone: () => void): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const task = tasks[next++] as () => Promise<void>;
      try {
        await task();
        onDone();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
