import type { CsvGuess } from './guess-csv.js';

/** A YAML scalar: plain when safe, else double-quoted (JSON strings are valid YAML). */
export function yamlScalar(value: string): string {
  return /^[A-Za-z_.][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|yes|no|null|on|off|y|n)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

/** The source-wide decimal and thousands separators, when every decimal column agrees. */
export function sourceNumbers(guess: CsvGuess): { decimal?: ',' | '.'; thousands?: ',' | '.' } {
  const decimals = new Set(guess.columns.filter((c) => c.decimal).map((c) => c.decimal));
  const decimal = decimals.size === 1 ? [...decimals][0] : undefined;
  if (!decimal) return {};
  const grouped = guess.columns.some((c) => c.decimal === decimal && c.thousands);
  return { decimal, ...(grouped ? { thousands: decimal === ',' ? '.' : ',' } : {}) };
}

/**
 * The `source.csv` keys (indented 4 spaces) that read the file the way it was sampled: path,
 * encoding, delimiter, the lines before the header, declared names, padding, null markers and
 * the number format. `encodingNote` is appended as a comment to the encoding line.
 */
export function csvSourceLines(guess: CsvGuess, path: string, encodingNote = ''): string[] {
  const { dialect, read } = guess;
  const lines = [
    `    path: ${yamlScalar(path)}`,
    `    encoding: ${dialect.encoding}${encodingNote ? `  # ${encodingNote}` : ''}`,
    `    delimiter: ${JSON.stringify(dialect.delimiter)}`,
  ];
  if (dialect.quote !== '"') lines.push(`    quote: ${JSON.stringify(dialect.quote)}`);
  if (read.skipLines > 0) {
    const before = read.header ? read.skipLines - 1 : read.skipLines;
    const title =
      before > 0 ? `${before} title/report line(s) before the header on line ${read.headerLine}` : '';
    const header = read.header
      ? `the header row (line ${read.headerLine}); its names are declared below`
      : '';
    lines.push(`    skip_lines: ${read.skipLines} # ${[title, header].filter(Boolean).join(', and ')}`);
  }
  if (read.header) {
    lines.push(`    header: [${read.header.map(yamlScalar).join(', ')}]`);
    if (read.ragged) lines.push('    ragged: truncate # rows carry empty cells beyond the named columns');
  } else if (dialect.header === null) {
    lines.push(`    header: [${guess.columns.map((c) => yamlScalar(c.name)).join(', ')}]`);
  }
  if (read.trim) lines.push('    trim: true # values are padded with spaces');
  if (read.nullStrings.length > 0)
    lines.push(
      `    null_strings: [${read.nullStrings.map((s) => JSON.stringify(s)).join(', ')}] # read as empty`,
    );
  if (dialect.gzip) lines.push('    gzip: true');
  const numbers = sourceNumbers(guess);
  if (numbers.decimal) lines.push(`    decimal: ${JSON.stringify(numbers.decimal)}`);
  if (numbers.thousands) lines.push(`    thousands: ${JSON.stringify(numbers.thousands)}`);
  return lines;
}
