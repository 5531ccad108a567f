import { afasMetainfoProvider } from '@koppel/afas';
import {
  compileJob,
  describeEncoding,
  jobLanguage,
  type Language,
  type LoadedJob,
  MetainfoError,
  type MetainfoProvider,
  openJobSource,
  type PlanEntry,
  planJob,
  type ResolvedConnection,
  type UpdateMetainfo,
} from '@koppel/core';
import { inputRecords, jobKind, loadRunJob } from '@koppel/runner';
import type { Command } from 'commander';
import { startEmbeddedSimulator } from '../embedded-sim.js';
import { UsageError } from '../errors.js';
import { wholeNumber } from '../options.js';
import { openPlanDelivery, VERDICT_TEXT } from '../plan-delivery.js';
import type { RegisterCommand } from './index.js';

/** Metainfo for a job, from its connection or an embedded simulator; close() stops the simulator. */
export interface MetainfoSession {
  language: Language;
  fetch(): Promise<UpdateMetainfo>;
  close(): Promise<void>;
}

/** Metainfo through @koppel/afas: short timeouts (10 s), errors that say what was waited on. */
function providerFor(connection: ResolvedConnection): MetainfoProvider {
  return afasMetainfoProvider(connection);
}

/** Opens metainfo for the job's connector: `--sim` starts an embedded simulator on a free port. */
export async function openMetainfo(loaded: LoadedJob, sim: boolean): Promise<MetainfoSession> {
  const language = jobLanguage(loaded);
  const connector = loaded.job.target.update_connector;
  if (sim) {
    const { simulator, token: demoToken } = await startEmbeddedSimulator();
    const connection = { baseUrl: simulator.baseUrl(), language, token: '' } as ResolvedConnection;
    Object.defineProperty(connection, 'token', { value: demoToken, enumerable: false });
    const provider = providerFor(connection);
    return { language, fetch: () => provider.update(connector, language), close: () => simulator.close() };
  }
  if (!loaded.connection) throw new Error('the job has no resolved connection');
  const provider = providerFor(loaded.connection);
  const fetch = () =>
    provider.update(connector, language).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MetainfoError(
        `cannot read update metainfo of ${connector} (${language}): ${reason}; check the connection, or use --offline or --sim`,
        { cause: error },
      );
    });
  return { language, fetch, close: async () => {} };
}

function render(entry: PlanEntry): string {
  if ('reject' in entry) return `REJECT ${entry.reject.message}`;
  const { method, path, body } = entry.request;
  const head = `${method} ${path}  # ${entry.keys.join(', ')}`;
  return body === undefined ? head : `${head}\n${JSON.stringify(body, null, 2)}`;
}

interface PlanOptions {
  limit?: number;
  sim?: boolean;
  json?: boolean;
  input?: string;
  stateDir?: string;
}

/** `koppel plan job.yaml [--limit N] [--sim] [--json] [--input file]`: the requests a run would send, and the rejects; no writes. */
export const registerPlan: RegisterCommand = (program: Command) => {
  program
    .command('plan')
    .argument('<job>', 'job file (YAML)')
    .option('--limit <n>', 'stop after N documents', wholeNumber('--limit'))
    .option('--sim', 'use an embedded AFAS simulator for metainfo instead of the connection')
    .option('--json', 'print one JSON object per line instead of readable text')
    .option('--input <file>', "plan this file instead of the job's source (e.g. a fixed rejects file)")
    .option('--state-dir <dir>', 'state directory whose delivery records say what is skipped (read only)')
    .action(async (file: string, options: PlanOptions) => {
      if ((await jobKind(file)) === 'extract') {
        throw new UsageError(
          `${file} is an extract (target: file); plan shows UpdateConnector requests: run \`koppel extract ${file}\``,
        );
      }
      const { loaded, input: override } = await loadRunJob(file, {
        skipConnection: options.sim === true,
        ...(options.input === undefined ? {} : { input: options.input }),
      });
      if (loaded.job.source.get_connector) {
        throw new UsageError(
          `${file} reads GetConnector ${loaded.job.source.get_connector.id}; plan shows file sources only: check it with \`koppel validate ${file}\` and run it on a test environment`,
        );
      }
      const session = await openMetainfo(loaded, options.sim === true);
      const delivery = await openPlanDelivery(loaded, options.stateDir);
      let requests = 0;
      let documents = 0;
      let rejects = 0;
      try {
        const compiled = compileJob(loaded, { metainfo: await session.fetch() });
        const input = await openJobSource(loaded);
        process.stderr.write(`plan: ${input.file}: ${describeEncoding(input.encoding)}\n`);
        const records = override ? inputRecords(input.records, override) : input.records;
        const entries = planJob(compiled, records, {
          checkColumns: input.format === 'csv',
          ...(options.limit === undefined ? {} : { limit: options.limit }),
        });
        for await (const entry of entries) {
          const verdicts = delivery && 'request' in entry ? await delivery.verdicts(entry) : undefined;
          if (verdicts && !options.json) {
            for (const { key, verdict } of verdicts)
              process.stdout.write(`# ${key}: ${VERDICT_TEXT[verdict]}\n`);
          }
          if ('reject' in entry) rejects++;
          else {
            requests++;
            documents += entry.keys.length;
          }
          const line = options.json
            ? JSON.stringify(
                'reject' in entry
                  ? { reject: { key: entry.reject.key, message: entry.reject.message } }
                  : {
                      ...entry,
                      ...(verdicts
                        ? { delivery: Object.fromEntries(verdicts.map((v) => [v.key, v.verdict])) }
                        : {}),
                    },
              )
            : render(entry);
          process.stdout.write(`${line}\n`);
        }
      } finally {
        await session.close();
        await delivery?.close();
      }
      if (delivery) process.stderr.write(`${delivery.summary()}\n`);
      process.stderr.write(
        `plan: ${requests} request(s) for ${documents} document(s), ${rejects} rejected; nothing was sent\n`,
      );
    });
};
