import { describe, expect, it } from 'vitest';
import { autoBatchSizer, fixedBatchSizer } from '../../src/pipeline/batch-sizer.js';
import { batchesOf } from '../../src/pipeline/batches.js';
import type { PipelineDocument } from '../../src/pipeline/document.js';

const docs = (count: number, text = 'x'): PipelineDocument[] =>
  Array.from({ length: count }, (_, i) => ({ key: `k${i}`, element: { Fields: { Ds: text } }, records: [] }));

async function sizes(
  input: PipelineDocument[],
  sizer: ReturnType<typeof fixedBatchSizer>,
): Promise<number[]> {
  const out: number[] = [];
  for await (const batch of batchesOf(
    (async function* () {
      yield* input;
    })(),
    sizer,
  ))
    out.push(batch.length);
  return out;
}

describe('batchesOf', () => {
  it('cuts batches of the sizer size, the last one shorter', async () => {
    expect(await sizes(docs(7), fixedBatchSizer(3))).toEqual([3, 3, 1]);
  });
  it('closes a batch early when the next document would pass the byte cap', async () => {
    // Each element is {"Fields":{"Ds":"xxxxxxxxxx"}}: 30 bytes + 1 separator.
    expect(await sizes(docs(5, 'xxxxxxxxxx'), fixedBatchSizer(10, 70))).toEqual([2, 2, 1]);
  });
  it('rejects a batch size that is not a positive integer', () => {
    expect(() => fixedBatchSizer(0)).toThrow('Expected `run.batch` to be `auto` or an integer >= 1, got `0`');
  });
});

describe('autoBatchSizer', () => {
  const ok = (size: number, latencyMs: number) => ({
    type: 'request' as const,
    size,
    latencyMs,
    ok: true,
  });
  it('doubles while full batches answer under half the target latency, up to the cap', () => {
    const sizer = autoBatchSizer({ start: 4, maxRecords: 20, targetLatencyMs: 1000 });
    for (const expected of [8, 16, 20, 20]) {
      sizer.observe?.(ok(sizer.size(), 100));
      expect(sizer.size()).toBe(expected);
    }
  });
  it('halves when requests get slow and after a bisection', () => {
    const sizer = autoBatchSizer({ start: 16, targetLatencyMs: 1000 });
    sizer.observe?.(ok(16, 5000));
    expect(sizer.size()).toBe(8);
    sizer.observe?.({ type: 'bisect', size: 8, error: 'invalid' });
    expect(sizer.size()).toBe(4);
  });
  it('halves once for slow batches that were cut before the halving', () => {
    const sizer = autoBatchSizer({ start: 64, targetLatencyMs: 1000 });
    for (let i = 0; i < 4; i++) sizer.observe?.(ok(64, 5000));
    expect(sizer.size()).toBe(32);
  });
  it('keeps bodies under 75 MB whatever is asked', () => {
    expect(autoBatchSizer({ maxBytes: 500 * 1024 * 1024 }).maxBytes).toBe(75 * 1024 * 1024);
  });
});
