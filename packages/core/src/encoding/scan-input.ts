import { isAscii, isUtf8 } from 'node:buffer';
import { asSourceError, readByteChunks } from '../sources/byte-stream.js';
import {
  ControlCharacterError,
  EmptyInputError,
  EncodingUndecidedError,
  type InputPosition,
  InvalidEncodingError,
} from '../sources/errors.js';
import { isSingleByte, type SingleByteEncoding, singleByteCodePoint, UNDEFINED_BYTE } from './single-byte.js';
import { bomLength, bomOf, type DetectedEncoding, utf16Pattern } from './sniff-encoding.js';
import type { EncodingOption, InvalidBytesPolicy, TextEncoding } from './text-encoding.js';
import { findInvalidUtf8, incompleteUtf8Tail, utf8SequenceLength } from './utf8.js';
import { LONE_SURROGATE, Utf16Decoder } from './utf16.js';

/** What `scanInput` needs to know about one input file. */
export interface ScanOptions {
  /** Path to read. */
  path: string;
  /** Path shown in errors. */
  file: string;
  /** Whether the file is gzipped (the decompressed bytes are scanned). */
  gzip: boolean;
  /** The job's `encoding:` (`auto` detects). */
  encoding: EncodingOption;
  /** `replace` (declared encodings only) skips the validity check: invalid bytes become U+FFFD. */
  invalidBytes: InvalidBytesPolicy;
  /** A 0-byte file is fine (0 records) instead of an `EmptyInputError`. */
  allowEmpty: boolean;
  /** The option that allows an empty input, named in the error, e.g. `source.csv.allow_empty`. */
  allowEmptyOption: string;
}

/** C0 control characters other than TAB, LF and CR: never text in a field. */
export const CONTROL_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

const PLAIN_UTF8 = { encoding: 'utf-8', bom: false } as const;
const PLAIN_CP1252 = { encoding: 'windows-1252', bom: false } as const;

const SINGLE_BYTE: readonly SingleByteEncoding[] = ['windows-1252', 'iso-8859-1', 'iso-8859-15'];

const hex = (byte: number): string => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

const controlName = (code: number): string =>
  code === 0 ? 'a NUL byte (0x00)' : `control character ${hex(code)}`;

/** Where the problem at `byteOffset` is: counts lines and the characters before it on its line. */
async function locate(
  options: ScanOptions,
  detected: { encoding: TextEncoding; bom: boolean },
  byteOffset: number,
): Promise<InputPosition> {
  const { encoding } = detected;
  const where = { file: options.file, byteOffset };
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const decoder = new Utf16Decoder(encoding === 'utf-16be');
    const start = bomLength(detected);
    let line = 1;
    let column = 1;
    let offset = 0;
    for await (const chunk of readByteChunks(options.path, options.gzip)) {
      const from = Math.max(0, start - offset);
      const to = Math.min(chunk.length, byteOffset - offset);
      offset += chunk.length;
      if (to <= from) {
        if (offset >= byteOffset) break;
        continue;
      }
      const text = decoder.write(chunk.subarray(from, to));
      for (const char of text) {
        if (char === '\n') {
          line++;
          column = 1;
        } else column++;
      }
      if (offset >= byteOffset) break;
    }
    return { ...where, line, column };
  }
  let line = 1;
  let lineBytes: Buffer[] = [];
  let offset = 0;
  for await (const chunk of readByteChunks(options.path, options.gzip)) {
    const end = Math.min(chunk.length, byteOffset - offset);
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1 && nl < end; nl = chunk.indexOf(0x0a, nl + 1)) {
      line++;
      from = nl + 1;
      lineBytes = [];
    }
    if (end > from) lineBytes.push(Buffer.from(chunk.subarray(from, end)));
    offset += chunk.length;
    if (offset >= byteOffset) break;
  }
  let before = Buffer.concat(lineBytes);
  if (line === 1) before = before.subarray(bomLength(detected));
  const column =
    encoding === 'utf-8'
      ? [...before.subarray(0, before.length - incompleteUtf8Tail(before)).toString('utf8')].length + 1
      : before.length + 1;
  return { ...where, line, column };
}

/** A problem found by the fast pass, located by `locate` before it becomes an error. */
type Problem =
  | { kind: 'control'; byteOffset: number; code: number }
  | { kind: 'invalid'; byteOffset: number; bytes: number[] };

async function problemError(
  options: ScanOptions,
  detected: DetectedEncoding,
  problem: Problem,
): Promise<Error> {
  const at = await locate(options, detected, problem.byteOffset);
  const place = `${at.file}:${at.line}:${at.column}`;
  if (problem.kind === 'control') {
    return new ControlCharacterError(
      at,
      `${place}: ${controlName(problem.code)} at byte offset ${at.byteOffset}; Koppel refuses control characters (other than tab, CR and LF) in input fields: remove them from the file (an export that pads fields with NUL? a UTF-16 file declared as something else?)`,
    );
  }
  const shown = problem.bytes.map(hex).join(' ') || 'end of file';
  const why =
    detected.reason === 'declared'
      ? `the job declares \`encoding: ${detected.encoding}\``
      : detected.reason === 'bom'
        ? `the file starts with a ${detected.encoding} byte order mark`
        : `\`encoding: auto\` chose ${detected.encoding}`;
  const what =
    detected.encoding === 'utf-8'
      ? 'invalid UTF-8'
      : detected.encoding.startsWith('utf-16')
        ? `invalid ${detected.encoding.toUpperCase()} (a lone surrogate or a dangling byte)`
        : detected.encoding === 'windows-1252'
          ? 'a byte Windows-1252 leaves undefined'
          : `a C1 control byte, which Koppel does not read as ${detected.encoding} text`;
  return new InvalidEncodingError(
    at,
    `${place}: ${what} at byte offset ${at.byteOffset} (bytes ${shown}); ${why}, but this byte is not text in it. Declare the file's real encoding (\`encoding: ...\`) or fix the byte; nothing was sent`,
  );
}

/** Counters of the slow pass of `encoding: auto` over a file that is not valid UTF-8. */
interface ByteCensus {
  /** First offset of each byte value 0x80-0xFF seen (-1: never). */
  firstAt: Float64Array;
  /** Offset of the first valid multi-byte UTF-8 sequence, -1 when there is none. */
  utf8Sequence: number;
}

function validSequenceAt(bytes: Uint8Array, i: number): boolean {
  const lead = bytes[i] as number;
  const need = utf8SequenceLength(lead);
  if (need < 2 || i + need > bytes.length) return false;
  return findInvalidUtf8(bytes.subarray(i, i + need)) === -1;
}

function census(bytes: Uint8Array, base: number, into: ByteCensus): void {
  const { firstAt } = into;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte < 0x80) continue;
    if (firstAt[byte]! < 0) firstAt[byte] = base + i;
    if (into.utf8Sequence < 0 && byte >= 0xc2 && validSequenceAt(bytes, i)) into.utf8Sequence = base + i;
  }
}

/**
 * Reads the whole (decompressed) input once, before any record is read, and decides its encoding:
 * a BOM or the declared one, validated over every byte; or for `auto`, UTF-8 when all N bytes are
 * valid UTF-8, a single-byte encoding only when every candidate left reads every byte the same
 * way, and otherwise an `EncodingUndecidedError` naming the candidates and the first offending
 * byte. Also refuses NUL and other C0 controls (`ControlCharacterError`) and, unless allowed, a
 * 0-byte file (`EmptyInputError`). Every error names file:line:col and the byte offset.
 */
export async function scanInput(options: ScanOptions): Promise<DetectedEncoding> {
  try {
    return await scan(options);
  } catch (error) {
    throw asSourceError(options.file, error);
  }
}

async function scan(options: ScanOptions): Promise<DetectedEncoding> {
  const declared = options.encoding;
  let detected: DetectedEncoding | null = null;
  let bomBytes = 0;
  let offset = 0;
  let carry: Buffer | null = null;
  let utf8Valid = true;
  let firstInvalid = -1;
  let firstSequence = -1;
  let utf16: Utf16Decoder | null = null;
  const tally: ByteCensus = { firstAt: new Float64Array(256).fill(-1), utf8Sequence: -1 };
  const checkUtf8 = !(declared !== 'auto' && options.invalidBytes === 'replace');
  for await (const chunk of readByteChunks(options.path, options.gzip)) {
    let data = chunk;
    if (detected === null) {
      const bom = bomOf(chunk);
      if (declared !== 'auto') detected = { encoding: declared, bom: bom === declared, reason: 'declared' };
      else if (bom) detected = { encoding: bom, bom: true, reason: 'bom' };
      else {
        const pattern = utf16Pattern(chunk);
        if (pattern) {
          const at = await locate(options, { encoding: 'utf-8', bom: false }, chunk.indexOf(0));
          throw new EncodingUndecidedError(
            at,
            [pattern],
            `${at.file}:${at.line}:${at.column}: the file looks like ${pattern.toUpperCase()} without a byte order mark (NUL byte at byte offset ${at.byteOffset}); \`encoding: auto\` only reads UTF-16 with a BOM: set \`encoding: ${pattern}\`; nothing was sent`,
          );
        }
        detected = { encoding: 'utf-8', bom: false, reason: 'detected: valid UTF-8 over all 0 bytes' };
      }
      bomBytes = bomLength(detected);
      data = chunk.subarray(Math.min(bomBytes, chunk.length));
      offset = chunk.length - data.length;
      if (detected.encoding === 'utf-16le' || detected.encoding === 'utf-16be') {
        utf16 = new Utf16Decoder(detected.encoding === 'utf-16be');
      }
    }
    const current = detected;
    if (utf16) {
      const text = utf16.write(data);
      const unitsBefore = utf16.units - text.length;
      offset += data.length;
      const control = CONTROL_CHARACTER.exec(text);
      const lone = options.invalidBytes === 'error' ? LONE_SURROGATE.exec(text) : null;
      const first = [control, lone].filter((m) => m !== null).sort((a, b) => a.index - b.index)[0];
      if (first) {
        const byteOffset = bomBytes + 2 * (unitsBefore + first.index);
        throw await problemError(
          options,
          current,
          first === control
            ? { kind: 'control', byteOffset, code: text.charCodeAt(first.index) }
            : { kind: 'invalid', byteOffset, bytes: [] },
        );
      }
      continue;
    }
    if (data.length === 0) continue;
    const latin1 = data.toString('latin1');
    const control = CONTROL_CHARACTER.exec(latin1);
    if (control) {
      throw await problemError(options, current, {
        kind: 'control',
        byteOffset: offset + control.index,
        code: latin1.charCodeAt(control.index),
      });
    }
    if (isSingleByte(current.encoding) && options.invalidBytes === 'error') {
      const bad = UNDEFINED_BYTE[current.encoding].exec(latin1);
      if (bad) {
        throw await problemError(options, current, {
          kind: 'invalid',
          byteOffset: offset + bad.index,
          bytes: [latin1.charCodeAt(bad.index)],
        });
      }
    }
    if (current.encoding === 'utf-8' && checkUtf8) {
      const body: Buffer = carry ? Buffer.concat([carry, data]) : data;
      const bodyStart = offset - (carry?.length ?? 0);
      const tail = incompleteUtf8Tail(body);
      const whole = body.subarray(0, body.length - tail);
      if (utf8Valid) {
        if (isUtf8(whole)) {
          if (firstSequence < 0 && !isAscii(whole)) {
            let i = 0;
            while ((whole[i] as number) < 0x80) i++;
            firstSequence = bodyStart + i;
          }
        } else {
          const at = findInvalidUtf8(whole);
          if (declared !== 'auto' || current.reason === 'bom') {
            throw await problemError(options, current, {
              kind: 'invalid',
              byteOffset: bodyStart + at,
              bytes: [...whole.subarray(at, at + 4)],
            });
          }
          utf8Valid = false;
          firstInvalid = bodyStart + at;
          census(whole, bodyStart, tally);
        }
      } else census(whole, bodyStart, tally);
      carry = tail > 0 ? Buffer.from(body.subarray(whole.length)) : null;
    }
    offset += data.length;
  }
  const size = offset;
  if (detected === null || size - bomBytes === 0) {
    if (!options.allowEmpty) {
      throw new EmptyInputError(
        options.file,
        `${options.file}: the input is empty (${size} bytes${bomBytes ? ', only a byte order mark' : ''}); nothing to do, so nothing was sent. Check the export that wrote it, or set \`${options.allowEmptyOption}: true\` when an empty input is fine`,
      );
    }
    return detected ?? { encoding: 'utf-8', bom: false, reason: 'detected: empty file' };
  }
  if (utf16) {
    const rest = utf16.end();
    if (options.invalidBytes === 'error' && (rest.text !== '' || rest.oddByte)) {
      const byteOffset = rest.oddByte ? size - 1 : size - 2;
      throw await problemError(options, detected, { kind: 'invalid', byteOffset, bytes: [] });
    }
    return detected;
  }
  if (carry) {
    if (declared !== 'auto' || detected.reason === 'bom') {
      throw await problemError(options, detected, {
        kind: 'invalid',
        byteOffset: size - carry.length,
        bytes: [...carry],
      });
    }
    if (utf8Valid) {
      utf8Valid = false;
      firstInvalid = size - carry.length;
    }
    census(carry, size - carry.length, tally);
  }
  if (declared !== 'auto' || detected.reason === 'bom') return detected;
  if (utf8Valid) return { ...detected, reason: `detected: valid UTF-8 over all ${size} bytes` };
  return decideSingleByte(options, { size, firstInvalid, firstSequence, tally });
}

async function decideSingleByte(
  options: ScanOptions,
  seen: { size: number; firstInvalid: number; firstSequence: number; tally: ByteCensus },
): Promise<DetectedEncoding> {
  const { firstAt } = seen.tally;
  const invalidAt = await locate(options, PLAIN_UTF8, seen.firstInvalid);
  const invalidByte = await byteAt(options, seen.firstInvalid);
  const notUtf8 = `not UTF-8 (byte ${hex(invalidByte)} at ${invalidAt.line}:${invalidAt.column}, byte offset ${invalidAt.byteOffset})`;
  const sequence = seen.firstSequence >= 0 ? seen.firstSequence : seen.tally.utf8Sequence;
  const place = `${invalidAt.file}:${invalidAt.line}:${invalidAt.column}`;
  const present: number[] = [];
  for (let byte = 0x80; byte <= 0xff; byte++) if (firstAt[byte]! >= 0) present.push(byte);
  const candidates = SINGLE_BYTE.filter((encoding) =>
    present.every((byte) => singleByteCodePoint(encoding, byte) >= 0),
  );
  if (sequence >= 0) {
    const seq = await locate(options, PLAIN_UTF8, sequence);
    throw new EncodingUndecidedError(
      invalidAt,
      ['utf-8', ...candidates],
      `${place}: \`encoding: auto\` cannot decide: byte ${hex(invalidByte)} at byte offset ${invalidAt.byteOffset} is not valid UTF-8, but the file also has valid UTF-8 characters (the first at ${seq.line}:${seq.column}), so it is probably UTF-8 with a stray byte from another encoding. Candidates: utf-8${candidates.length ? `, ${candidates.join(', ')}` : ''}. Fix the byte, or set \`encoding:\` to the file's real encoding; nothing was sent`,
    );
  }
  if (candidates.length === 0) {
    const culprit = present.find((byte) => singleByteCodePoint('windows-1252', byte) < 0) as number;
    const at = await locate(options, PLAIN_CP1252, firstAt[culprit]!);
    throw new EncodingUndecidedError(
      at,
      [],
      `${at.file}:${at.line}:${at.column}: \`encoding: auto\` cannot decode the file: it is ${notUtf8}, and byte ${hex(culprit)} at byte offset ${at.byteOffset} is undefined in windows-1252 (and a C1 control in iso-8859-1/-15). Find out the file's real encoding and set \`encoding:\`, or fix the byte; nothing was sent`,
    );
  }
  const differing = present.find((byte) => {
    const first = singleByteCodePoint(candidates[0]!, byte);
    return candidates.some((encoding) => singleByteCodePoint(encoding, byte) !== first);
  });
  if (differing !== undefined) {
    const at = await locate(options, PLAIN_CP1252, firstAt[differing]!);
    const readings = candidates
      .map(
        (encoding) =>
          `${encoding} ${JSON.stringify(String.fromCodePoint(singleByteCodePoint(encoding, differing)))}`,
      )
      .join(', ');
    throw new EncodingUndecidedError(
      at,
      candidates,
      `${at.file}:${at.line}:${at.column}: \`encoding: auto\` cannot decide: the file is ${notUtf8}, and byte ${hex(differing)} at byte offset ${at.byteOffset} reads differently in the candidates (${readings}). Set \`encoding:\` to one of ${candidates.join(', ')}; nothing was sent`,
    );
  }
  const encoding = candidates[0]!;
  const why =
    candidates.length === 1
      ? `bytes 0x80-0x9F are text only in ${encoding}`
      : `every byte reads the same in ${candidates.join(', ')}`;
  return { encoding, bom: false, reason: `detected: ${notUtf8}; ${why}` };
}

async function byteAt(options: ScanOptions, byteOffset: number): Promise<number> {
  let offset = 0;
  for await (const chunk of readByteChunks(options.path, options.gzip)) {
    if (byteOffset < offset + chunk.length) return chunk[byteOffset - offset] as number;
    offset += chunk.length;
  }
  return -1;
}
