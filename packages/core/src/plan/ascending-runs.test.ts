import { describe, expect, it } from 'vitest';
import { AscendingRuns } from './ascending-runs.js';

describe('AscendingRuns', () => {
  it('finds the line of every key across runs and 64k blocks, and nothing for keys never added', () => {
    const runs = new AscendingRuns();
    const added = new Map<number, number>();
    let key = 10;
    for (let i = 0; i < 200_000; i++) {
      key += i % 50_000 === 0 ? 7 : 1; // a new run now and then
      runs.add(key, 2 + 3 * i);
      added.set(key, 2 + 3 * i);
    }
    expect(runs.size).toBe(200_000);
    for (const [k, line] of added) if (k % 997 === 0 || k > key - 3) expect(runs.get(k)).toBe(line);
    for (const missing of [0, 10, 11, 12, key + 1]) expect(runs.get(missing)).toBeUndefined();
    const gap = [...added.keys()].find((k) => !added.has(k - 1) && k > 20) as number;
    expect(runs.get(gap - 1)).toBeUndefined();
  });
});
