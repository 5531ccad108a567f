import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/encoding/decode-bytes.js';
import { sniffEncoding } from '../../src/encoding/sniff-encoding.js';

async function* oneByteAtATime(bytes: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

async function decodeAll(bytes: Buffer, invalidBytes: 'error' | 'replace' = 'error'): Promise<string> {
  const detected = sniffEncoding(bytes, invalidBytes === 'replace' ? 'utf-8' : 'auto', true);
  let text = '';
  for await (const chunk of decodeBytes(oneByteAtATime(bytes), { file: 'f.txt', detected, invalidBytes }))
    text += chunk;
  return text;
}

describe('decodeBytes', () => {
  it('never splits a multi-byte character fed one byte at a time (UTF-8 with BOM, UTF-16 LE)', async () => {
    const text = 'Zoë ß € 😀\n';
    expect(await decodeAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
    expect(await decodeAll(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBe(
      text,
    );
  });

  it('reports a character cut off at the end of the file', async () => {
    const bytes = Buffer.from('ok\nZo\xc3', 'latin1');
    const detected = { encoding: 'utf-8' as const, bom: false, reason: 'declared' as const };
    const read = async () => {
      for await (const _ of decodeBytes(oneByteAtATime(bytes), {
        file: 'f.txt',
        detected,
        invalidBytes: 'error',
      })) {
      }
    };
    await expect(read()).rejects.toThrow(
      'f.txt:2: invalid UTF-8 at byte offset 5 (bytes C3); the job declares `encoding: utf-8`',
    );
    expect(await decodeAll(bytes, 'replace')).toBe('ok\nZo\uFFFD');
  });

  it('detects UTF-16 without BOM from its NUL pattern', () => {
    expect(sniffEncoding(Buffer.from('id;naam\r\n', 'utf16le'), 'auto', true)).toEqual({
      encoding: 'utf-16le',
      bom: false,
      reason: 'utf-16-pattern',
    });
  });
});
