import { csvSourceLines, yamlScalar as scalar, sourceNumbers } from './csv-source-yaml.js';
import type { CsvGuess } from './guess-csv.js';

const reasons: Record<string, string> = {
  declared: 'declared',
  bom: 'detected from the byte order mark',
};

/** An environment reference as the job language writes it: `${NAME}`. */
const env = (name: string): string => `$${'{'}${name}}`;

/**
 * Renders a job stub for a guessed CSV: the source with its dialect and encoding, and one
 * field per column with its inferred type; connection, key and target are left to fill in.
 */
export function renderJobStub(guess: CsvGuess, options: { path: string; name: string }): string {
  const { dialect, columns } = guess;
  const sourceDecimal = sourceNumbers(guess).decimal;
  const encodingNote = `${reasons[guess.detected.reason] ?? guess.detected.reason}${dialect.bom ? ', with BOM' : ''}`;
  const lines = [
    `# Job stub from \`koppel guess ${options.path}\` (${guess.rows}${guess.truncated ? ' sampled' : ''} records).`,
    '# Check the types, then fill in connection, key and target (rename each field to its AFAS field id).',
    'version: 1',
    `name: ${scalar(options.name)}`,
    'connection:',
    `  url: ${env('AFAS_URL')}`,
    `  token: ${env('AFAS_TOKEN')}`,
    'source:',
    '  csv:',
    ...csvSourceLines(guess, options.path, encodingNote),
  ];
  lines.push(
    `key: ${JSON.stringify(`{${columns[0]?.name ?? 'id'}}`)}  # the column(s) that identify a record`,
    'target:',
    '  update_connector: TODO  # e.g. KnSubject, FiEntries',
    '  method: insert',
    '  element:',
    '    fields:',
  );
  for (const column of columns) {
    const spec = [`column: ${scalar(column.name)}`];
    if (column.type !== 'string') spec.push(`type: ${column.type}`);
    if (column.date) spec.push(`date: ${scalar(column.date)}`);
    if (column.decimal && column.decimal !== sourceDecimal)
      spec.push(`decimal: ${JSON.stringify(column.decimal)}`);
    const notes = [`max ${column.maxLength} characters`];
    if (column.empty > 0) notes.push(`${column.empty} empty`);
    lines.push(`      ${scalar(column.name)}: { ${spec.join(', ')} }  # ${notes.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
