import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/encoding/decode-bytes.js';
import { type ScanOptions, scanInput } from '../../src/encoding/scan-input.js';
import type { EncodingOption } from '../../src/encoding/text-encoding.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function* oneByteAtATime(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

function scanOf(bytes: Buffer, encoding: EncodingOption, invalidBytes: 'error' | 'replace'): ScanOptions {
  const path = join(dir, `f${files++}.txt`);
  writeFileSync(path, bytes);
  return {
    path,
    file: 'f.txt',
    gzip: false,
    encoding,
    invalidBytes,
    allowEmpty: false,
    allowEmptyOption: 'x',
  };
}

async function decodeAll(bytes: Buffer, invalidBytes: 'error' | 'replace' = 'error'): Promise<string> {
  const scan = scanOf(bytes, invalidBytes === 'replace' ? 'utf-8' : 'auto', invalidBytes);
  const detected = await scanInput(scan);
  let text = '';
  for await (const chunk of decodeBytes(oneByteAtATime(bytes), {
    file: 'f.txt',
    detected,
    invalidBytes,
    scan,
  }))
    text += chunk;
  return text;
}

describe('decodeBytes', () => {
  it('never splits a multi-byte character fed one byte at a time (UTF-8 with BOM, UTF-16 LE and BE)', async () => {
    const text = 'Zoë ß € 😀\n';
    expect(await decodeAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    expect(await decodeAll(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(
      text,
    );
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(await decodeAll(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
  });

  it('reports a character cut off at the end of the file with line:col and byte offset', async () => {
    const bytes = Buffer.from('ok\nZo\xc3', 'latin1');
    await expect(scanInput(scanOf(bytes, 'utf-8', 'error'))).rejects.toThrow(
      'f.txt:2:3: invalid UTF-8 at byte offset 5 (bytes 0xC3); the job declares `encoding: utf-8`',
    );
    expect(await decodeAll(bytes, 'replace')).toBe('ok\nZo\uFFFD');
  });

  it('refuses UTF-16 without a BOM under auto, naming the encoding to set', async () => {
    await expect(
      scanInput(scanOf(Buffer.from('id;naam\r\n', 'utf16le'), 'auto', 'error')),
    ).rejects.toMatchObject({
      code: 'KOPPEL_ENCODING_UNDECIDED',
      candidates: ['utf-16le'],
      message: expect.stringContaining('set `encoding: utf-16le`'),
    });
  });
});
