import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findInvalidUtf8 } from '../encoding/utf8.js';
import { JobFileError, JobInvalidError, type JobProblem } from './errors.js';

/** What a YAML file is to the user, for messages: `job file`, `connections file`, `test file`. */
export type YamlFileKind = 'job file' | 'connections file' | 'test file';

/** Largest YAML file read, in bytes; a job is a few KB. */
export const MAX_YAML_BYTES = 16 * 1024 * 1024;

/** Reads a YAML file of `kind` as UTF-8; throws JobFileError (missing, folder, unreadable, empty) or JobInvalidError (not UTF-8). */
export async function readYamlFile(
  path: string,
  kind: YamlFileKind,
): Promise<{ file: string; text: string }> {
  const file = resolve(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw fileError(file, kind, error);
  }
  return { file, text: decodeYamlBytes(file, bytes, kind) };
}

/** Like readYamlFile, synchronously; `allowEmpty` returns '' for an empty file instead of refusing it. */
export function readYamlFileSync(
  path: string,
  kind: YamlFileKind,
  options: { allowEmpty?: boolean } = {},
): { file: string; text: string } {
  const file = resolve(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw fileError(file, kind, error);
  }
  if (options.allowEmpty && bytes.toString('latin1').trim() === '') return { file, text: '' };
  return { file, text: decodeYamlBytes(file, bytes, kind) };
}

/** One line for a file that cannot be read, by its system error code. */
function fileError(file: string, kind: YamlFileKind, error: unknown): JobFileError {
  const code = (error as NodeJS.ErrnoException).code;
  const what = `${kind} ${file}`;
  const message =
    code === 'ENOENT'
      ? `${what} does not exist; check the path`
      : code === 'EISDIR'
        ? `${what} is a directory, not a file; name the YAML file inside it`
        : code === 'ENOTDIR'
          ? `${what}: a part of the path is a file, not a directory; check the path`
          : code === 'EACCES' || code === 'EPERM'
            ? `${what} cannot be read (permission denied); check its permissions`
            : code === 'ERR_FS_FILE_TOO_LARGE'
              ? `${what} is too large to be a ${kind}; check the path`
              : `${what} cannot be read (${code ?? 'unreadable'}); check the path`;
  return new JobFileError(message, { cause: error });
}

/**
 * The text of a YAML file that must be UTF-8 (a BOM is allowed and dropped). UTF-16 and invalid
 * UTF-8 are refused naming the encoding found and where; empty files are refused.
 */
export function decodeYamlBytes(file: string, bytes: Uint8Array, kind: YamlFileKind): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buffer.length > MAX_YAML_BYTES) {
    throw new JobFileError(
      `${kind} ${file} is ${buffer.length} bytes, more than ${MAX_YAML_BYTES} a ${kind} may have; check the path`,
    );
  }
  const utf16 = utf16Of(buffer);
  if (utf16) {
    throw invalid({
      file,
      line: 1,
      col: 1,
      message: `the ${kind} is saved as UTF-16 (${utf16}); save it as UTF-8`,
    });
  }
  const start = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  const body = start ? buffer.subarray(start) : buffer;
  const bad = findInvalidUtf8(body);
  if (bad >= 0) {
    const { line, col } = positionOf(body, bad);
    const byte = body[bad] ?? 0;
    const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    const as1252 = byte >= 0x80 ? windows1252(byte) : '';
    const guess = as1252 ? `; it looks like Windows-1252 (${as1252} as ${hex})` : '';
    throw invalid({
      file,
      line,
      col,
      message: `the ${kind} is not UTF-8: byte ${hex} at byte offset ${bad + start} is invalid${guess}; save the file as UTF-8`,
    });
  }
  const nul = body.indexOf(0);
  if (nul >= 0) {
    const { line, col } = positionOf(body, nul);
    throw invalid({
      file,
      line,
      col,
      message: `the ${kind} holds a NUL byte at byte offset ${nul + start}; it is not a text file`,
    });
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw new JobFileError(`${kind} ${file} is empty; ${emptyAdvice(kind)}`);
  return text;
}

const emptyAdvice = (kind: YamlFileKind): string =>
  kind === 'job file'
    ? 'a job starts with `version: 1` (see `koppel init`)'
    : kind === 'connections file'
      ? 'it starts with `connections:`'
      : 'a test file starts with `cases:`';

/** `UTF-16 LE, byte order mark` and the like when the bytes are UTF-16, else undefined. */
function utf16Of(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'LE, byte order mark FF FE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'BE, byte order mark FE FF';
  // Without a BOM: ASCII text in UTF-16 has a zero byte beside every character.
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096));
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 ? oddZeros++ : evenZeros++;
  const half = sample.length / 2;
  if (half >= 2 && oddZeros >= half * 0.4 && evenZeros === 0) return 'LE, zero bytes between the characters';
  if (half >= 2 && evenZeros >= half * 0.4 && oddZeros === 0) return 'BE, zero bytes between the characters';
  return undefined;
}

/** 1-based line and column (in characters) of a byte offset; the bytes before it are valid UTF-8. */
function positionOf(bytes: Buffer, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < offset; at = bytes.indexOf(0x0a, at + 1)) {
    line++;
    lineStart = at + 1;
  }
  const col = bytes.subarray(lineStart, offset).toString('utf8').length + 1;
  return { line, col };
}

const cp1252 = new TextDecoder('windows-1252');

/** The character a byte stands for in Windows-1252, or '' for its undefined bytes. */
function windows1252(byte: number): string {
  const char = cp1252.decode(Uint8Array.of(byte));
  return char === '\uFFFD' || /[\u0080-\u009f]/.test(char) ? '' : char;
}

function invalid(problem: JobProblem): JobInvalidError {
  return new JobInvalidError([problem]);
}
