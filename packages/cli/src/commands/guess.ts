import { basename, extname } from 'node:path';
import { guessCsv, parseEncodingOption, renderJobStub, SourceOptionsError } from '@koppel/core';
import type { RegisterCommand } from './index.js';

function positiveInt(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new SourceOptionsError(`Expected ${flag} to be an integer >= 0, got \`${text}\``);
  return value;
}

/** `koppel guess data.csv`: prints a job stub with the detected dialect, encoding and column types. */
export const registerGuess: RegisterCommand = (program) => {
  program
    .command('guess')
    .description(
      'Print a job stub for a CSV file: delimiter, encoding and column types (int, decimal, date, boolean, string).',
    )
    .argument('<file>', 'CSV file to inspect (may be gzipped)')
    .option('--rows <n>', 'records to sample', '1000')
    .option('--delimiter <char>', 'field separator instead of detecting it')
    .option('--encoding <name>', 'encoding instead of detecting it (utf-8, windows-1252, ...)')
    .option('--skip-lines <n>', 'lines before the header to skip', '0')
    .action(
      async (
        file: string,
        flags: { rows: string; delimiter?: string; encoding?: string; skipLines: string },
      ) => {
        const guess = await guessCsv(
          {
            path: file,
            skipLines: positiveInt('--skip-lines', flags.skipLines),
            ...(flags.delimiter ? { delimiter: flags.delimiter === '\\t' ? '\t' : flags.delimiter } : {}),
            ...(flags.encoding ? { encoding: parseEncodingOption(flags.encoding) } : {}),
          },
          Math.max(1, positiveInt('--rows', flags.rows)),
        );
        const name = basename(file, extname(file))
          .replace(/\.(csv|txt)$/i, '')
          .replace(/[^A-Za-z0-9_-]+/g, '-');
        process.stdout.write(renderJobStub(guess, { path: file, name: name || 'job' }));
      },
    );
};
