import { createAfasClient, type Row, readGetConnector } from '@koppel/afas';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import { parseExtractJob } from '@koppel/core';
import { jobFilter, readOptions } from '@koppel/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * GetConnector reads as an extract job writes them (YAML filter -> wire -> simulator over HTTP):
 * every operator, OR groups, filters past the URL limit, key paging, and parallel key ranges
 * that stay exact while rows are inserted during the read.
 */

/** Organisations with even BcIds 2..2*count, so rows can be inserted between them during a read. */
function organisations(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    BcId: 2 * (i + 1),
    BcCo: `ORG${String(2 * (i + 1)).padStart(6, '0')}`,
    Name: `Organisation ${i + 1}`,
    SearchName: null,
    CocNumber: null,
    FiscalNumber: null,
    Email: null,
    CreateDate: '2024-01-01T10:00:00',
    ModifiedDate: '2024-01-01T10:00:00',
  }));
}

let sim: Simulator;
let big: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, onError: () => undefined });
  big = await startSimulator({
    port: 0,
    onError: () => undefined,
    seed: {
      environments: [
        {
          id: '12345',
          envCode: 'T12345AA',
          tokens: [{ data: DEMO_TOKEN, user: '12345.KOPPEL', appConnector: 'Koppel' }],
          appConnectors: [{ name: 'Koppel', getConnectors: ['Profit_Organisations', 'Koppel_Bench_Rows'] }],
          tables: { organisations: organisations(3000) },
          generate: { bench_rows: 5000 },
        },
      ],
    },
  });
});
afterAll(async () => {
  await sim?.close();
  await big?.close();
});

const client = (s: Simulator) =>
  createAfasClient({ environmentId: '12345', url: s.baseUrl(), auth: { type: 'token', token: DEMO_TOKEN } });

/** A job file's `source.get_connector` parsed and validated from YAML text. */
function specFromYaml(getConnector: string) {
  const text = `version: 1
name: t
connection: { url: "http://127.0.0.1:1/12345/ProfitRestServices", token: x }
source:
  get_connector:
${getConnector.replace(/^/gm, '    ')}
target: { file: out.csv }
`;
  const spec = parseExtractJob('/tmp/job.yaml', text, { skipConnection: true }).job.source.get_connector;
  if (!spec) throw new Error('no get_connector');
  return spec;
}

async function all(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function debtorIds(yaml: string): Promise<string[]> {
  const spec = specFromYaml(yaml);
  const rows = await all(readGetConnector(client(sim), spec.id, readOptions(spec, jobFilter(spec))));
  return rows.map((row) => String(row.DebtorId));
}

describe('GetConnector filters from YAML (Profit_Debtor of the demo seed)', () => {
  const cases: Array<[string, string, string[]]> = [
    ['eq', '"10003"', ['10003']],
    ['"="', '"10003"', ['10003']],
    ['gte', '"10004"', ['10004', '10005']],
    ['">="', '"10004"', ['10004', '10005']],
    ['lte', '"10002"', ['10001', '10002']],
    ['"<="', '"10002"', ['10001', '10002']],
    ['gt', '"10004"', ['10005']],
    ['">"', '"10004"', ['10005']],
    ['lt', '"10002"', ['10001']],
    ['"<"', '"10002"', ['10001']],
    ['neq', '"10003"', ['10001', '10002', '10004', '10005']],
    ['"!="', '"10003"', ['10001', '10002', '10004', '10005']],
    ['"<>"', '"10003"', ['10001', '10002', '10004', '10005']],
    ['contains', '"0004"', ['10004']],
    ['not_contains', '"0004"', ['10001', '10002', '10003', '10005']],
    ['starts_with', '"1000"', ['10001', '10002', '10003', '10004', '10005']],
    ['not_starts_with', '"10001"', ['10002', '10003', '10004', '10005']],
    ['ends_with', '"5"', ['10005']],
    ['not_ends_with', '"5"', ['10001', '10002', '10003', '10004']],
    ['quick', '"10002"', ['10002']],
    ['6', '"0003"', ['10003']],
  ];
  it.each(cases)('DebtorId %s %s', async (op, value, expected) => {
    expect(
      await debtorIds(
        `id: Profit_Debtor\nsort: [DebtorId]\nfilter: [[{ field: DebtorId, op: ${op}, value: ${value} }]]`,
      ),
    ).toEqual(expected);
  });

  it('empty and not_empty (value ignored) on a nullable column', async () => {
    const rows = await all(
      readGetConnector(client(sim), 'Profit_Organisations', { sort: ['BcId'], filter: [] }),
    );
    const withEmail = rows.filter((row) => row.Email !== null).map((row) => row.BcId);
    const withoutEmail = rows.filter((row) => row.Email === null).map((row) => row.BcId);
    expect(withEmail.length).toBeGreaterThan(0);
    expect(withoutEmail.length).toBeGreaterThan(0);
    const ids = async (op: string) => {
      const spec = specFromYaml(
        `id: Profit_Organisations\nsort: [BcId]\nfilter: [[{ field: Email, op: ${op} }]]`,
      );
      return (await all(readGetConnector(client(sim), spec.id, readOptions(spec, jobFilter(spec))))).map(
        (r) => r.BcId,
      );
    };
    expect(await ids('empty')).toEqual(withoutEmail);
    expect(await ids('not_empty')).toEqual(withEmail);
  });

  it('OR groups of AND groups, with a descending sort', async () => {
    expect(
      await debtorIds(`id: Profit_Debtor
sort: [-DebtorId]
filter:
  - [{ field: DebtorId, op: ">=", value: "10002" }, { field: DebtorId, op: "<=", value: "10003" }]
  - [{ field: DebtorId, op: eq, value: "10005" }]`),
    ).toEqual(['10005', '10003', '10002']);
  });

  it('a filter past the 2049-character URL limit is split and merged, still key-paged', async () => {
    const wanted = Array.from({ length: 400 }, (_, i) => 2 * (i * 7 + 1));
    const groups = wanted.map((id) => `  - [{ field: BcId, op: "=", value: ${id} }]`).join('\n');
    const spec = specFromYaml(`id: Profit_Organisations\nsort: [BcId]\npage_size: 25\nfilter:\n${groups}`);
    const count = (status: number) =>
      big.control
        .stats()
        .requests.filter((r) => r.connector === 'Profit_Organisations' && r.status === status)
        .reduce((sum, r) => sum + r.count, 0);
    const before = count(200);
    const rows = await all(readGetConnector(client(big), spec.id, readOptions(spec, jobFilter(spec))));
    expect(rows.map((row) => row.BcId)).toEqual(wanted);
    // 400 OR groups do not fit one URL: several parts, each paged by key (25 rows a page).
    expect(count(200) - before).toBeGreaterThanOrEqual(400 / 25 + 2);
    expect(count(404)).toBe(0);
  });
});

describe('large reads: key paging and parallel key ranges', () => {
  const benchSpec = (extra: string) => specFromYaml(`id: Koppel_Bench_Rows\nsort: [RowId]\n${extra}`);

  it('a 4-way parallel read equals the sequential read (same rows, same order)', async () => {
    const sequential = await all(
      readGetConnector(client(big), 'Koppel_Bench_Rows', readOptions(benchSpec('page_size: 300'), [])),
    );
    const parallel = await all(
      readGetConnector(
        client(big),
        'Koppel_Bench_Rows',
        readOptions(benchSpec('page_size: 300\nparallel: 4'), []),
      ),
    );
    expect(sequential).toHaveLength(5000);
    expect(sequential.map((row) => row.RowId)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(parallel).toEqual(sequential);
  });

  it('a parallel read on a string key equals the sequential read', async () => {
    const spec = specFromYaml('id: Koppel_Bench_Rows\nsort: [Code]\npage_size: 400');
    const sequential = await all(readGetConnector(client(big), spec.id, readOptions(spec, [])));
    const parallel = await all(
      readGetConnector(client(big), spec.id, { ...readOptions(spec, []), parallel: 3 }),
    );
    expect(parallel.map((row) => row.Code)).toEqual(sequential.map((row) => row.Code));
    expect(new Set(parallel.map((row) => row.Code)).size).toBe(5000);
  });

  it('rows with an empty key are read once in a parallel read too (they match no range comparison)', async () => {
    const db = big.control.db('12345');
    db.insert(
      'organisations',
      { ...organisations(1)[0], BcId: null, BcCo: 'NOKEY1' },
      { connector: 'KnOrganisation', method: 'POST' },
    );
    db.insert(
      'organisations',
      { ...organisations(1)[0], BcId: null, BcCo: 'NOKEY2' },
      { connector: 'KnOrganisation', method: 'POST' },
    );
    try {
      const sequential = await all(
        readGetConnector(client(big), 'Profit_Organisations', { sort: ['BcId'], pageSize: 200 }),
      );
      const parallel = await all(
        readGetConnector(client(big), 'Profit_Organisations', { sort: ['BcId'], pageSize: 200, parallel: 4 }),
      );
      expect(parallel.slice(0, 2).map((row) => row.BcCo)).toEqual(['NOKEY1', 'NOKEY2']);
      expect(parallel.map((row) => row.BcCo)).toEqual(sequential.map((row) => row.BcCo));
      expect(parallel).toHaveLength(3002);
    } finally {
      db.delete('organisations', (row) => row.BcId === null, {
        connector: 'KnOrganisation',
        method: 'DELETE',
      });
    }
  });

  it('key paging never sends a skip; take is sized from the column count', async () => {
    const urls: string[] = [];
    const reader = client(big);
    const spy = {
      getMetainfo: reader.getMetainfo.bind(reader),
      fetchPage: (connector: string, query: Parameters<typeof reader.fetchPage>[1], signal?: AbortSignal) => {
        urls.push(`skip=${query.skip} take=${query.take}`);
        return reader.fetchPage(connector, query, signal);
      },
    };
    const rows = await all(readGetConnector(spy, 'Koppel_Bench_Rows', { sort: ['RowId'] }));
    expect(rows).toHaveLength(5000);
    // 10 columns: take = 150000 / 10 = 15000, capped at 10000; one page holds all 5000 rows.
    expect(urls).toEqual(['skip=0 take=10000']);
  });

  it('rows inserted during a parallel read: every row that existed at the start comes exactly once', async () => {
    const db = big.control.db('12345');
    let inserted = 0;
    const insertBatch = () => {
      // Odd BcIds fall between existing rows in every key range, before and after the read position.
      for (let k = 0; k < 20; k++) {
        const id = 2 * ((inserted * 37 + k * 149) % 3000) + 1;
        inserted++;
        db.insert(
          'organisations',
          { ...organisations(1)[0], BcId: id, BcCo: `NEW${inserted}`, Name: `Inserted ${inserted}` },
          { connector: 'KnOrganisation', method: 'POST' },
        );
      }
    };
    const rows: Row[] = [];
    for await (const row of readGetConnector(client(big), 'Profit_Organisations', {
      sort: ['BcId'],
      parallel: 4,
      pageSize: 50,
      prefetchPages: 1,
    })) {
      rows.push(row);
      if (rows.length % 100 === 0) insertBatch();
    }
    expect(inserted).toBeGreaterThan(500);
    const even = rows.map((row) => row.BcId as number).filter((id) => id % 2 === 0);
    expect(even).toEqual(Array.from({ length: 3000 }, (_, i) => 2 * (i + 1)));
    const all = rows.map((row) => row.BcCo);
    expect(new Set(all).size).toBe(all.length);
    const ids = rows.map((row) => row.BcId as number);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('the same inserts under skip/take paging shift pages (why key paging is the default)', async () => {
    const fresh = await startSimulator({
      port: 0,
      onError: () => undefined,
      seed: {
        environments: [
          {
            id: '12345',
            envCode: 'T12345AA',
            tokens: [{ data: DEMO_TOKEN, user: '12345.KOPPEL', appConnector: 'Koppel' }],
            appConnectors: [{ name: 'Koppel', getConnectors: ['Profit_Organisations'] }],
            tables: { organisations: organisations(600) },
          },
        ],
      },
    });
    try {
      const db = fresh.control.db('12345');
      const rows: Row[] = [];
      let n = 0;
      for await (const row of readGetConnector(client(fresh), 'Profit_Organisations', {
        sort: ['BcId'],
        pageSize: 50,
        paging: 'skip',
        prefetchPages: 1,
      })) {
        rows.push(row);
        if (rows.length % 50 === 0) {
          n++;
          db.insert(
            'organisations',
            { ...organisations(1)[0], BcId: 1, BcCo: `LOW${n}` },
            { connector: 'KnOrganisation', method: 'POST' },
          );
        }
      }
      const codes = rows.map((row) => row.BcCo).filter((code) => String(code).startsWith('ORG'));
      expect(codes.length).toBeGreaterThan(new Set(codes).size);
    } finally {
      await fresh.close();
    }
  });
});
