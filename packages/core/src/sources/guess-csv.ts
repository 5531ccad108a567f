import type { DetectedEncoding } from '../encoding/sniff-encoding.js';
import type { SourceRecord } from '../record.js';
import type { CsvDialect } from './csv-dialect.js';
import type { CsvSourceOptions } from './csv-options.js';
import { openCsvSource } from './csv-source.js';
import { findHeader, type HeaderRow, type ProbeRow } from './find-header.js';
import { type ColumnGuess, inferColumn } from './infer-column.js';

/** How the job's `source.csv` must read the file to see what was sampled. */
export interface CsvReadGuess {
  /** Lines before the header row (title lines, a report date, blank or `;;;;` lines). */
  skipLines: number;
  /** 1-based line of the header row, or 0 when the columns are declared without one in the file. */
  headerLine: number;
  /** Declared column names, when the header row cannot be read as is (empty, repeated or trailing cells). */
  header?: string[];
  /** `truncate` when rows carry empty cells beyond the declared names (Excel pads rows with `;;;`). */
  ragged?: 'truncate';
  /** Values were padded with spaces (fixed-width style exports). */
  trim: boolean;
  /** Values that stand for "no value" in this file, e.g. `NULL`, `-`, `#N/A`. */
  nullStrings: string[];
}

/** What `koppel guess` found in a CSV file. */
export interface CsvGuess {
  file: string;
  dialect: CsvDialect;
  detected: DetectedEncoding;
  columns: ColumnGuess[];
  /** Records sampled. */
  rows: number;
  /** True when the file has more records than were sampled. */
  truncated: boolean;
  /** The source options the job needs. */
  read: CsvReadGuess;
}

/** Values exports write for "nothing" (compared after trimming). */
export const NULL_MARKERS: readonly string[] = [
  'NULL',
  'null',
  'Null',
  '(null)',
  '-',
  '--',
  'n/a',
  'N/A',
  'n.v.t.',
  '#N/A',
  '#N/B',
  '#NA',
];

const PROBE_WIDTH = 512;
const PROBE_ROWS = 200;

/** The first rows of the file split into cells, without any header or width expectation. */
async function probe(options: CsvSourceOptions): Promise<{ rows: ProbeRow[]; delimiter: string }> {
  const header = Array.from({ length: PROBE_WIDTH }, (_, i) => `c${i + 1}`);
  const source = await openCsvSource({
    ...options,
    header,
    skipLines: 0,
    trim: false,
    nullStrings: [],
    ragged: 'truncate',
    allowEmpty: true,
  });
  const rows: ProbeRow[] = [];
  for await (const record of source) {
    rows.push({ line: record.origin.line, cells: record.raw ?? [] });
    if (rows.length === PROBE_ROWS) break;
  }
  return { rows, delimiter: source.dialect.delimiter };
}

const padded = (cell: string): boolean => cell !== cell.trim();

/** The read options for a header found on `found.line` (declared names when the row has empty cells). */
function readOptions(found: HeaderRow | undefined, rows: readonly ProbeRow[]): CsvReadGuess {
  const from = found ? rows.findIndex((row) => row.line === found.line) : 0;
  const trim = rows.slice(Math.max(0, from), from + 100).some((row) => row.cells.some(padded));
  if (!found) return { skipLines: 0, headerLine: 1, trim, nullStrings: [] };
  const unique = new Set(found.names).size === found.names.length;
  const clean = unique && found.width === found.names.length && found.names.every((name) => name !== '');
  if (clean) return { skipLines: found.line - 1, headerLine: found.line, trim, nullStrings: [] };
  const seen = new Map<string, number>();
  const header = found.names.map((name, i) => {
    const base = name || `column_${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
  const ragged = found.width > found.names.length ? { ragged: 'truncate' as const } : {};
  return { skipLines: found.line, headerLine: found.line, header, ...ragged, trim, nullStrings: [] };
}

/**
 * Reads up to `sampleRows` records (default 1000) and infers the dialect, where the header is
 * (below title lines), padding, the file's null markers and each column's type. A given
 * `skipLines` or `header` is taken as is.
 */
export async function guessCsv(options: CsvSourceOptions, sampleRows = 1000): Promise<CsvGuess> {
  const declared = options.skipLines !== undefined || Array.isArray(options.header);
  let read: CsvReadGuess = {
    skipLines: options.skipLines ?? 0,
    headerLine: Array.isArray(options.header) ? 0 : (options.skipLines ?? 0) + 1,
    ...(Array.isArray(options.header) ? { header: [...options.header] } : {}),
    trim: options.trim ?? false,
    nullStrings: [...(options.nullStrings ?? [])],
  };
  let delimiter = options.delimiter;
  if (!declared && options.header !== false) {
    const probed = await probe(options);
    delimiter = probed.delimiter;
    read = readOptions(findHeader(probed.rows), probed.rows);
    if (options.trim !== undefined) read.trim = options.trim;
  }
  const source = await openCsvSource({
    ...options,
    ...(delimiter ? { delimiter } : {}),
    skipLines: read.skipLines,
    ...(read.header ? { header: read.header } : {}),
    trim: read.trim,
    nullStrings: [],
    ragged: 'truncate',
  });
  const records: SourceRecord[] = [];
  let truncated = false;
  for await (const record of source) {
    if (records.length === sampleRows) {
      truncated = true;
      break;
    }
    records.push(record);
  }
  const markers = new Set([...read.nullStrings, ...NULL_MARKERS]);
  const seen = new Set<string>();
  const prefer = source.dialect.delimiter === ';' ? ',' : '.';
  const columns = source.columns.map((name) => {
    const values = records.map((r) => {
      const value = r.fields[name] as string | null | undefined;
      if (value === null || value === undefined) return null;
      const trimmed = value.trim();
      if (!markers.has(trimmed)) return value;
      seen.add(trimmed);
      return null;
    });
    const distinct = new Set<string>();
    for (const value of values) {
      if (distinct.size === 50) break;
      if (value !== null && value.trim() !== '') distinct.add(value.trim());
    }
    return { ...inferColumn(name, values, prefer), values: [...distinct] };
  });
  read.nullStrings = [...markers].filter((marker) => seen.has(marker));
  return {
    file: source.file,
    dialect: source.dialect,
    detected: source.detected,
    columns,
    rows: records.length,
    truncated,
    read,
  };
}
