import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { AtomicFile } from '../outputs/atomic-file.js';
import { ExtractError } from './errors.js';
import type { ExtractFormat } from './extract-writer.js';

/** An extract file that new rows are appended to. */
export interface ExistingExtract {
  path: string;
  format: ExtractFormat;
  /** Rows it holds. */
  rows: number;
  /** Bytes copied before the new rows: the whole file, or up to the closing `]` of a JSON array. */
  keep: number;
  /** Rows past `upTo` that are left out (an earlier run appended them but did not keep its state). */
  dropped: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const HEAD_BYTES = 64 * 1024;
const TAIL_BYTES = 64;

/**
 * Reads the extract file the rows of an incremental run are appended to; undefined when there is
 * none. Refuses (ExtractError) a file whose columns are not the job's (CSV header, keys of the
 * first JSON row), that does not end with a line break, or a JSON file that is not an array.
 */
export async function readExistingExtract(options: {
  path: string;
  format: ExtractFormat;
  /** The CSV header line as the writer writes it (without its line break). */
  header: string;
  columns: readonly string[];
  /** Only the first `upTo` bytes count as the file (what the last run that kept its state left). */
  upTo?: number | undefined;
}): Promise<ExistingExtract | undefined> {
  const { path, format, columns } = options;
  const whole = await stat(path).then(
    (info) => info.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (whole === undefined) return undefined;
  const size = options.upTo !== undefined && options.upTo < whole ? options.upTo : whole;
  const refuse = (what: string): never => {
    throw new ExtractError(
      `${path}: ${what}, so the new rows cannot be appended; run with --full-refresh to rewrite it, or move the file away`,
    );
  };
  const handle = await open(path, 'r');
  let head: string;
  let tail: string;
  try {
    const first = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(first, 0, first.length, 0);
    const text = first.subarray(0, 3).equals(BOM) ? first.subarray(3) : first;
    head = text.toString('utf8');
    const last = Buffer.alloc(Math.min(size, TAIL_BYTES));
    await handle.read(last, 0, last.length, size - last.length);
    tail = last.toString('latin1');
  } finally {
    await handle.close();
  }
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  const rowColumns = (line: string): string => {
    try {
      return Object.keys(JSON.parse(line.replace(/,$/, '')) as object).join(', ');
    } catch {
      return refuse(`its first row is not a JSON object`);
    }
  };
  let keep = size;
  if (format === 'csv') {
    if (firstLine !== options.header)
      refuse(`its header is ${firstLine || '(empty)'}, the job's columns are ${options.header}`);
  } else if (format === 'jsonl') {
    if (firstLine !== '' && rowColumns(firstLine) !== columns.join(', '))
      refuse(`its columns are ${rowColumns(firstLine)}, the job's are ${columns.join(', ')}`);
  } else {
    const end = tail.trimEnd();
    if (!head.trimStart().startsWith('[') || !end.endsWith(']')) refuse('it is not a JSON array');
    const row = head.split(/\r?\n/, 2)[1];
    if (row?.startsWith('{') && rowColumns(row) !== columns.join(', '))
      refuse(`its columns are ${rowColumns(row)}, the job's are ${columns.join(', ')}`);
    // Keep everything before the closing bracket (and the whitespace before it).
    keep = size - tail.length + end.slice(0, -1).trimEnd().length;
  }
  if (format !== 'json' && size > 0 && !tail.endsWith('\n'))
    refuse('it does not end with a line break (was it cut off?)');
  const rows = await countRows(path, format, keep);
  const dropped = size < whole ? (await countRows(path, format, whole)) - rows : 0;
  return { path, format, rows, keep, dropped };
}

/**
 * Rows of the file: CSV records (line breaks outside quotes, minus the header), JSONL lines, or
 * the lines of a JSON array as the extract writes it (one row a line).
 */
async function countRows(path: string, format: ExtractFormat, keep: number): Promise<number> {
  if (keep === 0) return 0;
  let lines = 0;
  let quoted = false;
  for await (const chunk of createReadStream(path, { start: 0, end: keep - 1 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === 0x22 && format === 'csv') quoted = !quoted;
      else if (byte === 0x0a && !quoted) lines++;
    }
  }
  // CSV: minus the header; JSON: `[`, then a line break before each row.
  return format === 'csv' ? Math.max(0, lines - 1) : lines;
}

/** Copies the kept bytes of the existing file to the start of the new one. */
export async function copyExisting(existing: ExistingExtract, out: AtomicFile): Promise<void> {
  if (existing.keep === 0) return;
  for await (const chunk of createReadStream(existing.path, { start: 0, end: existing.keep - 1 }))
    await out.write(chunk as Buffer);
}
