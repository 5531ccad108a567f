import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonNumber } from '@koppel/core';
import { describe, expect, it } from 'vitest';
import { decodeLog, encodeLine, readLineAt, readLog } from './ledger-log.js';

describe('ledger log lines', () => {
  it('round-trips values', () => {
    const data = Buffer.from(encodeLine({ key: 'a', n: 1 }) + encodeLine({ key: 'b', text: 'é\n' }));
    expect(decodeLog(data)).toEqual({
      values: [
        { key: 'a', n: 1 },
        { key: 'b', text: 'é\n' },
      ],
      validBytes: data.length,
      dropped: 0,
    });
  });

  it('ignores a torn last line and reports where the valid prefix ends', () => {
    const good = encodeLine({ key: 'a' });
    const torn = encodeLine({ key: 'b', state: 'done' }).slice(0, 12);
    const log = decodeLog(Buffer.from(good + torn));
    expect(log.values).toEqual([{ key: 'a' }]);
    expect(log.validBytes).toBe(Buffer.byteLength(good));
    expect(log.dropped).toBe(1);
  });

  it('stops at a line whose checksum does not match', () => {
    const bad = encodeLine({ key: 'b' }).replace('"b"', '"c"');
    const log = decodeLog(Buffer.from(encodeLine({ key: 'a' }) + bad + encodeLine({ key: 'd' })));
    expect(log.values).toEqual([{ key: 'a' }]);
    expect(log.dropped).toBe(2);
  });

  it('keeps the exact text of JSON numbers of a source record', () => {
    const data = Buffer.from(
      encodeLine({ key: 'a', records: [{ fields: { amount: new JsonNumber('12.10'), n: 3 } }] }),
    );
    const [entry] = decodeLog<{ records: { fields: Record<string, unknown> }[] }>(data).values;
    const amount = entry?.records[0]?.fields.amount;
    expect(amount).toBeInstanceOf(JsonNumber);
    expect(String(amount)).toBe('12.10');
    expect(entry?.records[0]?.fields.n).toBe(3);
  });

  it('streams a file in small chunks, with offsets, up to a torn tail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-log-'));
    const lines = [encodeLine({ key: 'a', text: 'é'.repeat(40) }), encodeLine({ key: 'b' })];
    await writeFile(join(dir, 'log'), `${lines.join('')}${encodeLine({ key: 'c' }).slice(0, 15)}`);
    const file = await open(join(dir, 'log'), 'r');
    const end = { validBytes: -1, dropped: -1 };
    const read = [];
    for await (const line of readLog<{ key: string }>(file, end, 16)) read.push(line);
    expect(read).toEqual([
      { value: { key: 'a', text: 'é'.repeat(40) }, offset: 0 },
      { value: { key: 'b' }, offset: Buffer.byteLength(lines[0] ?? '') },
    ]);
    expect(end).toEqual({ validBytes: Buffer.byteLength(lines.join('')), dropped: 1 });
    expect(await readLineAt(file, read[1]?.offset ?? -1)).toEqual({ key: 'b' });
    await file.close();
    await rm(dir, { recursive: true, force: true });
  });
});
