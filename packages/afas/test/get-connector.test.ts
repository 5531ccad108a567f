import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeTake } from '../src/get-connector.js';
import {
  type AfasClient,
  AfasQueryError,
  classify,
  type FilterCondition,
  ProfitError,
  type Row,
  where,
} from '../src/index.js';
import { clientFor, withSim } from './helpers.js';

let sim: Simulator;
let client: AfasClient;
let all: Row[];

beforeAll(async () => {
  sim = await withSim();
  client = clientFor(sim);
  all = (await client.get('Koppel_Bench_Rows', { skip: -1, take: -1, orderBy: 'RowId' })).rows;
});
afterAll(() => sim.close());

const ids = (rows: Row[]) => rows.map((row) => row.RowId);
const requests = (connector: string) =>
  sim.control
    .stats()
    .requests.filter((r) => r.connector === connector && r.method === 'GET')
    .reduce((sum, r) => sum + r.count, 0);

describe('metainfo', () => {
  it('lists connectors and caches per client', async () => {
    sim.control.reset();
    const meta = await client.metainfo();
    expect(meta.getConnectors.map((c) => c.id)).toContain('Koppel_Bench_Rows');
    // The demo App Connector lists every UpdateConnector AFAS documents (169).
    expect(meta.updateConnectors).toHaveLength(169);
    expect(meta.updateConnectors.map((c) => c.id)).toEqual(
      expect.arrayContaining(['FiEntries', 'KnOrganisation', 'KnPerson', 'KnSalesRelationOrg', 'KnSubject']),
    );
    await client.metainfo();
    expect(requests('metainfo')).toBe(1);
  });

  it('reads get and update metainfo and the root name', async () => {
    const get = await client.getMetainfo('Koppel_Bench_Rows');
    expect(get.fields.map((f) => f.id)).toEqual([
      'RowId',
      'Code',
      'Name',
      'Category',
      'Amount',
      'Quantity',
      'Active',
      'BookDate',
      'ModifiedAt',
      'Note',
    ]);
    const update = await client.updateMetainfo('FiEntries');
    expect(update.name).toBe('FiEntryPar');
    expect(await client.rootName('FiEntries')).toBe('FiEntryPar');
    expect(await client.rootName('KnSubject')).toBe('KnSubject');
  });
});

describe('get', () => {
  it('reads everything with skip -1 / take -1', () => {
    expect(all).toHaveLength(1000);
    expect(ids(all)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it.each([
    ['eq', where('Category', 'eq', 'bravo'), (r: Row) => r.Category === 'bravo'],
    [
      'neq (symbol; NULL never matches)',
      where('Category', '!=', 'bravo'),
      (r: Row) => r.Category !== null && r.Category !== 'bravo',
    ],
    [
      'gte and lt (AND)',
      where('Quantity', 'gte', 500).and('Quantity', 'lt', 510),
      (r: Row) => (r.Quantity as number) >= 500 && (r.Quantity as number) < 510,
    ],
    [
      'OR groups',
      where('RowId', 'lte', 3).or('RowId', 'gt', 998),
      (r: Row) => (r.RowId as number) <= 3 || (r.RowId as number) > 998,
    ],
    ['contains', where('Name', 'contains', 'golf delta'), (r: Row) => String(r.Name).includes('golf delta')],
    [
      'startsWith (number 10)',
      where('Code', 10, 'C000001'),
      (r: Row) => String(r.Code).startsWith('C000001'),
    ],
    ['empty', where('Note', 'empty'), (r: Row) => r.Note === null],
    ['notEmpty', where('Note', 'notEmpty'), (r: Row) => r.Note !== null],
    ['boolean', where('Active', 'eq', true), (r: Row) => r.Active === true],
    [
      'date as Date (Amsterdam, no Z)',
      where('BookDate', 'gte', new Date('2024-06-30T22:00:00Z')),
      (r: Row) => String(r.BookDate) >= '2024-07-01T00:00:00Z',
    ],
  ])('filter %s', async (_name, filter, predicate) => {
    const expected = ids(all.filter(predicate));
    expect(expected.length).toBeGreaterThan(0);
    const page = await client.get('Koppel_Bench_Rows', { filter, orderBy: 'RowId', skip: -1, take: -1 });
    expect(ids(page.rows)).toEqual(expected);
  });

  it('sends filterjson for a value with a comma', async () => {
    const page = await client.get('Profit_Debtor', { filter: where('DebtorName', 'eq', 'van der Berg, P.') });
    expect(page.rows.map((r) => r.DebtorId)).toEqual(['10005']);
  });

  it('splits a filter longer than the URL limit and returns the de-duplicated union', async () => {
    sim.control.reset();
    const wanted = Array.from({ length: 300 }, (_, i) => `C${String(3 * i + 1).padStart(7, '0')}`);
    const filter: FilterCondition[][] = wanted.map((code) => [{ field: 'Code', op: 'eq', value: code }]);
    filter.push([{ field: 'RowId', op: 'lte', value: 4 }]); // overlaps rows 1 and 4
    const page = await client.get('Koppel_Bench_Rows', { filter, orderBy: 'RowId', take: 1000 });
    const expected = ids(all.filter((r) => wanted.includes(String(r.Code)) || (r.RowId as number) <= 4));
    expect(ids(page.rows)).toEqual(expected);
    expect(requests('Koppel_Bench_Rows')).toBeGreaterThan(1);
    expect(sim.control.stats().requests.filter((r) => r.status === 404)).toEqual([]);
  });

  it('requires a sort when paging', async () => {
    await expect(client.get('Koppel_Bench_Rows', { skip: 100, take: 100 })).rejects.toThrow(
      'Expected `orderBy` when paging Koppel_Bench_Rows (skip 100): without a sort AFAS may return rows twice or not at all.',
    );
  });

  it('types rows from get metainfo (dates in Amsterdam time)', async () => {
    const page = await client.get('Koppel_Bench_Rows', { filter: where('RowId', 'eq', 1), typed: true });
    const row = page.rows[0]!;
    expect(row.BookDate).toEqual(new Date('2024-09-21T22:00:00.000Z'));
    expect(row.ModifiedAt).toEqual(new Date('2024-12-21T08:12:39.000Z'));
    expect(row.Amount).toBe(-3559.99);
    expect(row.Active).toBe(false);
  });

  it('classifies connector problems', async () => {
    const blocked = await client.get('Profit_Heavy_Report').catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(ProfitError);
    expect(classify(blocked, { method: 'GET' })).toMatchObject({
      action: 'stop',
      reason: 'getconnector-blocked',
    });
    const missing = await client.get('Profit_Not_There').catch((e: unknown) => e);
    expect(classify(missing)).toMatchObject({ action: 'stop', reason: 'connector-not-authorized' });
    const field = await client.get('Koppel_Bench_Rows', { orderBy: 'Nope' }).catch((e: unknown) => e);
    expect((field as ProfitError).externalMessage).toBe("Connector-veld 'Nope' niet gevonden");
    expect(classify(field)).toMatchObject({ action: 'reject', reason: 'validation' });
  });
});

describe('rows and pages', () => {
  it('pages through everything in sort order', async () => {
    const sizes: number[] = [];
    const seen: Row[] = [];
    for await (const page of client.pages('Koppel_Bench_Rows', { orderBy: ['-RowId'], pageSize: 150 })) {
      sizes.push(page.length);
      seen.push(...page);
    }
    expect(sizes).toEqual([150, 150, 150, 150, 150, 150, 100]);
    expect(ids(seen)).toEqual(ids(all).reverse());
  });

  it('iterates rows with a filter', async () => {
    const out: Row[] = [];
    for await (const row of client.rows('Koppel_Bench_Rows', {
      orderBy: 'RowId',
      filter: where('Category', 'eq', 'delta'),
      pageSize: 7,
    })) {
      out.push(row);
    }
    expect(ids(out)).toEqual(ids(all.filter((r) => r.Category === 'delta')));
  });

  it('iterates the union of a split filter', async () => {
    const wanted = new Set(Array.from({ length: 400 }, (_, i) => 2 * i + 1));
    const filter = [...wanted].map((id) => [{ field: 'RowId', op: 'eq' as const, value: id }]);
    const out: Row[] = [];
    for await (const row of client.rows('Koppel_Bench_Rows', { orderBy: 'RowId', filter, pageSize: 50 }))
      out.push(row);
    expect(ids(out)).toEqual([...wanted]);
  });

  it('refuses to page without a sort', async () => {
    const iterate = async () => {
      for await (const _ of client.rows('Koppel_Bench_Rows', { orderBy: [] })) break;
    };
    await expect(iterate()).rejects.toThrow(AfasQueryError);
    await expect(iterate()).rejects.toThrow(
      /Expected `orderBy` to read Koppel_Bench_Rows page by page, got none/,
    );
  });

  it('sizes take so that columns x take <= 150,000', async () => {
    await expect(sizeTake(client, 'Koppel_Bench_Rows', { pageSize: 0 })).rejects.toThrow(
      'Expected `pageSize` to be an integer >= 1, got 0.',
    );
    expect(await sizeTake(client, 'Koppel_Bench_Rows', { pageSize: 1_000_000 })).toBe(15_000);
    expect(await sizeTake(client, 'Koppel_Bench_Rows')).toBe(10_000);
    expect(await sizeTake(client, 'Koppel_Bench_Rows', { pageSize: 250 })).toBe(250);
  });

  it('stops before skip passes maxSkip with advice to slice', async () => {
    const read: Row[] = [];
    const iterate = async () => {
      for await (const row of client.rows('Koppel_Bench_Rows', {
        orderBy: 'RowId',
        pageSize: 100,
        maxSkip: 300,
      }))
        read.push(row);
    };
    await expect(iterate()).rejects.toThrow(
      'Expected to read Koppel_Bench_Rows within skip 300, got further (skip 400); AFAS gets too slow there. Read it with slices() on a sortable key or narrow the filter.',
    );
    expect(read).toHaveLength(400);
  });
});

describe('slices', () => {
  it.each([
    ['int key', 'RowId', 4],
    ['string key', 'Code', 5],
    ['one slice', 'RowId', 1],
  ])('%s: every row once, in key order', async (_name, key, slices) => {
    sim.control.reset();
    const out: Row[] = [];
    for await (const row of client.slices('Koppel_Bench_Rows', { key, slices, pageSize: 60 })) out.push(row);
    expect(ids(out)).toEqual(ids(all));
    expect(sim.control.stats().inFlight['12345']?.max).toBeLessThanOrEqual(8);
  });

  it('combines the ranges with an OR filter', async () => {
    const filter = where('Category', 'eq', 'bravo').or('Active', 'eq', true);
    const out: Row[] = [];
    for await (const row of client.slices('Koppel_Bench_Rows', {
      key: 'Code',
      slices: 6,
      filter,
      pageSize: 40,
    }))
      out.push(row);
    expect(ids(out)).toEqual(ids(all.filter((r) => r.Category === 'bravo' || r.Active === true)));
  });

  it('yields nothing for an empty result', async () => {
    const out: Row[] = [];
    for await (const row of client.slices('Koppel_Bench_Rows', {
      key: 'RowId',
      filter: where('RowId', 'lt', 0),
    }))
      out.push(row);
    expect(out).toEqual([]);
  });
});

describe('skip limit', () => {
  it('refuses an explicit skip past 100,000', async () => {
    await expect(
      client.get('Koppel_Bench_Rows', { orderBy: 'RowId', skip: 100_001, take: 10 }),
    ).rejects.toThrow(
      'Expected skip <= 100000 for Koppel_Bench_Rows, got 100001; AFAS gets too slow there. Read it with slices() on a sortable key or narrow the filter.',
    );
  });
});

describe('early exit', () => {
  it('stops every slice reader when the consumer breaks', async () => {
    const out: Row[] = [];
    for await (const row of client.slices('Koppel_Bench_Rows', { key: 'RowId', slices: 4, pageSize: 20 })) {
      out.push(row);
      if (out.length === 10) break;
    }
    expect(ids(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // the readers wind down: a later read still gets a permit and the right answer
    const page = await client.get<{ RowId: number }>('Koppel_Bench_Rows', { orderBy: 'RowId', take: 1 });
    expect(page.rows[0]?.RowId).toBe(1);
  });
});

describe('parallel slices', () => {
  it('reads the slices concurrently, within the in-flight cap', async () => {
    const own = await withSim();
    try {
      own.control.setFaults({ rules: [{ kind: 'latency', connector: 'Koppel_Bench_Rows', ms: 30 }] });
      const reader = clientFor(own);
      const out: Row[] = [];
      for await (const row of reader.slices('Koppel_Bench_Rows', { key: 'RowId', slices: 4, pageSize: 100 }))
        out.push(row);
      expect(out).toHaveLength(1000);
      expect(own.control.stats().inFlight['12345']?.max).toBe(4);
      own.control.reset();
      const capped = clientFor(own, { maxInFlight: 3 });
      let n = 0;
      for await (const _ of capped.slices('Koppel_Bench_Rows', { key: 'RowId', slices: 8, pageSize: 100 }))
        n++;
      expect(n).toBe(1000);
      expect(own.control.stats().inFlight['12345']?.max).toBe(3);
    } finally {
      await own.close();
    }
  });
});
