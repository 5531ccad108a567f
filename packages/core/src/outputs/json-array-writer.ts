import type { TextEncoding } from '../encoding/text-encoding.js';
import { parseJsonPointer } from '../sources/json-pointer.js';
import { jsonText } from './json-text.js';
import { type OutputWriter, openTextFile } from './output-writer.js';

/** How to write a JSON array file. */
export interface JsonArrayWriterOptions {
  /** Final path of the file (written under a temporary name until `close()`). */
  path: string;
  /** JSON pointer the array is nested at, e.g. `/data/items` writes `{"data":{"items":[...]}}`; default `""` (root array). */
  pointer?: string;
  /** Encoding of the file; default `utf-8`. */
  encoding?: TextEncoding;
  /** Start the file with a byte order mark; default false. */
  bom?: boolean;
}

function wrapping(pointer: string): { open: string; close: string } {
  let open = '';
  let close = '';
  for (const segment of parseJsonPointer(pointer)) {
    if (/^(0|[1-9]\d*)$/.test(segment)) {
      open += `[${'null,'.repeat(Number(segment))}`;
      close = `]${close}`;
    } else {
      open += `{${JSON.stringify(segment)}:`;
      close = `}${close}`;
    }
  }
  return { open, close };
}

/** Creates a JSON array writer: one element per line; `JsonNumber`s keep their exact text. */
export async function createJsonArrayWriter(options: JsonArrayWriterOptions): Promise<OutputWriter<unknown>> {
  const wrap = wrapping(options.pointer ?? '');
  const file = await openTextFile(options.path, options.encoding ?? 'utf-8', options.bom ?? false);
  await file.writeText(`${wrap.open}[`);
  let count = 0;
  let closed = false;
  return {
    path: options.path,
    get count() {
      return count;
    },
    write: async (item) => {
      await file.writeText(`${count === 0 ? '\n' : ',\n'}${jsonText(item)}`);
      count++;
    },
    close: async () => {
      if (!closed) await file.writeText(`${count === 0 ? '' : '\n'}]${wrap.close}\n`);
      closed = true;
      await file.commit();
    },
    abort: () => file.abort(),
  };
}
