import {
  type CsvSource,
  describeEncoding,
  formatProblem,
  JobInvalidError,
  jsonText,
  openJobSource,
  SourceOptionsError,
} from '@koppel/core';
import { inputRecords, loadRunJob } from '@koppel/runner';
import type { Command } from 'commander';
import { wholeNumber } from '../options.js';
import type { RegisterCommand } from './index.js';

function describeSource(records: unknown): string {
  const csv = records as Partial<CsvSource>;
  if (!csv.detected) return '';
  const parts = [describeEncoding(csv.detected)];
  if (csv.dialect) {
    const { delimiter, lineEnding } = csv.dialect;
    parts.push(`delimiter ${JSON.stringify(delimiter)}`, `line ending ${JSON.stringify(lineEnding)}`);
    if (csv.columns) parts.push(`${csv.columns.length} columns`);
  }
  return parts.join(', ');
}

/** `koppel preview job.yaml [--limit N]`: the first records of the job's source, as decoded. */
export const registerPreview: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('preview')
    .argument('<job>', 'job file (YAML)')
    .option('--limit <n>', 'number of records to print', wholeNumber('--limit'), 10)
    .option('--input <file>', "read this file instead of the job's source (e.g. a fixed rejects file)")
    .action(async (file: string, options: { limit: number; input?: string }) => {
      const limit = options.limit;
      try {
        const { loaded, input: override } = await loadRunJob(file, {
          skipConnection: true,
          ...(options.input === undefined ? {} : { input: options.input }),
        });
        const read = loaded.job.source.get_connector;
        if (read) {
          throw new SourceOptionsError(
            `${file} reads GetConnector ${read.id}; preview shows file sources only (\`koppel extract\` reads a GetConnector into a file)`,
          );
        }
        const input = await openJobSource(loaded);
        const records = override ? inputRecords(input.records, override) : input.records;
        const described = describeSource(input.records);
        process.stdout.write(`${input.file}: ${input.format}${described ? `, ${described}` : ''}\n`);
        let shown = 0;
        for await (const record of records) {
          if (shown === limit) {
            process.stdout.write(`(first ${limit} records; --limit to see more)\n`);
            return;
          }
          process.stdout.write(`${record.origin.file}:${record.origin.line}  ${jsonText(record.fields)}\n`);
          shown++;
        }
        process.stdout.write(`(${shown} record${shown === 1 ? '' : 's'})\n`);
      } catch (error) {
        if (!(error instanceof JobInvalidError)) throw error;
        for (const problem of error.problems) process.stdout.write(`${formatProblem(problem)}\n`);
        setExitCode(1);
      }
    });
};
