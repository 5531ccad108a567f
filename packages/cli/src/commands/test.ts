import { afasMetainfoProvider } from '@koppel/afas';
import {
  countResults,
  findTestFiles,
  formatTestResults,
  JobInvalidError,
  loadTestFile,
  type MetainfoProvider,
  type ResolvedConnection,
  runJobTests,
  type TestFileResult,
} from '@koppel/core';
import { loadRunJob } from '@koppel/runner';
import type { Command } from 'commander';
import { startEmbeddedSimulator } from '../embedded-sim.js';
import { UsageError } from '../errors.js';
import type { RegisterCommand } from './index.js';

interface TestOptions {
  sim?: boolean;
  record?: boolean;
  update?: boolean;
}

/**
 * `koppel test [job.yaml|dir] [--sim] [--record]`: runs the job tests (`*.test.yaml`) beside
 * the jobs; prints each case, a diff for every failure and `N passed, N failed`; exit 1 on any failure.
 */
export const registerTest: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('test')
    .argument('[target]', 'a job file, a *.test.yaml, or a directory searched for *.test.yaml', '.')
    .option('--sim', 'take metainfo from an embedded AFAS simulator instead of the recorded fixtures')
    .option(
      '--record',
      "write the metainfo fixtures first: from the simulator with --sim, else from each job's connection",
    )
    .option(
      '--update',
      'rewrite the expectations of failing cases to what they produce now (comments and the rest of the file stay); review the diff before committing',
    )
    .action(async (target: string, options: TestOptions) => {
      const files = await findTestFiles(target);
      if (files.length === 0) {
        process.stdout.write(
          `${target}: no *.test.yaml found; write one beside the job (see docs/testing.md)\n`,
        );
        process.stdout.write('0 passed, 0 failed\n');
        setExitCode(1);
        return;
      }
      const embedded = options.sim ? await startEmbeddedSimulator() : undefined;
      const simulator = embedded?.simulator;
      const demoToken = embedded?.token ?? '';
      const results: TestFileResult[] = [];
      let broken = 0;
      try {
        const sim = simulator
          ? afasMetainfoProvider({ baseUrl: simulator.baseUrl(), language: 'nl-nl', token: demoToken })
          : undefined;
        for (const file of files) {
          try {
            const test = await loadTestFile(file);
            const metainfo = sim ?? (options.record ? await connectionMetainfo(test.job) : undefined);
            results.push(
              await runJobTests(test, {
                loadJob: async (job, load) => (await loadRunJob(job, load)).loaded,
                ...(metainfo ? { metainfo } : {}),
                record: options.record === true,
                update: options.update === true,
              }),
            );
          } catch (error) {
            if (!(error instanceof JobInvalidError)) throw error;
            process.stdout.write(`${error.message}\n`);
            broken++;
          }
        }
      } finally {
        await simulator?.close();
      }
      const report = formatTestResults(results);
      const { failed } = countResults(results);
      const summaryOnly = report.slice(0, report.trimEnd().lastIndexOf('\n') + 1);
      process.stdout.write(broken ? `${summaryOnly}${countLine(results, broken)}\n` : report);
      if (failed > 0 || broken > 0) setExitCode(1);
    });
};

/** The summary line when some test files could not be read: they count as failed. */
function countLine(results: readonly TestFileResult[], broken: number): string {
  const { passed, failed, updated } = countResults(results);
  return `${passed} passed, ${failed + broken} failed${updated ? `, ${updated} updated` : ''} (${broken} test file${broken === 1 ? '' : 's'} invalid)`;
}

async function connectionMetainfo(job: string): Promise<MetainfoProvider> {
  const { loaded } = await loadRunJob(job);
  if (!loaded.connection)
    throw new UsageError(
      `${job} has no connection to record metainfo from; add \`connection:\` or record with --sim`,
    );
  return afasMetainfoProvider(loaded.connection as ResolvedConnection);
}
