import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLedger } from './file-ledger.js';

describe('FileLedger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-ledger-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the last entry per key across reopen, and turns inflight into uncertain', async () => {
    const ledger = await FileLedger.open(dir);
    await ledger.write([
      { key: 'a', state: 'inflight', attempts: 1 },
      { key: 'b', state: 'inflight', attempts: 1 },
    ]);
    await ledger.write([{ key: 'a', state: 'done', attempts: 1, result: { EnNo: '70001' } }]);
    await ledger.close();
    const again = await FileLedger.open(dir);
    expect(await again.get(['a', 'b', 'c'])).toEqual([
      { key: 'a', state: 'done', attempts: 1, result: { EnNo: '70001' } },
      { key: 'b', state: 'uncertain', attempts: 1, error: 'the run ended while the request was in flight' },
      undefined,
    ]);
    expect(again.counts()).toEqual({ pending: 0, done: 1, rejected: 0, uncertain: 1 });
    await again.close();
  });

  it('cuts off a torn tail on open and appends after it', async () => {
    const ledger = await FileLedger.open(dir);
    await ledger.write([{ key: 'a', state: 'done', attempts: 1 }]);
    await ledger.close();
    await appendFile(join(dir, 'ledger.log'), '1234abcd {"key":"b","sta');
    const reopened = await FileLedger.open(dir);
    expect(reopened.droppedOnOpen).toBe(1);
    await reopened.write([{ key: 'c', state: 'rejected', attempts: 1, error: 'no' }]);
    await reopened.close();
    const last = await FileLedger.open(dir);
    expect(last.counts()).toEqual({ pending: 0, done: 1, rejected: 1, uncertain: 0 });
    expect(last.droppedOnOpen).toBe(0);
    await last.close();
    expect((await readFile(join(dir, 'ledger.log'), 'utf8')).split('\n').length).toBe(3);
  });

  it('makes every concurrent write durable (group commit)', async () => {
    const ledger = await FileLedger.open(dir);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => ledger.write([{ key: `k${i}`, state: 'done', attempts: 1 }])),
    );
    await ledger.close();
    const again = await FileLedger.open(dir);
    expect(again.counts().done).toBe(200);
    await again.close();
  });

  it('refuses writes after close', async () => {
    const ledger = await FileLedger.open(dir);
    await ledger.close();
    await ledger.close();
    await expect(ledger.write([{ key: 'a', state: 'done', attempts: 1 }])).rejects.toThrow('is closed');
  });

  it('compacts a long log to one line per key on open', async () => {
    const ledger = await FileLedger.open(dir);
    for (let round = 0; round < 4; round++) {
      await ledger.write(
        Array.from({ length: 600 }, (_, i) => ({
          key: `k${i}`,
          state: 'inflight' as const,
          attempts: round + 1,
        })),
      );
    }
    await ledger.write([{ key: 'k0', state: 'done', attempts: 4, result: { Id: '1' } }]);
    await ledger.close();
    const compacted = await FileLedger.open(dir);
    expect((await readFile(join(dir, 'ledger.log'), 'utf8')).trim().split('\n').length).toBe(600);
    expect(await compacted.get(['k0', 'k599'])).toEqual([
      { key: 'k0', state: 'done', attempts: 4, result: { Id: '1' } },
      {
        key: 'k599',
        state: 'uncertain',
        attempts: 4,
        error: 'the run ended while the request was in flight',
      },
    ]);
    await compacted.close();
  });

  it('answers from entries not yet on disk, and keeps inflight of this session as inflight', async () => {
    const ledger = await FileLedger.open(dir);
    const writing = ledger.write([{ key: 'a', state: 'inflight', attempts: 1 }]);
    expect(await ledger.get(['a'])).toEqual([{ key: 'a', state: 'inflight', attempts: 1 }]);
    await writing;
    expect(await ledger.get(['a'])).toEqual([{ key: 'a', state: 'inflight', attempts: 1 }]);
    expect(ledger.counts()).toEqual({ pending: 0, done: 0, rejected: 0, uncertain: 1 });
    await ledger.write([{ key: 'a', state: 'done', attempts: 1, result: { Id: '9' } }]);
    expect(ledger.counts()).toEqual({ pending: 0, done: 1, rejected: 0, uncertain: 0 });
    await ledger.close();
  });

  it('streams the last entry per key from the log, in the order keys were last written', async () => {
    const ledger = await FileLedger.open(dir);
    await ledger.write([
      { key: 'a', state: 'inflight', attempts: 1 },
      { key: 'b', state: 'inflight', attempts: 1 },
      { key: 'c', state: 'rejected', attempts: 0, error: 'bad', records: [] },
    ]);
    await ledger.write([{ key: 'b', state: 'done', attempts: 1, result: { EnNo: '2' } }]);
    await ledger.write([{ key: 'a', state: 'done', attempts: 1, result: { EnNo: '1' } }]);
    const all = [];
    for await (const entry of ledger.entries()) all.push(entry);
    expect(all).toEqual([
      { key: 'c', state: 'rejected', attempts: 0, error: 'bad', records: [] },
      { key: 'b', state: 'done', attempts: 1, result: { EnNo: '2' } },
      { key: 'a', state: 'done', attempts: 1, result: { EnNo: '1' } },
    ]);
    await ledger.close();
  });

  it('streams only the entries in the states asked for, an inflight of an earlier session as uncertain', async () => {
    const ledger = await FileLedger.open(dir);
    await ledger.write([
      { key: 'a', state: 'inflight', attempts: 1 },
      { key: 'b', state: 'inflight', attempts: 1 },
      { key: 'c', state: 'pending', attempts: 0 },
    ]);
    await ledger.write([
      { key: 'a', state: 'done', attempts: 1 },
      { key: 'c', state: 'rejected', attempts: 1 },
    ]);
    await ledger.close();
    const again = await FileLedger.open(dir);
    await again.write([{ key: 'd', state: 'inflight', attempts: 1 }]);
    const keysOf = async (states?: Parameters<FileLedger['entries']>[0]) => {
      const out: string[] = [];
      for await (const entry of again.entries(states)) out.push(`${entry.key}:${entry.state}`);
      return out;
    };
    expect(await keysOf()).toEqual(['b:uncertain', 'a:done', 'c:rejected', 'd:inflight']);
    expect(await keysOf(['done'])).toEqual(['a:done']);
    expect(await keysOf(['uncertain'])).toEqual(['b:uncertain']);
    expect(await keysOf(['inflight', 'rejected'])).toEqual(['c:rejected', 'd:inflight']);
    await again.close();
  });

  it('reads long entries back whole (rejected records)', async () => {
    const ledger = await FileLedger.open(dir);
    const records = [{ fields: { text: 'x'.repeat(5000) }, origin: { line: 2 } }];
    await ledger.write([{ key: 'r', state: 'rejected', attempts: 1, error: 'no', records } as never]);
    await ledger.close();
    const again = await FileLedger.open(dir);
    expect(await again.get(['r'])).toEqual([
      { key: 'r', state: 'rejected', attempts: 1, error: 'no', records },
    ]);
    const read = [];
    for await (const entry of FileLedger.readEntries(dir)) read.push(entry);
    expect(read.map((entry) => entry.records)).toEqual([records]);
    await again.close();
  });

  it('stays exact when keys share a 64-bit hash: get, reopen and compaction scan the log', async () => {
    // Every key hashes alike: the index points at whichever key wrote last.
    const collide = { hash: () => [1, 2] as const, index: { memoryEntries: 1 } };
    const ledger = await FileLedger.open(dir, collide);
    await ledger.write([{ key: 'a', state: 'done', attempts: 1, result: { EnNo: '1' } }]);
    await ledger.write([{ key: 'b', state: 'inflight', attempts: 1 }]);
    await ledger.write([{ key: 'c', state: 'rejected', attempts: 1, error: 'no' }]);
    const expected = [
      { key: 'a', state: 'done', attempts: 1, result: { EnNo: '1' } },
      { key: 'b', state: 'inflight', attempts: 1 },
      { key: 'c', state: 'rejected', attempts: 1, error: 'no' },
      undefined,
    ];
    expect(await ledger.get(['a', 'b', 'c', 'd'])).toEqual(expected);
    // Enough lines of one key for the next open to compact the log.
    for (let i = 0; i < 11; i++)
      await ledger.write(
        Array.from({ length: 100 }, () => ({
          key: 'c',
          state: 'rejected' as const,
          attempts: 1,
          error: 'no',
        })),
      );
    await ledger.close();
    const again = await FileLedger.open(dir, collide);
    expect((await readFile(join(dir, 'ledger.log'), 'utf8')).trim().split('\n').length).toBe(3);
    expect(await again.get(['a', 'b', 'c', 'd'])).toEqual([
      expected[0],
      { key: 'b', state: 'uncertain', attempts: 1, error: 'the run ended while the request was in flight' },
      expected[2],
      undefined,
    ]);
    await again.close();
  });

  it('streams rejected entries in input order, and the entries of a ledger it does not own', async () => {
    const ledger = await FileLedger.open(dir);
    const rejected = (key: string, index: number) => ({
      key,
      state: 'rejected' as const,
      attempts: 1,
      error: `bad ${key}`,
      records: [{ fields: {}, origin: { file: 'in.csv', line: index + 2, index } }],
    });
    await ledger.write([
      rejected('late', 9),
      { key: 'ok', state: 'inflight', attempts: 1 },
      rejected('early', 1),
    ]);
    await ledger.write([rejected('middle', 5), { key: 'ok', state: 'done', attempts: 1 }]);
    await ledger.write([{ key: 'late', state: 'done', attempts: 2 }]);
    const keys = [];
    for await (const entry of ledger.rejected()) keys.push(entry.key);
    expect(keys).toEqual(['early', 'middle']);
    await ledger.write([{ key: 'open', state: 'inflight', attempts: 1 }]);
    const read = [];
    for await (const entry of FileLedger.readEntries(dir)) read.push(`${entry.key}=${entry.state}`);
    expect(read).toEqual(['early=rejected', 'middle=rejected', 'ok=done', 'late=done', 'open=uncertain']);
    await ledger.close();
    const none = [];
    for await (const entry of FileLedger.readEntries(join(dir, 'missing'))) none.push(entry);
    expect(none).toEqual([]);
  });

  it('keeps entries exact when its index spills to disk', async () => {
    const options = { index: { memoryEntries: 16 } };
    const ledger = await FileLedger.open(dir, options);
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    await ledger.write(keys.map((key) => ({ key, state: 'inflight' as const, attempts: 1 })));
    await ledger.write(
      keys.filter((_, i) => i % 3 === 0).map((key) => ({ key, state: 'done' as const, attempts: 1 })),
    );
    expect(ledger.counts()).toEqual({ pending: 0, done: 667, rejected: 0, uncertain: 1333 });
    expect((await ledger.get(['k0', 'k1', 'k1999', 'k2000'])).map((entry) => entry?.state)).toEqual([
      'done',
      'inflight',
      'inflight',
      undefined,
    ]);
    await ledger.close();
    const again = await FileLedger.open(dir, options);
    expect(again.counts()).toEqual({ pending: 0, done: 667, rejected: 0, uncertain: 1333 });
    let done = 0;
    for await (const entry of again.entries()) if (entry.state === 'done') done++;
    expect(done).toBe(667);
    await again.close();
  });
});
