import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/sources/seeded-random.js';
import { decodeBytes } from './decode-bytes.js';
import { type ScanOptions, scanInput } from './scan-input.js';
import { singleByteCodePoint } from './single-byte.js';
import type { EncodingOption } from './text-encoding.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function scanOf(
  bytes: Buffer,
  encoding: EncodingOption = 'auto',
  extra: Partial<ScanOptions> = {},
): ScanOptions {
  const path = join(dir, `in${files++}`);
  writeFileSync(path, extra.gzip ? gzipSync(bytes) : bytes);
  return {
    path,
    file: 'in.csv',
    gzip: false,
    encoding,
    invalidBytes: 'error',
    allowEmpty: false,
    allowEmptyOption: 'source.csv.allow_empty',
    ...extra,
  };
}

/** Decodes a file in random chunk sizes (1 to 70000 bytes), as the sources do after the scan. */
async function readAll(bytes: Buffer, scan: ScanOptions, next: () => number): Promise<string> {
  const detected = await scanInput(scan);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(next() ** 3 * 70_000);
      yield bytes.subarray(at, at + size);
      at += size;
    }
  }
  let text = '';
  for await (const piece of decodeBytes(chunks(), { file: scan.file, detected, invalidBytes: 'error', scan }))
    text += piece;
  return text;
}

/** A random string of code points from ASCII (no C0 controls except tab/LF), Latin, CJK, astral planes. */
function randomText(next: () => number, length: number): string {
  const ranges: [number, number][] = [
    [0x20, 0x7e],
    [0x0a, 0x0a],
    [0xa0, 0x24f],
    [0x4e00, 0x9fff],
    [0xe000, 0xfffd],
    [0x1f300, 0x1faff],
    [0x10000, 0x10ffff],
  ];
  let text = '';
  for (let i = 0; i < length; i++) {
    const [low, high] = ranges[Math.floor(next() * ranges.length)]!;
    let cp = low + Math.floor(next() * (high - low + 1));
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
    text += String.fromCodePoint(cp);
  }
  return text;
}

describe('scanInput + decodeBytes', () => {
  it('round-trips random valid UTF-8 (with and without BOM, gzipped) and UTF-16 LE/BE in random chunks', async () => {
    const next = seededRandom(2024);
    for (let round = 0; round < 40; round++) {
      const text = randomText(next, 1 + Math.floor(next() * 40_000));
      const utf8 = Buffer.from(text, 'utf8');
      const plain = scanOf(utf8);
      expect(await scanInput(plain)).toEqual({
        encoding: 'utf-8',
        bom: false,
        reason: `detected: valid UTF-8 over all ${utf8.length} bytes`,
      });
      expect(await readAll(utf8, plain, next)).toBe(text);
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
      expect(await readAll(withBom, scanOf(withBom), next)).toBe(text);
      const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
      expect(await readAll(le, scanOf(le), next)).toBe(text);
      const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
      expect(await readAll(be, scanOf(be), next)).toBe(text);
    }
    const text = randomText(next, 5000);
    const gz = scanOf(Buffer.from(text), 'auto', { gzip: true });
    expect((await scanInput(gz)).encoding).toBe('utf-8');
  });

  it('reads every byte 0x80-0xFF as Windows-1252 defines it and refuses each of the five undefined ones', async () => {
    const defined: number[] = [];
    for (let byte = 0x80; byte <= 0xff; byte++) {
      const bytes = Buffer.from([0x61, 0x3b, byte, 0x0a]);
      const expected = singleByteCodePoint('windows-1252', byte);
      const scan = scanOf(bytes, 'windows-1252');
      if ([0x81, 0x8d, 0x8f, 0x90, 0x9d].includes(byte)) {
        expect(expected).toBe(-1);
        await expect(scanInput(scan)).rejects.toMatchObject({
          code: 'KOPPEL_INVALID_ENCODING',
          line: 1,
          column: 3,
          byteOffset: 2,
          message: expect.stringContaining(
            `in.csv:1:3: a byte Windows-1252 leaves undefined at byte offset 2 (bytes 0x${byte.toString(16).toUpperCase()})`,
          ),
        });
        // auto refuses it too: no candidate reads it
        await expect(scanInput(scanOf(bytes))).rejects.toMatchObject({
          code: 'KOPPEL_ENCODING_UNDECIDED',
          candidates: [],
        });
        continue;
      }
      defined.push(byte);
      expect(await readAll(bytes, scan, () => 0.5)).toBe(`a;${String.fromCodePoint(expected)}\n`);
    }
    expect(defined).toHaveLength(123);
    // The 123 defined bytes agree with iconv-lite's table (an independent one).
    const all = Buffer.from(defined);
    expect(await readAll(all, scanOf(all, 'windows-1252'), () => 0.1)).toBe(
      iconv.decode(all, 'windows-1252'),
    );
    expect(iconv.decode(all, 'windows-1252')).not.toContain('\uFFFD');
  });

  it('auto: a single-byte encoding only when certain, else a refusal naming the candidates', async () => {
    // é (0xE9) reads the same in all three: certain.
    expect(await scanInput(scanOf(Buffer.from('naam\nCaf\xe9\n', 'latin1')))).toEqual({
      encoding: 'windows-1252',
      bom: false,
      reason:
        'detected: not UTF-8 (byte 0xE9 at 2:4, byte offset 8); every byte reads the same in windows-1252, iso-8859-1, iso-8859-15',
    });
    // € as 0x80 exists only in Windows-1252.
    expect((await scanInput(scanOf(Buffer.from('a\n\x80 5\n', 'latin1')))).encoding).toBe('windows-1252');
    // 0xA4 is ¤ in Windows-1252/ISO-8859-1 but € in ISO-8859-15: refused.
    await expect(scanInput(scanOf(Buffer.from('a\nprijs \xa4 5\n', 'latin1')))).rejects.toMatchObject({
      code: 'KOPPEL_ENCODING_UNDECIDED',
      line: 2,
      column: 7,
      byteOffset: 8,
      candidates: ['windows-1252', 'iso-8859-1', 'iso-8859-15'],
      message: expect.stringContaining(
        'reads differently in the candidates (windows-1252 "¤", iso-8859-1 "¤", iso-8859-15 "€")',
      ),
    });
    // declared, the same file reads fine
    expect((await scanInput(scanOf(Buffer.from('a\nprijs \xa4 5\n', 'latin1'), 'iso-8859-15'))).reason).toBe(
      'declared',
    );
  });

  it('ISO-8859-1 refuses C1 controls 0x80-0x9F (they are Windows-1252 text mislabelled)', async () => {
    await expect(scanInput(scanOf(Buffer.from('ok\n\x96\n', 'latin1'), 'iso-8859-1'))).rejects.toMatchObject({
      code: 'KOPPEL_INVALID_ENCODING',
      line: 2,
      column: 1,
      byteOffset: 3,
    });
  });

  it('refuses NUL and other C0 controls with line:col and byte offset, in every encoding', async () => {
    await expect(scanInput(scanOf(Buffer.from('id;naam\n1;Zoë\x00x\n')))).rejects.toMatchObject({
      code: 'KOPPEL_CONTROL_CHARACTER',
      line: 2,
      column: 6,
      byteOffset: 14,
      message: expect.stringContaining('in.csv:2:6: a NUL byte (0x00) at byte offset 14'),
    });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\n\u00e9\u000bz\n', 'utf16le')]);
    await expect(scanInput(scanOf(utf16))).rejects.toMatchObject({
      code: 'KOPPEL_CONTROL_CHARACTER',
      line: 2,
      column: 2,
      byteOffset: 8,
    });
    // tab, CR and LF are fine
    expect((await scanInput(scanOf(Buffer.from('a\tb\r\nc\n')))).encoding).toBe('utf-8');
  });

  it('refuses a lone UTF-16 surrogate and a dangling byte', async () => {
    const lone = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('ab\n', 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('c', 'utf16le'),
    ]);
    await expect(scanInput(scanOf(lone))).rejects.toMatchObject({
      code: 'KOPPEL_INVALID_ENCODING',
      line: 2,
      column: 1,
      byteOffset: 8,
    });
    const odd = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab', 'utf16le'), Buffer.from([0x41])]);
    await expect(scanInput(scanOf(odd))).rejects.toMatchObject({
      code: 'KOPPEL_INVALID_ENCODING',
      byteOffset: 6,
    });
  });

  it('refuses a 0-byte file (and a BOM only) unless empty input is allowed', async () => {
    await expect(scanInput(scanOf(Buffer.alloc(0)))).rejects.toThrow(
      'in.csv: the input is empty (0 bytes); nothing to do, so nothing was sent. Check the export that wrote it, or set `source.csv.allow_empty: true` when an empty input is fine',
    );
    await expect(scanInput(scanOf(Buffer.from([0xef, 0xbb, 0xbf])))).rejects.toMatchObject({
      code: 'KOPPEL_EMPTY_INPUT',
    });
    expect(await scanInput(scanOf(Buffer.alloc(0), 'auto', { allowEmpty: true }))).toEqual({
      encoding: 'utf-8',
      bom: false,
      reason: 'detected: empty file',
    });
  });
});
