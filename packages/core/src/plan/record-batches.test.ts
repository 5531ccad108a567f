import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../record.js';
import { recordBatches } from './record-batches.js';

const record = (index: number): SourceRecord => ({
  fields: { n: String(index) },
  origin: { file: 'in.csv', line: index + 2, index },
});

async function collect(batches: AsyncIterable<Iterable<SourceRecord>> | Iterable<Iterable<SourceRecord>>) {
  const out: number[][] = [];
  for await (const batch of batches) out.push([...batch].map((r) => r.origin.index));
  return out;
}

describe('recordBatches', () => {
  it("passes a source's own batches through", async () => {
    const source = {
      async *batches() {
        yield [record(0), record(1)];
        yield [record(2)];
      },
      async *[Symbol.asyncIterator]() {
        yield record(9);
      },
    };
    expect(await collect(recordBatches(source))).toEqual([[0, 1], [2]]);
  });

  it('reads a sync iterable as one batch and an async one a record at a time', async () => {
    expect(await collect(recordBatches([record(0), record(1)]))).toEqual([[0, 1]]);
    const stream = (async function* () {
      yield record(0);
      yield record(1);
    })();
    expect(await collect(recordBatches(stream))).toEqual([[0], [1]]);
  });
});
