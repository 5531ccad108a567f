import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Executor, type Ledger, type LedgerEntry, runPipeline } from '@koppel/core';
import { createInProcessExecutor, FileLedger } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bullmqFactory } from '../packages/runner/test/bullmq/conformance-factory.js';
import { batchesOfSize, itemsOf, makeDocuments } from './helpers/documents.js';
import { ScriptedSink, scriptedClassify } from './helpers/scripted-sink.js';

/**
 * The Executor contract, run against every executor. Adding an executor (BullMQ) means adding
 * one factory here; every test below must pass unchanged.
 */
interface ExecutorFactory {
  name: string;
  create(options: { concurrency: number }): Executor | Promise<Executor>;
  ledger(dir: string): Promise<Ledger & { close(): Promise<void> }>;
}

const factories: ExecutorFactory[] = [
  {
    name: 'in-process',
    create: ({ concurrency }) => createInProcessExecutor({ concurrency }),
    ledger: (dir) => FileLedger.open(dir),
  },
  bullmqFactory,
];

const retry = { baseDelayMs: 1, maxDelayMs: 5 };

describe.each(factories)('Executor conformance: $name', (factory) => {
  let dir: string;
  let executor: Executor;
  let ledger: Ledger & { close(): Promise<void> };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-conf-'));
    ledger = await factory.ledger(dir);
  });
  afterEach(async () => {
    await executor?.close?.();
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function states(keys: string[]): Promise<(string | undefined)[]> {
    return (await ledger.get(keys)).map((entry) => entry?.state);
  }

  it('handles every batch exactly once', async () => {
    executor = await factory.create({ concurrency: 4 });
    const seen: string[] = [];
    const docs = makeDocuments(50);
    await executor.run(batchesOfSize(docs, 3), async (batch) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.push(...batch.map((d) => d.key));
    });
    expect(seen.sort()).toEqual(docs.map((d) => d.key).sort());
  });

  it('never has more requests in flight than the cap', async () => {
    executor = await factory.create({ concurrency: 3 });
    const sink = new ScriptedSink({ latencyMs: 25 });
    const outcome = await runPipeline({
      items: itemsOf(makeDocuments(60)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
    });
    expect(outcome).toEqual({ held: [] });
    expect(sink.highWater).toBe(3);
    expect([...sink.stored.values()].every((n) => n === 1)).toBe(true);
    expect(sink.stored.size).toBe(60);
  });

  it('holds every request of the environment while paused', async () => {
    executor = await factory.create({ concurrency: 4 });
    const stop = new AbortController();
    const sent: string[] = [];
    const run = executor.run(
      batchesOfSize(makeDocuments(20), 1),
      async (batch, context) => {
        if (batch[0]?.key === 'r0') {
          context.pause(60_000);
          setTimeout(() => stop.abort(), 50);
          return;
        }
        await context.request(async () => sent.push(batch[0]?.key ?? '')).catch(() => {});
      },
      { signal: stop.signal },
    );
    await run;
    // r1..r3 may have been admitted before r0 paused the gate; nothing after the pause is sent.
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(stop.signal.aborted).toBe(true);
  });

  it('stops taking batches on abort and lets started ones finish', async () => {
    executor = await factory.create({ concurrency: 2 });
    const stop = new AbortController();
    const finished: string[] = [];
    let started = 0;
    await executor.run(
      batchesOfSize(makeDocuments(100), 1),
      async (batch) => {
        started++;
        if (started === 3) stop.abort();
        await new Promise((r) => setTimeout(r, 5));
        finished.push(batch[0]?.key ?? '');
      },
      { signal: stop.signal },
    );
    expect(finished.length).toBe(started);
    expect(started).toBeLessThan(10);
  });

  it('never cuts loose a request that already started when the run is aborted', async () => {
    executor = await factory.create({ concurrency: 2 });
    const stop = new AbortController();
    const outcomes: string[] = [];
    await executor.run(
      batchesOfSize(makeDocuments(1), 1),
      async (_batch, context) => {
        const answer = await context.request(async () => {
          stop.abort();
          await new Promise((r) => setTimeout(r, 20));
          return 'answered';
        });
        outcomes.push(answer);
      },
      { signal: stop.signal },
    );
    expect(outcomes).toEqual(['answered']);
  });

  it('rejects with the first handler error and takes no more batches', async () => {
    executor = await factory.create({ concurrency: 2 });
    let handled = 0;
    const run = executor.run(batchesOfSize(makeDocuments(100), 1), async (batch) => {
      handled++;
      if (batch[0]?.key === 'r2') throw new Error('fatal: token rejected');
    });
    await expect(run).rejects.toThrow('fatal: token rejected');
    expect(handled).toBeLessThan(10);
  });

  it('bisects a rejected batch so good records land and only bad ones are rejected', async () => {
    executor = await factory.create({ concurrency: 4 });
    const sink = new ScriptedSink({ bad: ['r3', 'r17', 'r18'] });
    await runPipeline({
      items: itemsOf(makeDocuments(40)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
      batch: 8,
    });
    expect([...sink.stored.keys()].sort()).toEqual(
      makeDocuments(40)
        .map((d) => d.key)
        .filter((k) => !['r3', 'r17', 'r18'].includes(k))
        .sort(),
    );
    const [r3] = await ledger.get(['r3']);
    expect(r3).toMatchObject({ state: 'rejected', error: 'record r3 is invalid', profitLogReference: 'ABC' });
    expect(r3?.records?.[0]?.fields).toEqual({ nr: '3' });
    expect(await states(['r2', 'r17', 'r18', 'r19'])).toEqual(['done', 'rejected', 'rejected', 'done']);
  });

  it('retries lock errors with backoff within the budget, then rejects', async () => {
    executor = await factory.create({ concurrency: 2 });
    const lock = { action: 'retry' as const, message: 'locked by another user' };
    const sink = new ScriptedSink({ failures: { r1: [lock, lock], r2: Array(10).fill(lock) } });
    await runPipeline({
      items: itemsOf(makeDocuments(4)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
      retry: { ...retry, maxAttempts: 4 },
    });
    const [r1, r2] = await ledger.get(['r1', 'r2']);
    expect(r1).toMatchObject({ state: 'done', attempts: 3, result: { Id: 'id-r1' } });
    expect(r2).toMatchObject({
      state: 'rejected',
      attempts: 4,
      error: 'gave up after 4 attempts: locked by another user',
    });
    expect(sink.stored.get('r1')).toBe(1);
    expect(sink.stored.has('r2')).toBe(false);
  });

  it('waits out a 503 without consuming attempts', async () => {
    executor = await factory.create({ concurrency: 2 });
    const busy = { action: 'wait' as const, delayMs: 5, message: '503 maintenance' };
    const sink = new ScriptedSink({ failures: { r0: Array(12).fill(busy) } });
    await runPipeline({
      items: itemsOf(makeDocuments(3)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
      retry: { ...retry, maxAttempts: 2 },
    });
    const [r0] = await ledger.get(['r0']);
    expect(r0).toMatchObject({ state: 'done', attempts: 13 });
  });

  it('marks uncertain writes and never resends them without a lookup', async () => {
    executor = await factory.create({ concurrency: 2 });
    const sink = new ScriptedSink({
      failures: { r1: [{ action: 'uncertain', message: 'socket hang up after send' }] },
    });
    const first = await runPipeline({
      items: itemsOf(makeDocuments(3)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
    });
    expect(first.held).toEqual(['r1']);
    expect(await states(['r0', 'r1', 'r2'])).toEqual(['done', 'uncertain', 'done']);
    const again = await runPipeline({
      items: itemsOf(makeDocuments(3)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
    });
    expect(again.held).toEqual(['r1']);
    expect(sink.stored.get('r1')).toBe(1);
    expect(sink.requests.length).toBe(3);
  });

  it('reconciles uncertain records through the verifier: found -> done, missing -> resent', async () => {
    executor = await factory.create({ concurrency: 2 });
    const sink = new ScriptedSink();
    const entries: LedgerEntry[] = [
      { key: 'r0', state: 'inflight', attempts: 1 },
      { key: 'r1', state: 'uncertain', attempts: 1 },
    ];
    await ledger.write(entries);
    sink.stored.set('r0', 1);
    const verifier = {
      find: async (doc: { key: string }) =>
        sink.stored.has(doc.key) ? { Id: `found-${doc.key}` } : undefined,
    };
    await runPipeline({
      items: itemsOf(makeDocuments(2)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
      verifier,
    });
    const [r0, r1] = await ledger.get(['r0', 'r1']);
    expect(r0).toMatchObject({ state: 'done', result: { Id: 'found-r0' } });
    expect(r1).toMatchObject({ state: 'done', result: { Id: 'id-r1' }, attempts: 2 });
    expect(sink.stored.get('r0')).toBe(1);
    expect(sink.stored.get('r1')).toBe(1);
  });

  it('stops the run on a fatal error, leaving the records pending', async () => {
    executor = await factory.create({ concurrency: 1 });
    const sink = new ScriptedSink({
      failures: { r2: [{ action: 'stop', message: 'token rejected (401): renew the token' }] },
    });
    const outcome = await runPipeline({
      items: itemsOf(makeDocuments(30)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
    });
    expect(outcome.stopped).toBeInstanceOf(Error);
    expect(String((outcome.stopped as Error).message)).toBe('token rejected (401): renew the token');
    expect(await states(['r0', 'r1', 'r2'])).toEqual(['done', 'done', 'pending']);
    expect(sink.stored.size).toBeLessThan(30);
  });

  it('never sends a done record again on a resume', async () => {
    executor = await factory.create({ concurrency: 3 });
    const sink = new ScriptedSink();
    await runPipeline({
      items: itemsOf(makeDocuments(20)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
      batch: 'auto',
    });
    await runPipeline({
      items: itemsOf(makeDocuments(25)),
      ledger,
      sink,
      executor,
      classify: scriptedClassify,
      batch: 'auto',
    });
    expect(sink.stored.size).toBe(25);
    expect([...sink.stored.values()].every((n) => n === 1)).toBe(true);
  });
});
