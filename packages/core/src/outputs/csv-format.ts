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

/** Whether a cell must be quoted: it holds the delimiter, the quote, CR or LF (one pass for one-character delimiters). */
function mustQuote(value: string, delimiter: string, quote: string): boolean {
  if (delimiter.length !== 1 || quote.length > 1) return needsQuotes(value, delimiter, quote);
  const d = delimiter.charCodeAt(0);
  const q = quote === '' ? -1 : quote.charCodeAt(0);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === d || c === q || c === 10 || c === 13) return true;
  }
  return false;
}

/** Formats one row (without its line ending) of values as `cellText` gives them, quoting fields as `syntax.quoting` says. */
export function formatCsvRow(cells: readonly unknown[], syntax: CsvRowSyntax): string {
  const { delimiter, quote, quoting } = syntax;
  // One join, not a string grown cell by cell (short strings are copied on every +=).
  const texts = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const value = cellText(cells[i]);
    const wanted = quoting === 'all' || (typeof quoting !== 'string' && quoting[i] === true);
    texts[i] = quote !== '' && (wanted || mustQuote(value, delimiter, quote)) ? quoted(value, syntax) : value;
  }
  return texts.join(delimiter);
}
