import { describe, expect, it } from 'vitest';
import { steppingClock } from '../clock.js';
import { SimDatabase } from '../db.js';
import { lookup, maxOf } from './scan-cache.js';

const meta = { connector: 'T', method: 'POST' } as const;

describe('incremental scan cache', () => {
  it('follows appends, seeds, deletes, rollbacks and clear', () => {
    const db = new SimDatabase(steppingClock('2024-01-01T00:00:00'));
    db.seed('entries', [
      { UnitId: 1, EntryNo: 5 },
      { UnitId: 2, EntryNo: 9 },
    ]);
    expect(maxOf(db, 'entries', 'EntryNo', 'UnitId', 1)).toBe(5);
    expect(maxOf(db, 'entries', 'EntryNo')).toBe(9);
    expect(lookup(db, 'entries', 'EntryNo', 9)).toEqual([{ UnitId: 2, EntryNo: 9 }]);

    db.insert('entries', { UnitId: 1, EntryNo: 7 }, meta);
    db.seed('entries', [{ UnitId: 1, EntryNo: 8 }]);
    expect(maxOf(db, 'entries', 'EntryNo', 'UnitId', 1)).toBe(8);
    expect(lookup(db, 'entries', 'EntryNo', 7)).toHaveLength(1);

    db.delete('entries', (row) => row.EntryNo === 8, meta);
    expect(maxOf(db, 'entries', 'EntryNo', 'UnitId', 1)).toBe(7);
    expect(lookup(db, 'entries', 'EntryNo', 8)).toEqual([]);

    expect(() =>
      db.transaction(() => {
        db.insert('entries', { UnitId: 1, EntryNo: 100 }, meta);
        expect(maxOf(db, 'entries', 'EntryNo', 'UnitId', 1)).toBe(100);
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    db.insert('entries', { UnitId: 1, EntryNo: 50 }, meta);
    expect(maxOf(db, 'entries', 'EntryNo', 'UnitId', 1)).toBe(50);
    expect(lookup(db, 'entries', 'EntryNo', 100)).toEqual([]);

    db.clear();
    expect(maxOf(db, 'entries', 'EntryNo')).toBe(Number.NEGATIVE_INFINITY);
    expect(lookup(db, 'entries', 'EntryNo', 50)).toEqual([]);
  });
});
