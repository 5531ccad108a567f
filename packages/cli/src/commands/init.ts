import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afasMetainfoProvider } from '@koppel/afas';
import {
  guessCsv,
  JobInvalidError,
  type Language,
  MetainfoError,
  type MetainfoProvider,
  parseJob,
  type ResolvedConnection,
  renderInitJob,
} from '@koppel/core';
import type { Command } from 'commander';
import { startEmbeddedSimulator } from '../embedded-sim.js';
import { UsageError } from '../errors.js';
import type { RegisterCommand } from './index.js';

interface InitOptions {
  out?: string;
  sim?: boolean;
  connection?: string;
  language?: Language;
  force?: boolean;
}

const LANGUAGES = ['nl-nl', 'nl-be', 'en-us', 'fr-fr', 'de-de'];
/** The simulator's base URL when `koppel sim` runs with its defaults. */
const SIM_URL = 'http://127.0.0.1:8080/12345/ProfitRestServices';

/**
 * `koppel init <UpdateConnector> <sample> [--out job.yaml] [--sim | --connection name]`: writes
 * a new job from the connector's metainfo and a guessed sample file; TODOs mark what is left.
 */
export const registerInit: RegisterCommand = (program: Command) => {
  program
    .command('init')
    .argument('<connector>', 'UpdateConnector id, e.g. KnPerson or FiEntries')
    .argument('<sample>', 'a sample of the input (CSV, any encoding)')
    .option('--out <file>', 'job file to write (default: <sample name>.yaml in the current directory)')
    .option('--sim', 'read metainfo from an embedded AFAS simulator (the job then points at `koppel sim`)')
    .option(
      '--connection <name>',
      'read metainfo through a named connection (koppel.yaml or ~/.koppel/connections.yaml)',
    )
    .option(
      '--language <code>',
      'language of labels and code values (default: the connection language, else nl-nl)',
    )
    .option('--force', 'overwrite --out when it exists')
    .action(async (connector: string, sample: string, options: InitOptions) => {
      if ((options.sim === true) === (options.connection !== undefined)) {
        throw new UsageError(
          'Expected exactly one of --sim or --connection <name> to read the metainfo of the connector',
        );
      }
      if (options.language && !LANGUAGES.includes(options.language)) {
        throw new UsageError(
          `Expected --language to be one of ${LANGUAGES.join(', ')}, got \`${options.language}\``,
        );
      }
      const stem = basename(sample, extname(sample))
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, '-')
        .replace(/^[^a-z0-9]+/, '');
      const out = resolve(options.out ?? `${stem || 'job'}.yaml`);
      if (existsSync(out) && !options.force)
        throw new UsageError(`${out} exists; choose another --out or add --force`);
      const guess = await guessCsv({ path: sample });
      const embedded = options.sim ? await startEmbeddedSimulator() : undefined;
      const simulator = embedded?.simulator;
      const demoToken = embedded?.token ?? '';
      try {
        let provider: MetainfoProvider;
        let language: Language;
        let connection: string[];
        if (simulator) {
          language = options.language ?? 'nl-nl';
          provider = afasMetainfoProvider({ baseUrl: simulator.baseUrl(), language, token: demoToken });
          connection = [
            'connection:',
            `  url: \${AFAS_URL:-${SIM_URL}}`,
            `  token: \${AFAS_TOKEN:-${demoToken}}`,
            `  language: ${language}`,
          ];
        } else {
          const resolved = namedConnection(options.connection as string, dirname(out));
          language = options.language ?? resolved.language;
          provider = afasMetainfoProvider(resolved);
          connection = [`connection: ${options.connection}`];
        }
        const metainfo = await provider.update(connector, language).catch((error: unknown) => {
          throw initMetainfoError(error, connector);
        });
        // Columns are matched against the labels of both languages AFAS ships (Dutch and English).
        const others = await Promise.all(
          (['nl-nl', 'en-us'] as const)
            .filter((other) => other !== language)
            .map((other) => provider.update(connector, other).catch(() => metainfo)),
        );
        const job = renderInitJob(guess, metainfo, {
          connector,
          path: relative(dirname(out), resolve(sample)),
          name: stem || 'job',
          schema: schemaRef(dirname(out)),
          connection,
          command: `koppel init ${connector} ${sample}`,
          others,
        });
        await writeFile(out, job.text, { flag: options.force ? 'w' : 'wx' });
        const shown = relative(process.cwd(), out) || out;
        process.stdout.write(
          `wrote ${shown}: ${headerNote(guess.read)}${job.matches.length} column(s) mapped, ${job.suggestions.length} suggested in comments, ${job.defaults.length} AFAS setting(s) defaulted, ${job.leftToProfit.length ? `${job.leftToProfit.length} left to Profit (${job.leftToProfit.join(', ')}), ` : ''}${job.todos.length} TODO(s)${job.todos.length ? ` (${job.todos.join(', ')})` : ''}, ${job.unmatchedColumns.length - job.suggestions.length} column(s) not mapped\n` +
            `next: ${job.todos.length ? 'fill in the TODOs, then ' : ''}run \`koppel validate ${shown}${simulator ? ' --sim' : ''}\` and \`koppel plan ${shown}${simulator ? ' --sim' : ''}\`\n`,
        );
      } finally {
        await simulator?.close();
      }
    });
};

/** `header on line 3, ` when lines before the header are skipped. */
const headerNote = (read: { skipLines: number; headerLine: number }): string =>
  read.headerLine > 1 ? `header on line ${read.headerLine}, ` : '';

/** A metainfo failure of `koppel init` with what to do next (AFAS's own answer, or a server that failed). */
function initMetainfoError(error: unknown, connector: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const answer = (error as { cause?: { fromProfit?: unknown; status?: unknown; contentType?: unknown } })
    .cause;
  if (answer?.fromProfit === false) {
    // A gateway's page says nothing an operator needs; the status and its type do.
    const where = message.replace(/: AFAS GET .*$/, '');
    return new MetainfoError(
      `${where}: answered ${answer.status} ${answer.contentType ?? ''} without AFAS's error shape; AFAS, or a proxy in front of it, failed: try again later, and check the url of the connection`,
      { cause: error },
    );
  }
  const next =
    answer?.fromProfit === true && answer.status === 500
      ? `check that ${connector} is an UpdateConnector the token's App Connector allows (\`koppel metainfo pull\` records the ones it does)`
      : 'check the connection, or use --sim';
  return new MetainfoError(`${message.replace(/\.$/, '')}; ${next}`, { cause: error });
}

/** Resolves a named connection the way a job naming it would (same files, same errors). */
export function namedConnection(name: string, cwd: string): ResolvedConnection {
  const probe = [
    'version: 1',
    'name: init',
    `connection: ${JSON.stringify(name)}`,
    'source: { csv: { path: sample.csv } }',
    'key: "{id}"',
    'target: { update_connector: Init, element: { fields: {} } }',
  ].join('\n');
  let loaded: ReturnType<typeof parseJob>;
  try {
    loaded = parseJob(resolve(cwd, 'koppel-init.yaml'), probe, { cwd });
  } catch (error) {
    if (!(error instanceof JobInvalidError)) throw error;
    throw new UsageError(error.problems.map((problem) => problem.message).join('; '));
  }
  if (!loaded.connection) throw new UsageError(`connection ${name} could not be resolved`);
  return loaded.connection;
}

/**
 * The job schema as the new job names it: the copy the CLI package carries (dist/schemas, packed
 * and installed with it), relative to the job, so the editor finds it wherever koppel is
 * installed; the published URL when that copy is missing (koppel run from its sources).
 */
function schemaRef(dir: string): string {
  // two levels below the package root, from dist/commands (installed) or src/commands
  const file = fileURLToPath(new URL('../../dist/schemas/job.schema.json', import.meta.url));
  return existsSync(file) ? relative(dir, file) : 'https://koppel.dev/schemas/job.schema.json';
}
