import type { MappedItem, PipelineDocument, SourceRecord } from '@koppel/core';
import { describe, expect, it } from 'vitest';
import { RecentRate, RunStats } from './run-stats.js';

const records = (n: number): SourceRecord[] =>
  Array.from({ length: n }, (_, i) => ({ fields: {}, origin: { line: i + 1 } }) as unknown as SourceRecord);
const doc = (key: string, lines: number): PipelineDocument => ({ key, element: {}, records: records(lines) });

describe('RunStats progress', () => {
  it('counts source records once per key: uncertain then settled, mapping rejects, skips', async () => {
    const stats = new RunStats();
    const items: MappedItem[] = [{ reject: { key: 'R', records: records(3), message: 'unbalanced' } }];
    for await (const _ of stats.countRead(
      (async function* () {
        yield* items;
      })(),
    )) {
      // read: the reject's three lines are remembered for its settled event (which has no documents)
    }
    stats.listener({ type: 'settled', state: 'rejected', keys: ['R'], error: 'unbalanced' });
    const a = doc('A', 2);
    stats.listener({ type: 'settled', state: 'uncertain', keys: ['A'], documents: [a], sent: true });
    expect(stats.progress()).toMatchObject({ done: 5, rejected: 3, uncertain: 2, unit: 'source records' });
    // A lookup finds A: done now, not counted again.
    stats.listener({ type: 'settled', state: 'done', keys: ['A'], documents: [a], sent: true });
    stats.listener({ type: 'skipped', state: 'done', keys: ['B'], documents: [doc('B', 4)] });
    expect(stats.progress({ total: 20 })).toMatchObject({ done: 9, total: 20, rejected: 3, uncertain: 0 });
  });

  it('tells a 503 pause and why records are retried', () => {
    const stats = new RunStats();
    stats.listener({ type: 'wait', keys: ['A'], delayMs: 60_000, error: '503' });
    stats.listener({
      type: 'retry',
      keys: ['B'],
      attempt: 1,
      delayMs: 10,
      error: 'locked by another user\nref 123',
    });
    expect(stats.progress()).toMatchObject({
      pauses: 1,
      retries: 1,
      retrying: 1,
      retryReason: 'locked by another user',
      pausedMs: expect.any(Number),
    });
  });
});

describe('RecentRate', () => {
  it('is the rate of the window, not of the whole run: a pause brings it down', () => {
    const start = 1_000_000;
    const rate = new RecentRate({ windowMs: 10_000, startedAt: start });
    for (let s = 0; s < 10; s++) rate.add(100, start + s * 1000);
    expect(rate.rate(start + 10_000)).toBe(100);
    // Nothing for 5 s (a 503 pause): half the window is empty.
    expect(rate.rate(start + 15_000)).toBe(50);
    // Early on: over the time since the start (at least 1 s).
    const early = new RecentRate({ windowMs: 10_000, startedAt: start });
    early.add(40, start + 500);
    expect(early.rate(start + 2000)).toBe(20);
  });
});
