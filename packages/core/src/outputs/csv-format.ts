import { JsonNumber } from '../record.js';
import { type CsvQuoting, needsQuotes } from '../sources/csv-dialect.js';
import { jsonText } from './json-text.js';

/** The syntax a CSV row is written in. */
export interface CsvRowSyntax {
  delimiter: string;
  quote: string;
  escape: string;
  quoting: CsvQuoting;
}

/** A cell value as CSV text: null/undefined empty, numbers and booleans as text, structures as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return jsonText(value);
}

function quoted(value: string, syntax: CsvRowSyntax): string {
  const { quote, escape: esc } = syntax;
  const escaped = esc === quote ? value : value.split(esc).join(esc + esc);
  return quote + escaped.split(quote).join(esc + quote) + quote;
}

/** Formats one row (without its line ending), quoting fields as `syntax.quoting` says. */
export function formatCsvRow(cells: readonly (string | null)[], syntax: CsvRowSyntax): string {
  const { delimiter, quote, quoting } = syntax;
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i] ?? '';
    const wanted = quoting === 'all' || (typeof quoting !== 'string' && quoting[i] === true);
    const mustQuote = needsQuotes(value, delimiter, quote);
    if (i > 0) line += delimiter;
    line += quote !== '' && (wanted || mustQuote) ? quoted(value, syntax) : value;
  }
  return line;
}
