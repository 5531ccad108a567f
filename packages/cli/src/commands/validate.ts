import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type {
  CompiledJob,
  JobGetConnector,
  JobIncremental,
  Language,
  LoadedJob,
  ResolvedConnection,
  UpdateMetainfo,
} from '@koppel/core';
// The job entry alone: validate --offline starts without the pipeline, ledger or outputs of core.
import {
  codeProblems,
  compileJob,
  fixtureMetainfoProvider,
  formatProblem,
  getConnectorFieldProblems,
  inputColumnProblems,
  JobInvalidError,
  jobKind,
  jobLanguage,
  loadExtractJob,
  loadJob,
  loadTestFile,
  resolveSourceConnection,
  tokenOriginOf,
} from '@koppel/core/job';
import type { Command } from 'commander';
import { startEmbeddedSimulator } from '../embedded-sim.js';
import { UsageError } from '../errors.js';
import { expandPaths } from '../expand-paths.js';
import { renderError } from '../render-error.js';
import type { RegisterCommand } from './index.js';

interface ValidateOptions {
  offline?: boolean;
  sim?: boolean;
  metainfo?: string;
}

const OFFLINE = 'offline: fields and codes not checked against metainfo';

/**
 * `koppel validate a.yaml b.yaml 'jobs/**\/*.yaml' [--offline] [--sim]`: every problem of each job
 * (schema, mapping, fields and codes vs metainfo, input columns vs the header) as file:line:col
 * lines and a one-line verdict per file; a `*.test.yaml` is checked against the test-file schema.
 * With several files a summary line follows ("3 files: 2 valid, 1 with problems"); exit 1 on any.
 * Import jobs, AFAS-to-AFAS jobs (source.get_connector) and extracts (target: file) alike.
 */
export const registerValidate: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('validate')
    .argument(
      '<files...>',
      'job files or job test files (YAML); quoted patterns such as jobs/**/*.yaml are expanded',
    )
    .option('--offline', 'do not contact AFAS: check the schema and the mapping only')
    .option('--sim', 'check against an embedded AFAS simulator instead of the connection')
    .option(
      '--metainfo <dir>',
      'offline: check against metainfo recorded by `koppel metainfo pull --out DIR` (no network)',
    )
    .action(async (args: string[], options: ValidateOptions) => {
      const files = await expandPaths(args);
      let valid = 0;
      for (const file of files) {
        try {
          const verdict = await validateFile(file, options);
          process.stdout.write(`${file}: valid (${verdict})\n`);
          valid++;
        } catch (error) {
          if (error instanceof JobInvalidError) {
            for (const problem of error.problems) process.stdout.write(`${formatProblem(problem)}\n`);
            const count = error.problems.length;
            process.stdout.write(`${file}: ${count} problem${count === 1 ? '' : 's'}\n`);
          } else if (files.length > 1 && !(error instanceof UsageError)) {
            // One file that cannot be checked (missing, unreadable, AFAS refused) does not stop the others.
            process.stdout.write(
              `${file}: ${renderError(error, { command: 'validate', tokenOrigin: tokenOriginOf }).text.replace(/^koppel: /, '')}\n`,
            );
          } else throw error;
        }
      }
      if (files.length > 1) {
        const noun = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
        process.stdout.write(
          `${noun(files.length)}: ${valid} valid, ${files.length - valid} with problems\n`,
        );
      }
      if (valid < files.length) setExitCode(1);
    });
};

/** Checks one file by its kind; resolves to the verdict after "valid", throws JobInvalidError with every problem. */
async function validateFile(file: string, options: ValidateOptions): Promise<string> {
  if (/\.test\.ya?ml$/i.test(file)) return validateTestFile(file);
  return (await jobKind(file)) === 'extract' ? validateExtract(file, options) : validateUpdate(file, options);
}

/** A job test file: the test-file schema, its cases, and that the job it tests exists. */
async function validateTestFile(file: string): Promise<string> {
  const test = await loadTestFile(file);
  if (!existsSync(test.job)) {
    const message = `the job under test ${test.job} does not exist; fix \`job:\` or add the job file`;
    throw new JobInvalidError([test.source.problem(['job'], message)]);
  }
  const count = test.cases.length;
  return `test file, ${count} case${count === 1 ? '' : 's'} of ${relative(dirname(test.file), test.job)}`;
}

/** An import or AFAS-to-AFAS job: the mapping against update metainfo, the GetConnector's fields. */
async function validateUpdate(file: string, options: ValidateOptions): Promise<string> {
  const offline = options.offline === true || options.metainfo !== undefined;
  const sim = options.sim === true;
  const loaded = await loadJob(file, { skipConnection: offline || sim });
  const connector = loaded.job.target.update_connector;
  const read = loaded.job.source.get_connector;
  const what = read ? `${read.id} -> ${connector}` : connector;
  const language = jobLanguage(loaded);
  if (options.metainfo !== undefined) {
    const metainfo = await recordedUpdateMetainfo(options.metainfo, connector, language);
    const compiled = compileJob(loaded, { metainfo });
    await checkAgainstInput(compiled, metainfo, language);
    return `${what}, offline: checked against metainfo recorded in ${options.metainfo} in ${language}`;
  }
  if (offline) {
    // Offline, the metainfo recorded for `koppel test` (fixtures/{connector}.{language}.json) checks fields and codes.
    const fixture = join(loaded.dir, 'fixtures', `${connector}.${language}.json`);
    const metainfo = existsSync(fixture)
      ? await fixtureMetainfoProvider(fixture).update(connector, language)
      : undefined;
    const compiled = compileJob(loaded, metainfo ? { metainfo } : {});
    await checkAgainstInput(compiled, metainfo, language);
    return metainfo
      ? `${what}, offline: checked against recorded metainfo ${relative(loaded.dir, fixture)} in ${language}`
      : `${what}, ${OFFLINE}`;
  }
  // plan.js brings the runner: loaded only when AFAS (or the simulator) is asked.
  const { openMetainfo } = await import('./plan.js');
  const session = await openMetainfo(loaded, sim);
  try {
    const metainfo = await session.fetch();
    const compiled = compileJob(loaded, { metainfo });
    await checkAgainstInput(compiled, metainfo, session.language);
    if (read) await checkGetConnector(loaded, read, sim ? undefined : resolveSourceConnection(loaded));
    return `${what}, checked against ${sim ? 'simulator' : 'connection'} metainfo in ${session.language}`;
  } finally {
    await session.close();
  }
}

/** The update metainfo of `connector` that `koppel metainfo pull` recorded in `dir` (`update/<id>.<language>.json`). */
async function recordedUpdateMetainfo(
  dir: string,
  connector: string,
  language: Language,
): Promise<UpdateMetainfo> {
  const file = join(dir, 'update', `${connector}.${language}.json`);
  if (!existsSync(join(dir, 'environment.json')))
    throw new UsageError(
      `--metainfo: ${dir} has no environment.json; record one with \`koppel metainfo pull --out ${dir}\``,
    );
  if (!existsSync(file)) {
    const recorded = existsSync(join(dir, 'update')) ? readdirSync(join(dir, 'update')) : [];
    const ids = [...new Set(recorded.map((name) => name.replace(/\.[^.]+\.json$/, '')))];
    const hint = ids.includes(connector)
      ? `; it was recorded in ${recorded.filter((name) => name.startsWith(`${connector}.`)).join(', ')} only (pull with --language ${language})`
      : `; the environment has no UpdateConnector ${connector} (${ids.length} recorded)`;
    throw new UsageError(`--metainfo: ${file} does not exist${hint}`);
  }
  return fixtureMetainfoProvider(file).update(connector, language);
}

/**
 * What compiling cannot see: the code values of `codes:` maps against the field's code list, and
 * (when the CSV input is there) the mapped, `key:` and `group_by` columns against its header.
 */
async function checkAgainstInput(
  compiled: CompiledJob,
  metainfo: UpdateMetainfo | undefined,
  language: Language,
): Promise<void> {
  const problems = metainfo ? codeProblems(compiled.loaded, metainfo, language) : [];
  problems.push(...(await inputColumnProblems(compiled)).problems);
  if (problems.length) throw new JobInvalidError(problems.sort((a, b) => a.line - b.line || a.col - b.col));
}

/** An extract: the job schema and its file target; online, the GetConnector's fields. */
async function validateExtract(file: string, options: ValidateOptions): Promise<string> {
  const offline = options.offline === true;
  const sim = options.sim === true;
  const loaded = await loadExtractJob(file, { skipConnection: offline || sim });
  const spec = loaded.job.source.get_connector;
  const what = `extract ${spec?.id} -> ${loaded.job.target.file}`;
  if (offline || !spec) return `${what}, ${OFFLINE}`;
  await checkGetConnector(loaded, spec, sim ? undefined : loaded.sourceConnection);
  return `${what}, checked against ${sim ? 'simulator' : 'connection'} metainfo`;
}

/**
 * The GetConnector's columns, sort, filter and incremental fields exist (its get metainfo), read
 * through `connection`, or an embedded simulator when undefined; each unknown one is a problem at
 * its line in the job.
 */
async function checkGetConnector(
  loaded: Pick<LoadedJob, 'source'> & { job: { incremental?: JobIncremental | undefined } },
  spec: JobGetConnector,
  connection: ResolvedConnection | undefined,
): Promise<void> {
  // @koppel/afas is loaded only when AFAS is asked (validate --offline starts without it).
  const { createAfasClient, METAINFO_TIMEOUTS } = await import('@koppel/afas');
  const embedded = connection ? undefined : await startEmbeddedSimulator();
  const simulator = embedded?.simulator;
  const demoToken = embedded?.token ?? '';
  const client = createAfasClient({
    environmentId: 0,
    url: connection?.baseUrl ?? simulator?.baseUrl() ?? '',
    auth: { type: 'token', token: connection?.token ?? demoToken },
    language: connection?.language ?? 'nl-nl',
    ...(connection?.integrationId ? { integrationId: connection.integrationId } : {}),
    timeouts: METAINFO_TIMEOUTS,
    readRetries: 0,
  });
  try {
    const meta = await client.getMetainfo(spec.id);
    const fields = meta.fields.map((field) => field.id);
    const problems = getConnectorFieldProblems(spec, fields, {
      source: loaded.source,
      incremental: loaded.job.incremental,
    });
    if (problems.length) throw new JobInvalidError(problems);
  } finally {
    client.close();
    await simulator?.close();
  }
}
