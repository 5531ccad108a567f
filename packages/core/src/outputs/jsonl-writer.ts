import type { TextEncoding } from '../encoding/text-encoding.js';
import { jsonText } from './json-text.js';
import { type OutputWriter, openTextFile } from './output-writer.js';

/** How to write a JSONL file (one JSON object per line, LF line endings). */
export interface JsonlWriterOptions {
  /** Final path of the file (written under a temporary name until `close()`). */
  path: string;
  /** Encoding of the file; default `utf-8`. */
  encoding?: TextEncoding;
  /** Start the file with a byte order mark; default false. */
  bom?: boolean;
}

/** Creates a JSONL writer; `JsonNumber`s keep their exact text. */
export async function createJsonlWriter(options: JsonlWriterOptions): Promise<OutputWriter<unknown>> {
  const file = await openTextFile(options.path, options.encoding ?? 'utf-8', options.bom ?? false);
  let count = 0;
  return {
    path: options.path,
    get count() {
      return count;
    },
    write: async (item) => {
      await file.writeText(`${jsonText(item)}\n`);
      count++;
    },
    close: () => file.commit(),
    abort: () => file.abort(),
  };
}
