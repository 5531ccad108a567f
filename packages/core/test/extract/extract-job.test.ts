import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openExtractWriter } from '../../src/extract/extract-writer.js';
import { parseExtractJob } from '../../src/extract/load-extract-job.js';
import { JsonNumber } from '../../src/record.js';

const JOB = `version: 1
name: extract-debtors
connection: { url: "http://127.0.0.1:8044/12345/ProfitRestServices", token: abc }
source:
  get_connector:
    id: Profit_Debtor
    sort: [DebtorId]
    filter: [[{ field: DebtorId, op: ">=", value: "10002" }]]
target:
  file: out/debtors.csv
`;

describe('parseExtractJob', () => {
  it('accepts a get_connector source and a file target without key', () => {
    const loaded = parseExtractJob('/jobs/x.yaml', JOB);
    expect(loaded.job.target).toEqual({ file: 'out/debtors.csv' });
    expect(loaded.job.source.get_connector?.filter).toEqual([
      [{ field: 'DebtorId', op: '>=', value: '10002' }],
    ]);
    expect(loaded.sourceConnection?.baseUrl).toBe('http://127.0.0.1:8044/12345/ProfitRestServices');
  });

  it('lists every problem with file:line:col', () => {
    const bad = JOB.replace('op: ">="', 'op: "=>"')
      .replace('sort: [DebtorId]', 'sort: []')
      .replace('file: out/debtors.csv', 'file: out/debtors.csv\n  format: xlsx');
    expect(() => parseExtractJob('/jobs/x.yaml', bad)).toThrow(
      [
        '3 problems in /jobs/x.yaml:',
        '/jobs/x.yaml:7:11: `source.get_connector.sort` must list at least 1 item(s), got []',
        '/jobs/x.yaml:8:38: `source.get_connector.filter.0.0.op` must be one of eq, gte, lte, gt, lt, contains, neq, empty, not_empty, starts_with, not_contains, not_starts_with, ends_with, not_ends_with, quick, =, >=, <=, >, <, !=, <>, got `=>`; did you mean `=`?',
        '/jobs/x.yaml:11:11: `target.format` must be one of auto, csv, jsonl, json, got `xlsx`',
      ].join('\n'),
    );
  });

  it('needs a get_connector source and a target', () => {
    const csv = JOB.replace(/source:[\s\S]*?target:/, 'source:\n  csv: { path: x.csv }\ntarget:');
    expect(() => parseExtractJob('/jobs/x.yaml', csv, { skipConnection: true })).toThrow(
      '/jobs/x.yaml:5:3: an extract reads a GetConnector: write `source: { get_connector: { id: …, sort: [...] } }`',
    );
    expect(() =>
      parseExtractJob('/jobs/x.yaml', JOB.replace(/target:[\s\S]*/, ''), { skipConnection: true }),
    ).toThrow('the job is missing required key `target` (e.g. target: { file: out/rows.csv })');
  });
});

describe('openExtractWriter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-xw-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes CSV, JSONL and JSON in column order with exact numbers; creates the directory', async () => {
    const rows = [
      { B: 'x, "y"', A: new JsonNumber('12.10'), C: null },
      { A: new JsonNumber('-0.5'), B: '2024-03-31T03:30:00+02:00', C: true },
    ];
    for (const ext of ['csv', 'jsonl', 'json']) {
      const writer = await openExtractWriter({ path: join(dir, `sub/out.${ext}`), columns: ['A', 'B', 'C'] });
      await writer.write(rows[0] as never);
      await writer.writeValues([rows[1]?.A ?? null, rows[1]?.B ?? null, true]);
      await writer.close();
    }
    expect(await readFile(join(dir, 'sub/out.csv'), 'utf8')).toBe(
      'A,B,C\r\n12.10,"x, ""y""",\r\n-0.5,2024-03-31T03:30:00+02:00,true\r\n',
    );
    expect(await readFile(join(dir, 'sub/out.jsonl'), 'utf8')).toBe(
      '{"A":12.10,"B":"x, \\"y\\"","C":null}\n{"A":-0.5,"B":"2024-03-31T03:30:00+02:00","C":true}\n',
    );
    expect(JSON.parse(await readFile(join(dir, 'sub/out.json'), 'utf8'))).toEqual([
      { A: 12.1, B: 'x, "y"', C: null },
      { A: -0.5, B: '2024-03-31T03:30:00+02:00', C: true },
    ]);
  });

  it('refuses an unknown extension without a format', async () => {
    await expect(openExtractWriter({ path: join(dir, 'out.xlsx'), columns: ['A'] })).rejects.toThrow(
      'ends in .csv, .jsonl or .json'.replace('ends', 'end'),
    );
  });
});
