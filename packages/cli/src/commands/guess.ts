import { basename, extname } from 'node:path';
import { guessCsv, parseEncodingOption, renderJobStub } from '@koppel/core';
import { wholeNumber } from '../options.js';
import type { RegisterCommand } from './index.js';

/** `koppel guess data.csv`: prints a job stub with the detected dialect, encoding and column types. */
export const registerGuess: RegisterCommand = (program) => {
  program
    .command('guess')
    .argument('<file>', 'CSV file to inspect (may be gzipped)')
    .option('--rows <n>', 'records to sample', wholeNumber('--rows'), 1000)
    .option('--delimiter <char>', 'field separator instead of detecting it')
    .option('--encoding <name>', 'encoding instead of detecting it (utf-8, windows-1252, ...)')
    .option(
      '--skip-lines <n>',
      'lines before the header to skip (default: found below title and report lines)',
      wholeNumber('--skip-lines', { min: 0 }),
    )
    .action(
      async (
        file: string,
        flags: { rows: number; delimiter?: string; encoding?: string; skipLines?: number },
      ) => {
        const guess = await guessCsv(
          {
            path: file,
            ...(flags.skipLines !== undefined ? { skipLines: flags.skipLines } : {}),
            ...(flags.delimiter ? { delimiter: flags.delimiter === '\\t' ? '\t' : flags.delimiter } : {}),
            ...(flags.encoding ? { encoding: parseEncodingOption(flags.encoding) } : {}),
          },
          flags.rows,
        );
        const name = basename(file, extname(file))
          .replace(/\.(csv|txt)$/i, '')
          .replace(/[^A-Za-z0-9_-]+/g, '-');
        process.stdout.write(renderJobStub(guess, { path: file, name: name || 'job' }));
      },
    );
};
