import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { AtomicFile } from '../outputs/atomic-file.js';
import { formatCsvRow } from '../outputs/csv-format.js';
import { jsonText } from '../outputs/json-text.js';
import type { FieldValue } from '../record.js';
import { copyExisting, type ExistingExtract, readExistingExtract } from './existing-extract.js';
import { type ExtractFormat, type ExtractWriterOptions, extractFormat } from './extract-writer.js';

const FLUSH_BYTES = 256 * 1024;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** One part of a parted extract file: rows of one key range, in order. */
export interface ExtractPart {
  /** Appends one row given as values in `columns` order. */
  writeValues(values: readonly FieldValue[]): Promise<void>;
  /** Appends `rows` rows formatted by `extractRowFormatter` (same format, columns and delimiter), in order. */
  writeText(text: string, rows: number): Promise<void>;
}

/** Options of `openPartedWriter`. */
export interface PartedWriterOptions extends ExtractWriterOptions {
  /** Number of parts written at the same time (one per key range), joined in order by `close()`; at least 1. */
  parts: number;
  /**
   * Append to the file at `path` when it exists (an incremental run): CSV without a second
   * header, JSONL, or into the JSON array; its columns must be `columns`, else the open refuses
   * with ExtractError. The whole file is still replaced atomically. Default false.
   */
  append?: boolean;
  /** With `append`: only the first `appendAfter` bytes of the file are kept (see IncrementalState.output). */
  appendAfter?: number | undefined;
}

/** An extract file written as parts in parallel and joined in part order into one atomic file. */
export interface PartedWriter {
  readonly path: string;
  /** Rows written so far, over every part. */
  readonly count: number;
  /** With `append`: the rows the existing file held; undefined when there was no file to append to. */
  readonly appendedTo: number | undefined;
  /** With `appendAfter`: rows past those bytes that were left out. */
  readonly dropped: number;
  /** The writer of part `index` (0-based). */
  part(index: number): ExtractPart;
  /** Joins the parts (header first for CSV) into the final file and renames it into place. */
  close(): Promise<void>;
  /** Deletes every temporary file. */
  abort(): Promise<void>;
}

class PartFile {
  readonly path: string;
  readonly #handle: FileHandle;
  #pending: string[] = [];
  #bytes = 0;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  static async create(path: string): Promise<PartFile> {
    return new PartFile(path, await open(path, 'wx'));
  }

  async write(text: string): Promise<void> {
    this.#pending.push(text);
    this.#bytes += text.length;
    if (this.#bytes >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#bytes === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#bytes = 0;
    await this.#handle.write(text, null, 'utf8');
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#handle.close();
  }

  async remove(): Promise<void> {
    await this.#handle.close().catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }
}

const csvSyntax = (delimiter = ',') => ({ delimiter, quote: '"', escape: '"', quoting: 'needed' }) as const;

/** A value of an extract row: a field value, or a JSON number as JavaScript writes it (`String(n)`, as JSON.parse read it). */
export type ExtractCell = FieldValue | number;

/** What `extractRowFormatter` needs: the file's format, columns and CSV delimiter. */
export interface ExtractRowFormat {
  format: ExtractFormat;
  columns: readonly string[];
  /** CSV field separator; default `,`. */
  delimiter?: string | undefined;
}

/**
 * One row (values in `columns` order) as a line of a CSV, JSONL or JSON extract, line ending
 * included: the text `ExtractPart.writeValues` writes, for `writeText`.
 */
export function extractRowFormatter(options: ExtractRowFormat): (values: readonly ExtractCell[]) => string {
  if (options.format === 'csv') {
    const syntax = csvSyntax(options.delimiter);
    return (values) => `${formatCsvRow(values, syntax)}\r\n`;
  }
  const keys = options.columns.map((column) => `${JSON.stringify(column)}:`);
  return (values) => {
    let text = '{';
    for (let i = 0; i < keys.length; i++)
      text += `${i === 0 ? '' : ','}${keys[i]}${jsonText(values[i] ?? null)}`;
    return `${text}}\n`;
  };
}

/**
 * Opens a CSV/JSONL/JSON extract file written as `parts` temporary files at the same time (one
 * per key range of a parallel read), so every range streams at full speed with bounded memory;
 * `close()` joins them in order. The bytes are those of `openExtractWriter` for the same rows.
 */
export async function openPartedWriter(options: PartedWriterOptions): Promise<PartedWriter> {
  const format = extractFormat(options.path, options.format);
  await mkdir(dirname(options.path), { recursive: true });
  const syntax = csvSyntax(options.delimiter);
  const columns = options.columns;
  const line = extractRowFormatter({ ...options, format });
  const stem = join(
    dirname(options.path),
    `.${basename(options.path)}.${process.pid}.${Date.now().toString(36)}`,
  );
  const header = formatCsvRow(columns, syntax);
  const existing: ExistingExtract | undefined = options.append
    ? await readExistingExtract({ path: options.path, format, header, columns, upTo: options.appendAfter })
    : undefined;
  const files: PartFile[] = [];
  try {
    for (let i = 0; i < Math.max(1, options.parts); i++)
      files.push(await PartFile.create(`${stem}.part${i}.tmp`));
  } catch (error) {
    await Promise.all(files.map((file) => file.remove()));
    throw error;
  }
  let count = 0;
  let state: 'open' | 'closed' | 'aborted' = 'open';
  const abort = async () => {
    if (state !== 'open') return;
    state = 'aborted';
    await Promise.all(files.map((file) => file.remove()));
  };
  return {
    path: options.path,
    get count() {
      return count;
    },
    appendedTo: existing?.rows,
    dropped: existing?.dropped ?? 0,
    part(index) {
      const file = files[index];
      if (!file) throw new RangeError(`Expected a part index from 0 to ${files.length - 1}, got ${index}`);
      return {
        writeValues: async (values) => {
          await file.write(line(values));
          count++;
        },
        writeText: async (text, rows) => {
          await file.write(text);
          count += rows;
        },
      };
    },
    async close() {
      if (state !== 'open') return;
      if (existing && count === 0 && existing.dropped === 0) {
        await abort(); // nothing to append: the file stays as it is
        state = 'closed';
        return;
      }
      const out = await AtomicFile.create(options.path);
      try {
        await Promise.all(files.map((file) => file.close()));
        if (existing) {
          await copyExisting(existing, out);
        } else {
          if (options.bom) await out.write(BOM);
          if (format === 'csv') await out.write(Buffer.from(`${header}\r\n`));
          if (format === 'json') await out.write(Buffer.from('['));
        }
        let first = !(existing && existing.rows > 0);
        for (const file of files) {
          if (format !== 'json') {
            for await (const chunk of createReadStream(file.path)) await out.write(chunk as Buffer);
            continue;
          }
          for await (const text of createInterface({
            input: createReadStream(file.path),
            crlfDelay: Number.POSITIVE_INFINITY,
          })) {
            await out.write(Buffer.from(`${first ? '\n' : ',\n'}${text}`));
            first = false;
          }
        }
        if (format === 'json') await out.write(Buffer.from(`${first ? '' : '\n'}]\n`));
        await out.commit();
        state = 'closed';
      } catch (error) {
        await out.abort();
        await abort();
        throw error;
      }
      await Promise.all(files.map((file) => unlink(file.path).catch(() => undefined)));
    },
    abort,
  };
}
