/**
 * An incremental `koppel extract` after the first run appends its rows to the file (CSV without a
 * second header, JSONL, into the JSON array) instead of overwriting it; a failed run leaves the
 * file as it was; a file with other columns is refused. Against the simulator over HTTP.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAfasClient } from '@koppel/afas';
import { DEMO_TOKEN, type Simulator, startSimulator, steppingClock } from '@koppel/afas-sim';
import { formatExtractReport } from '@koppel/core';
import { runExtract } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

let sim: Simulator;
let dir: string;
beforeEach(async () => {
  // Changes made through the UpdateConnector are stamped after every seeded ModifiedDate.
  sim = await startSimulator({
    port: 0,
    onError: () => undefined,
    clock: steppingClock('2026-03-29T03:30:00'),
  });
  dir = await mkdtemp(join(tmpdir(), 'koppel-extract-append-'));
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const job = (file: string, columns = 'BcId, BcCo, Name, ModifiedDate'): string => `version: 1
name: organisations-${file.replace(/\W/g, '-')}
connection: { url: "${sim.baseUrl()}", token: ${DEMO_TOKEN} }
source:
  get_connector: { id: Profit_Organisations, sort: [BcId], columns: [${columns}] }
key: "{BcCo}"
incremental: { field: ModifiedDate }
target: { file: out/${file} }
`;

const ENV = { KOPPEL_RETRY_BASE_MS: '1', KOPPEL_RETRY_MAX_MS: '5' };
const extract = (jobFile: string, ...args: string[]) =>
  runCli(['extract', jobFile, '--state-dir', join(dir, '.koppel'), ...args], { cwd: dir, env: ENV });

async function addOrganisations(...codes: string[]): Promise<void> {
  const client = createAfasClient({
    environmentId: '12345',
    url: sim.baseUrl(),
    auth: { type: 'token', token: DEMO_TOKEN },
  });
  try {
    for (const code of codes) {
      await client.insert('KnOrganisation', { element: { fields: { BcCo: code, Nm: `Nieuw ${code}` } } });
    }
  } finally {
    client.close();
  }
}

const lines = async (path: string) => (await readFile(path, 'utf8')).split('\r\n').filter(Boolean);

describe('koppel extract: incremental runs append', () => {
  it('CSV: the second run appends the new rows without a second header and says how many the file holds now', async () => {
    await writeFile(join(dir, 'csv.yaml'), job('organisations.csv'));
    const out = join(dir, 'out/organisations.csv');
    const first = await extract('csv.yaml');
    expect(first.code).toBe(0);
    const before = await lines(out);
    const seeded = before.length - 1;
    expect(before[0]).toBe('BcId,BcCo,Name,ModifiedDate');
    expect(seeded).toBeGreaterThan(2);

    await addOrganisations('2000001', '2000002');
    const second = await extract('csv.yaml');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      `koppel extract: appended 2 rows of Profit_Organisations to ${out} (now ${seeded + 2}) in `,
    );
    const after = await lines(out);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((line) => line.split(',').slice(1, 3).join(','))).toEqual([
      '2000001,Nieuw 2000001',
      '2000002,Nieuw 2000002',
    ]);
    expect(after.filter((line) => line.startsWith('BcId,'))).toHaveLength(1);
    const report = JSON.parse(await readFile(`${out}.report.json`, 'utf8'));
    expect(report.append).toEqual({ mode: 'appended', before: seeded, total: seeded + 2 });

    // A run that fails half-way leaves the file byte for byte, and no temporary file.
    await addOrganisations('2000003');
    const text = await readFile(out, 'utf8');
    sim.control.setFaults({ rules: [{ kind: 'reset', connector: 'Profit_Organisations', method: 'GET' }] });
    const failed = await extract('csv.yaml');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).not.toContain('    at ');
    expect(await readFile(out, 'utf8')).toBe(text);
    expect((await readdir(join(dir, 'out'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    sim.control.setFaults({ rules: [] });

    // Other columns: refused in one line, the file untouched; --full-refresh rewrites it.
    await writeFile(join(dir, 'csv.yaml'), job('organisations.csv', 'BcId, BcCo, ModifiedDate'));
    const refused = await extract('csv.yaml');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim()).toBe(
      `koppel: ${out}: its header is BcId,BcCo,Name,ModifiedDate, the job's columns are BcId,BcCo,ModifiedDate, so the new rows cannot be appended; run with --full-refresh to rewrite it, or move the file away`,
    );
    expect(await readFile(out, 'utf8')).toBe(text);
    const full = await extract('csv.yaml', '--full-refresh');
    expect(full.code).toBe(0);
    expect((await lines(out))[0]).toBe('BcId,BcCo,ModifiedDate');
    expect(await lines(out)).toHaveLength(seeded + 4);
  }, 60_000);

  it('JSON: the new rows go into the array, which stays valid JSON; JSONL appends lines', async () => {
    await writeFile(join(dir, 'json.yaml'), job('organisations.json'));
    await writeFile(join(dir, 'jsonl.yaml'), job('organisations.jsonl'));
    const firsts = await Promise.all([extract('json.yaml'), extract('jsonl.yaml')]);
    expect(firsts.map((run) => run.code)).toEqual([0, 0]);
    const array = JSON.parse(await readFile(join(dir, 'out/organisations.json'), 'utf8')) as unknown[];
    const jsonl = await readFile(join(dir, 'out/organisations.jsonl'), 'utf8');

    await addOrganisations('2000001');
    const [second, secondLines] = await Promise.all([extract('json.yaml'), extract('jsonl.yaml')]);
    expect(second.stdout).toContain(`appended 1 rows of Profit_Organisations`);
    expect(second.stdout).toContain(`(now ${array.length + 1})`);
    const grown = JSON.parse(await readFile(join(dir, 'out/organisations.json'), 'utf8')) as {
      BcCo: string;
    }[];
    expect(grown.slice(0, array.length)).toEqual(array);
    expect(grown.slice(array.length).map((row) => row.BcCo)).toEqual(['2000001']);

    expect(secondLines.code).toBe(0);
    const appended = await readFile(join(dir, 'out/organisations.jsonl'), 'utf8');
    expect(appended.startsWith(jsonl)).toBe(true);
    expect(
      appended
        .slice(jsonl.length)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).BcCo),
    ).toEqual(['2000001']);
  }, 60_000);

  it('rows appended by a run that stopped before keeping its watermark are read again once, not twice', async () => {
    await writeFile(join(dir, 'csv.yaml'), job('organisations.csv'));
    const out = join(dir, 'out/organisations.csv');
    const stateFile = join(dir, '.koppel/state/organisations-organisations-csv.json');
    // In-process (runExtract is what `koppel extract` calls): the CLI is covered above.
    const run = () => runExtract(join(dir, 'csv.yaml'), { env: process.env, stateDir: join(dir, '.koppel') });
    await run();
    const seeded = (await lines(out)).length - 1;
    await copyFile(stateFile, join(dir, 'state-before.json'));
    await addOrganisations('2000001');
    expect((await run()).rows).toBe(1);
    // As if that run had stopped between renaming the file and writing its state.
    await copyFile(join(dir, 'state-before.json'), stateFile);

    await addOrganisations('2000002');
    const again = await run();
    expect(again.append).toEqual({ mode: 'appended', before: seeded, total: seeded + 2, replaced: 1 });
    expect(formatExtractReport(again)).toContain(
      `appended 2 rows of Profit_Organisations to ${out} (now ${seeded + 2}) in `,
    );
    expect(formatExtractReport(again)).toContain(
      '; 1 rows appended by an earlier run that stopped before keeping its watermark were read again and replaced',
    );
    const codes = (await lines(out)).slice(1).map((line) => line.split(',')[1]);
    expect(codes.slice(seeded)).toEqual(['2000001', '2000002']);
    expect(new Set(codes).size).toBe(codes.length);
  }, 60_000);
});
