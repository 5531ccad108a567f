import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../record.js';
import { groupRows } from './group-rows.js';

/** Open file descriptors of this process (Linux). */
const openFiles = (): number => readdirSync('/proc/self/fd').length;

/** Records whose group keys are not numeric, so the closed keys go to disk past 64k of them. */
function* records(count: number): Generator<SourceRecord> {
  for (let i = 0; i < count; i++) {
    yield { fields: { key: `K-${i}` }, origin: { file: 'in.csv', line: i + 2, index: i } };
  }
}

describe('groupRows', () => {
  it.runIf(process.platform === 'linux')(
    'releases the closed keys kept on disk when the input ends, and when the reader stops early',
    async () => {
      const before = openFiles();
      let groups = 0;
      for await (const _group of groupRows(records(70_000), ['key'])) groups++;
      expect(groups).toBe(70_000);
      expect(openFiles()).toBe(before);

      for await (const group of groupRows(records(70_000), ['key'])) {
        if (group.records[0]?.origin.index === 69_000) break;
      }
      expect(openFiles()).toBe(before);
    },
  );

  it('names the first line of a key that reappears after 64k other keys', async () => {
    const input = [
      ...records(70_000),
      { fields: { key: 'K-5' }, origin: { file: 'in.csv', line: 70_002, index: 70_000 } },
    ];
    const last = await (async () => {
      let found: unknown;
      for await (const group of groupRows(input, ['key'])) if (group.reappeared) found = group.reappeared;
      return found;
    })();
    expect(last).toEqual({ firstLine: 7, file: 'in.csv' });
  });
});
