import { CsvFormatError } from './errors.js';

/**
 * Checks header names: every name non-empty and unique. Throws one error listing every problem
 * with its 1-based column positions.
 */
export function validateHeader(names: readonly string[], where: { file: string; line: number }): void {
  const positions = new Map<string, number[]>();
  const empty: number[] = [];
  names.forEach((name, i) => {
    if (name.trim() === '') empty.push(i + 1);
    else positions.set(name, [...(positions.get(name) ?? []), i + 1]);
  });
  const problems: string[] = [];
  if (empty.length > 0)
    problems.push(`empty column name at column${empty.length > 1 ? 's' : ''} ${empty.join(', ')}`);
  for (const [name, at] of positions) {
    if (at.length > 1) problems.push(`duplicate column name \`${name}\` at columns ${at.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new CsvFormatError(
      where,
      `${where.file}:${where.line}: invalid header: ${problems.join('; ')}. ` +
        'Give every column a unique name in the header, or declare the names with `header: [...]` and `skip_lines: 1`',
    );
  }
}
