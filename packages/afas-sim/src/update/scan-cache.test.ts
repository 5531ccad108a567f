import { describe, expect, it } from 'vitest';
import { steppingClock } from '../clock.js';
import { SimDatabase } from '../db.js';
import { forgetRows, lookup, maxOf } from './scan-cache.js';

const meta = { connector: 'T', method: 'POST' } as const;

describe('incremental scan cache', () => {
  it('follows appends, seeds, deletes, rollbacks and clear', () => {
    const db = new SimDatabase(steppingClock('2024-01-01T00:00:00'));
    db.seed('entries', [
      { UnitId: 1, EntryNo: 5 },
      { UnitId: 2, EntryNo: 9 },
    ]);
    expect(maxOf(db, 'entries', { column: 'EntryNo', group: { column: 'UnitId', value: 1 } })).toBe(5);
    expect(maxOf(db, 'entries', { column: 'EntryNo' })).toBe(9);
    expect(lookup(db, 'entries', { column: 'EntryNo', value: 9 })).toEqual([{ UnitId: 2, EntryNo: 9 }]);

    db.insert('entries', { UnitId: 1, EntryNo: 7 }, meta);
    db.seed('entries', [{ UnitId: 1, EntryNo: 8 }]);
    expect(maxOf(db, 'entries', { column: 'EntryNo', group: { column: 'UnitId', value: 1 } })).toBe(8);
    expect(lookup(db, 'entries', { column: 'EntryNo', value: 7 })).toHaveLength(1);

    db.delete('entries', (row) => row.EntryNo === 8, meta);
    expect(maxOf(db, 'entries', { column: 'EntryNo', group: { column: 'UnitId', value: 1 } })).toBe(7);
    expect(lookup(db, 'entries', { column: 'EntryNo', value: 8 })).toEqual([]);

    expect(() =>
      db.transaction(() => {
        db.insert('entries', { UnitId: 1, EntryNo: 100 }, meta);
        expect(maxOf(db, 'entries', { column: 'EntryNo', group: { column: 'UnitId', value: 1 } })).toBe(100);
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    db.insert('entries', { UnitId: 1, EntryNo: 50 }, meta);
    expect(maxOf(db, 'entries', { column: 'EntryNo', group: { column: 'UnitId', value: 1 } })).toBe(50);
    expect(lookup(db, 'entries', { column: 'EntryNo', value: 100 })).toEqual([]);

    db.clear();
    expect(maxOf(db, 'entries', { column: 'EntryNo' })).toBe(Number.NEGATIVE_INFINITY);
    expect(lookup(db, 'entries', { column: 'EntryNo', value: 50 })).toEqual([]);
  });

  it('carries indexes over a delete told to forgetRows; maxima keep their high-water mark', () => {
    const db = new SimDatabase(steppingClock('2024-01-01T00:00:00'));
    db.seed('addresses', [
      { BcId: 1, AddressId: 1 },
      { BcId: 2, AddressId: 2 },
    ]);
    expect(lookup(db, 'addresses', { column: 'BcId', value: 2 })).toHaveLength(1);
    expect(maxOf(db, 'addresses', { column: 'AddressId' })).toBe(2);
    db.insert('addresses', { BcId: 3, AddressId: 3 }, meta); // seen by neither fold yet
    const [gone] = lookup(db, 'addresses', { column: 'BcId', value: 2 });
    const removed = db.deleteRows('addresses', gone ? [gone] : [], meta);
    forgetRows(db, 'addresses', removed);
    expect(db.rows('addresses')).toHaveLength(2);
    expect(lookup(db, 'addresses', { column: 'BcId', value: 2 })).toEqual([]);
    expect(lookup(db, 'addresses', { column: 'BcId', value: 3 })).toEqual([{ BcId: 3, AddressId: 3 }]);
    expect(maxOf(db, 'addresses', { column: 'AddressId' })).toBe(3);
    const three = lookup(db, 'addresses', { column: 'BcId', value: 3 });
    forgetRows(db, 'addresses', db.deleteRows('addresses', three, meta));
    expect(lookup(db, 'addresses', { column: 'BcId', value: 3 })).toEqual([]);
    expect(maxOf(db, 'addresses', { column: 'AddressId' })).toBe(3); // numbers are never reused
    expect(() =>
      db.transaction(() => {
        const rows = lookup(db, 'addresses', { column: 'BcId', value: 1 });
        forgetRows(db, 'addresses', db.deleteRows('addresses', rows, meta));
        expect(lookup(db, 'addresses', { column: 'BcId', value: 1 })).toEqual([]);
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    expect(lookup(db, 'addresses', { column: 'BcId', value: 1 })).toEqual([{ BcId: 1, AddressId: 1 }]);
  });
});
