import { compileJob, formatProblem, JobInvalidError, type LoadedJob, loadJob } from '@koppel/core';
import type { Command } from 'commander';
import type { RegisterCommand } from './index.js';
import { openMetainfo } from './plan.js';

/**
 * `koppel validate job.yaml [--offline] [--sim]`: every problem of the job (schema, mapping,
 * fields and codes vs metainfo) as file:line:col lines, a one-line summary, exit 1 on any.
 */
export const registerValidate: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('validate')
    .description('Check a job: schema, mapping and (unless --offline) fields and codes against metainfo.')
    .argument('<job>', 'job file (YAML)')
    .option('--offline', 'do not contact AFAS: check the schema and the mapping only')
    .option('--sim', 'check against an embedded AFAS simulator instead of the connection')
    .action(async (file: string, options: { offline?: boolean; sim?: boolean }) => {
      const offline = options.offline === true;
      try {
        const loaded = await loadJob(file, { skipConnection: offline || options.sim === true });
        let against = 'offline: fields and codes not checked against metainfo';
        if (offline) compileJob(loaded);
        else against = await checkOnline(loaded, options.sim === true);
        process.stdout.write(`${file}: valid (${loaded.job.target.update_connector}, ${against})\n`);
      } catch (error) {
        if (!(error instanceof JobInvalidError)) throw error;
        for (const problem of error.problems) process.stdout.write(`${formatProblem(problem)}\n`);
        const count = error.problems.length;
        process.stdout.write(`${file}: ${count} problem${count === 1 ? '' : 's'}\n`);
        setExitCode(1);
      }
    });
};

async function checkOnline(loaded: LoadedJob, sim: boolean): Promise<string> {
  const session = await openMetainfo(loaded, sim);
  try {
    compileJob(loaded, { metainfo: await session.fetch() });
    return `checked against ${sim ? 'simulator' : 'connection'} metainfo in ${session.language}`;
  } finally {
    await session.close();
  }
}
