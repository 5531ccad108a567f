import { describe, expect, it } from 'vitest';
import type { Batch, MappedItem, PipelineDocument } from '../../src/pipeline/document.js';
import type { Executor } from '../../src/pipeline/executor.js';
import type { Ledger, LedgerEntry } from '../../src/pipeline/ledger.js';
import { runPipeline } from '../../src/pipeline/run-pipeline.js';
import type { Sink } from '../../src/pipeline/sink.js';
import { uniqueKeys } from '../../src/plan/unique-keys.js';

/** The smallest executor: one batch at a time, no cap, no pause. */
const serialExecutor: Executor = {
  async run(batches, handler, options = {}) {
    const signal = options.signal ?? new AbortController().signal;
    for await (const batch of batches) {
      if (signal.aborted) break;
      await handler(batch, { signal, request: (send) => send(), pause: () => {} });
    }
  },
};

function memoryLedger(initial: LedgerEntry[] = []): Ledger & { map: Map<string, LedgerEntry> } {
  const map = new Map(initial.map((entry) => [entry.key, entry]));
  return {
    map,
    get: async (keys) => keys.map((key) => map.get(key)),
    write: async (entries) => {
      for (const entry of entries) map.set(entry.key, entry);
    },
  };
}

const doc = (key: string, line: number): PipelineDocument => ({
  key,
  element: { Fields: { Nr: key } },
  records: [{ fields: { nr: key }, origin: { file: 'in.csv', line, index: line - 2 } }],
});

async function* items(list: MappedItem[]): AsyncGenerator<MappedItem> {
  yield* list;
}

function recordingSink(): Sink & { sent: string[][] } {
  const sent: string[][] = [];
  return {
    sent,
    send: async (batch: Batch) => {
      sent.push(batch.map((d) => d.key));
      return batch.map((d) => ({ Id: d.key }));
    },
  };
}

const classify = () => ({ action: 'stop' as const, message: 'unexpected' });

describe('runPipeline', () => {
  it('rejects a duplicate key under its own ledger entry and sends the first one once', async () => {
    const ledger = memoryLedger();
    const sink = recordingSink();
    await runPipeline({
      items: uniqueKeys(
        items([{ document: doc('a', 2) }, { document: doc('b', 3) }, { document: doc('a', 4) }]),
      ),
      ledger,
      sink,
      executor: serialExecutor,
      classify,
    });
    expect(sink.sent).toEqual([['a'], ['b']]);
    expect(ledger.map.get('a')?.state).toBe('done');
    expect(ledger.map.get('a (line 4)')).toMatchObject({
      state: 'rejected',
      error: 'duplicate key `a`: first seen at line 2; keys must be unique in an input',
    });
  });

  it('names both lines of a duplicate key when the seen keys have moved to disk (beyond 64k keys)', async () => {
    const ledger = memoryLedger();
    const list: MappedItem[] = Array.from({ length: 70_000 }, (_, i) => ({ document: doc(`K${i}`, i + 2) }));
    list.push({ document: doc('K3', 70_002) }, { document: doc('K69999', 70_003) });
    const sink = { send: async (batch: Batch) => batch.map(() => ({})) };
    await runPipeline({
      items: uniqueKeys(items(list)),
      ledger,
      sink,
      executor: serialExecutor,
      classify,
      batch: 1000,
    });
    expect(ledger.map.get('K3')?.state).toBe('done');
    expect(ledger.map.get('K3 (line 70002)')?.error).toBe(
      'duplicate key `K3`: first seen at line 5; keys must be unique in an input',
    );
    expect(ledger.map.get('K69999 (line 70003)')?.error).toBe(
      'duplicate key `K69999`: first seen at line 70001; keys must be unique in an input',
    );
    expect([...ledger.map.values()].filter((entry) => entry.state === 'done')).toHaveLength(70_000);
  });

  it('keeps at most retainUncertain documents for the lookups at the end; the rest stay uncertain, held', async () => {
    const ledger = memoryLedger();
    const looked: string[] = [];
    const outcome = await runPipeline({
      items: items(['a', 'b', 'c', 'd', 'e'].map((key, i) => ({ document: doc(key, i + 2) }))),
      ledger,
      sink: { send: () => Promise.reject(new Error('socket hang up')) },
      executor: serialExecutor,
      classify: () => ({ action: 'uncertain' as const }),
      verifier: {
        find: async (document) => {
          looked.push(document.key);
          return { Id: document.key };
        },
      },
      verifyDelayMs: 0,
      retainUncertain: 2,
    });
    expect(looked).toEqual(['a', 'b']);
    expect(outcome.held).toEqual(['c', 'd', 'e']);
    expect([...ledger.map.values()].map((entry) => `${entry.key}=${entry.state}`)).toEqual([
      'a=done',
      'b=done',
      'c=uncertain',
      'd=uncertain',
      'e=uncertain',
    ]);
  });

  it('never lets a mapping reject overwrite a record that is done or uncertain', async () => {
    const ledger = memoryLedger([
      { key: 'a', state: 'done', attempts: 1, result: { Id: 'a' } },
      { key: 'b', state: 'uncertain', attempts: 1 },
    ]);
    const sink = recordingSink();
    const reject = (key: string, line: number): MappedItem => ({
      reject: { key, records: doc(key, line).records, message: `record ${key}: bad` },
    });
    const outcome = await runPipeline({
      items: items([reject('a', 2), reject('b', 3), reject('c', 4)]),
      ledger,
      sink,
      executor: serialExecutor,
      classify,
    });
    expect(outcome).toEqual({ held: [] });
    expect([...ledger.map.values()].map((e) => [e.key, e.state])).toEqual([
      ['a', 'done'],
      ['b', 'uncertain'],
      ['c', 'rejected'],
    ]);
    expect(sink.sent).toEqual([]);
  });

  it('skips what is settled and sends the rest on a resume', async () => {
    const ledger = memoryLedger([
      { key: 'a', state: 'done', attempts: 1 },
      { key: 'b', state: 'rejected', attempts: 1, error: 'no' },
      { key: 'c', state: 'pending', attempts: 2 },
    ]);
    const sink = recordingSink();
    await runPipeline({
      items: items(['a', 'b', 'c', 'd'].map((k, i) => ({ document: doc(k, i + 2) }))),
      ledger,
      sink,
      executor: serialExecutor,
      classify,
      batch: 2,
    });
    expect(sink.sent).toEqual([['c', 'd']]);
    expect(ledger.map.get('c')).toMatchObject({ state: 'done', attempts: 3, result: { Id: 'c' } });
  });
});
