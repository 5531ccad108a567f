/**
 * Every example job under jobs/ passes its `koppel test` and runs end to end through
 * `koppel run` against the simulator, with the exact outcome asserted from the simulator's
 * journal (what was stored) and the run report (rejects).
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE_FILE, renderJobReference } from '../scripts/generate-docs.js';
import { ROOT, runCli } from './helpers/cli.js';

let sim: Simulator;
let state: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  state = await mkdtemp(join(tmpdir(), 'koppel-examples-'));
});
afterAll(async () => {
  await sim.close();
  await rm(state, { recursive: true, force: true });
});
beforeEach(() => sim.control.reset());

const env = (): NodeJS.ProcessEnv => ({
  AFAS_URL: sim.baseUrl(),
  AFAS_TOKEN: DEMO_TOKEN,
  KOPPEL_VERIFY_DELAY_MS: '0',
});

interface Report {
  exitCode: number;
  counts: { done: number; rejected: number; uncertain: number; total: number };
  files: { rejects: string };
}

async function run(job: string): Promise<{ code: number | null; report: Report }> {
  const result = await runCli(['run', job, '--new-run', '--state-dir', state, '--log-format', 'json'], {
    cwd: ROOT,
    env: env(),
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (!last.startsWith('{')) throw new Error(`koppel run ${job} printed no report: ${result.stderr}`);
  return { code: result.code, report: JSON.parse(last) as Report };
}

const stored = (connector: string, table: string): Record<string, unknown>[] =>
  sim.control
    .journal({ connector, table })
    .filter((entry) => entry.action === 'insert')
    .map((entry) => entry.row as Record<string, unknown>);

describe('koppel test on every example', () => {
  for (const dir of ['jobs/persons-sync', 'jobs/fientries-upload', 'jobs/legacy-migration']) {
    it(`${dir}: every case passes`, async () => {
      const result = await runCli(['test', dir], { cwd: ROOT });
      expect(result.stdout).toMatch(/^\d+ passed, 0 failed$/m);
      expect(result.stdout).not.toContain('FAIL');
      expect(result.code).toBe(0);
    });
  }
});

describe('koppel test from the command line', () => {
  it('exits 1 with the diff and the summary line when a case fails, and names file:line:col of a malformed file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-examples-test-'));
    try {
      await cp(join(ROOT, 'jobs/fientries-upload'), dir, { recursive: true });
      const file = join(dir, 'fientries.test.yaml');
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace('AcNr: "8010"', 'AcNr: "8011"'));
      const failed = await runCli(['test', dir], { cwd: dir });
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain(
        'requests differ at $[0].body.FiEntryPar.Element.Objects.FiEntries.Element[1].Fields.AcNr: expected "8011", got "8010"',
      );
      expect(failed.stdout).toMatch(/\n {8}- {20}"AcNr": "8011",\n {8}\+ {20}"AcNr": "8010",\n/);
      expect(failed.stdout.endsWith('3 passed, 1 failed\n')).toBe(true);

      await writeFile(file, text.replace('    rows:', '    row:'));
      const broken = await runCli(['test', 'fientries.test.yaml'], { cwd: dir });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(
        `${file}:4:5: unknown key \`row\` in \`cases.0\`; did you mean \`rows\`?`,
      );
      expect(broken.stdout.endsWith('0 passed, 1 failed (1 test file invalid)\n')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('koppel init', () => {
  it('writes a valid job from a sample and metainfo, the account kinds mapped by their values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-examples-init-'));
    try {
      const sample = join(ROOT, 'jobs/fientries-upload/data/journaal-2024.csv');
      const init = await runCli(['init', 'FiEntries', sample, '--sim', '--out', 'fi.yaml'], { cwd: dir });
      expect(init.stdout).toContain(
        // boekdatum is a known export header for EnDa ("Datum boeking"); BpDa takes the same column;
        // the soort column holds G/D/C, the account kinds of VaAs, so it is mapped with its codes.
        'wrote fi.yaml: 11 column(s) mapped, 0 suggested in comments, 1 AFAS setting(s) defaulted, 0 TODO(s), 0 column(s) not mapped',
      );
      expect(init.code).toBe(0);
      const text = await readFile(join(dir, 'fi.yaml'), 'utf8');
      expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schemas\/job\.schema\.json$/);
      expect(text).toContain('VaAs: { column: soort, codes: { "G": "1", "D": "2", "C": "3" } }');
      const validate = await runCli(['validate', 'fi.yaml', '--sim'], { cwd: dir });
      expect(validate.stdout).toBe(
        'fi.yaml: valid (FiEntries, checked against simulator metainfo in nl-nl)\n',
      );
      expect(validate.code).toBe(0);
      const again = await runCli(['init', 'FiEntries', sample, '--sim', '--out', 'fi.yaml'], { cwd: dir });
      expect(again.stderr).toContain('fi.yaml exists; choose another --out or add --force');
      expect(again.code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('koppel run of every example against the simulator', () => {
  it('persons-sync/persons.yaml: 5 persons with their address stored, 3 rejected', async () => {
    const { code, report } = await run('jobs/persons-sync/persons.yaml');
    expect(code).toBe(2);
    expect(report.counts).toMatchObject({ done: 5, rejected: 3, uncertain: 0, total: 8 });
    // concurrency 4: the store order is the order the requests arrive in
    expect(
      stored('KnPerson', 'persons')
        .map((row) => row.BcCo)
        .sort(),
    ).toEqual(['P10001', 'P10002', 'P10003', 'P10004', 'P10005']);
    expect(
      stored('KnPerson', 'addresses')
        .map((row) => String(row.Recidence))
        .sort(),
    ).toEqual(["'s-Hertogenbosch", 'Amsterdam', 'Antwerpen', 'Groningen', 'Utrecht']);
    const rejects = await readFile(report.files.rejects, 'utf8');
    expect(rejects).toContain('Een onvolledig adres mag niet geïmporteerd worden.');
    expect(rejects.trim().split('\n')).toHaveLength(4);
  });

  it('persons-sync/organisations.yaml: 3 organisations stored', async () => {
    const { code, report } = await run('jobs/persons-sync/organisations.yaml');
    expect(code).toBe(0);
    expect(report.counts).toMatchObject({ done: 3, rejected: 0, total: 3 });
    expect(
      stored('KnOrganisation', 'organisations')
        .map((row) => String(row.Name))
        .sort(),
    ).toEqual(['Bakkerij Het Zuiden B.V.', 'Brasserie Lumière', 'Fietsenmakerij Velo']);
  });

  it('fientries-upload: 6 entries (15 lines) booked, the unbalanced and the blocked-period entry rejected', async () => {
    const { code, report } = await run('jobs/fientries-upload/fientries.yaml');
    expect(code).toBe(2);
    expect(report.counts).toMatchObject({ done: 6, rejected: 2, uncertain: 0, total: 8 });
    const lines = stored('FiEntries', 'entries');
    expect(lines).toHaveLength(15);
    expect(new Set(lines.map((row) => row.VoucherNo))).toEqual(
      new Set(['V2024-0101', 'V2024-0102', 'I2024-0201', 'M2024-0301', 'V2024-0401', 'M2024-0402']),
    );
    const rejects = await readFile(report.files.rejects, 'utf8');
    expect(rejects).toContain('Voor deze administratie is periode 8 van het jaar 2024 geblokkeerd.');
    expect(rejects).toContain('entry is not balanced: debit 100.00 != credit 99.99');
  });

  it('legacy-migration: 6 customers stored with their names decoded from Windows-1252, 2 rejected', async () => {
    const { code, report } = await run('jobs/legacy-migration/migrate-customers.yaml');
    expect(code).toBe(2);
    expect(report.counts).toMatchObject({ done: 6, rejected: 2, uncertain: 0, total: 8 });
    // concurrency 4: the store order is the order the requests arrive in
    expect(
      stored('KnPerson', 'persons')
        .map((row) => `${row.FirstName} ${row.LastName}`)
        .sort(),
    ).toEqual(
      [
        'Zoë Martens',
        'José Peeters',
        'Jürgen Weiß',
        'Renée Dubois',
        'Chloë D’Hondt',
        'Anneloes Brouwer',
      ].sort(),
    );
  });
});

describe('the extract examples (jobs/extract-debtors, jobs/afas-to-afas) through koppel extract', () => {
  it('extract-debtors/debtors.yaml writes the 5 debtors to a CSV file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-examples-extract-'));
    try {
      await cp(join(ROOT, 'jobs/extract-debtors/debtors.yaml'), join(dir, 'debtors.yaml'));
      const result = await runCli(['extract', 'debtors.yaml', '--state-dir', join(dir, '.koppel')], {
        cwd: dir,
        env: { KOPPEL_DEMO_URL: sim.baseUrl() },
      });
      expect(result.code).toBe(0);
      const lines = (await readFile(join(dir, 'out/debtors.csv'), 'utf8')).trim().split('\r\n');
      expect(lines[0]).toBe('DebtorId,DebtorName,CurrencyId,CreateDate,ModifiedDate');
      expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([
        '10001',
        '10002',
        '10003',
        '10004',
        '10005',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('afas-to-afas/organisations.yaml inserts the 6 organisations of 12345 into 67890 once', async () => {
    const two = await startSimulator({
      port: 0,
      seed: join(ROOT, 'jobs/afas-to-afas/two-environments.yaml'),
    });
    const dir = await mkdtemp(join(tmpdir(), 'koppel-examples-a2a-'));
    try {
      await cp(join(ROOT, 'jobs/afas-to-afas/organisations.yaml'), join(dir, 'organisations.yaml'));
      const env = { KOPPEL_DEMO_URL: two.baseUrl('12345'), KOPPEL_TARGET_URL: two.baseUrl('67890') };
      const args = ['extract', 'organisations.yaml', '--state-dir', join(dir, '.koppel')];
      expect((await runCli(args, { cwd: dir, env })).code).toBe(0);
      expect((await runCli(args, { cwd: dir, env })).code).toBe(0);
      const inserted = two.control
        .journal({ environment: '67890', table: 'organisations' })
        .map((entry) => `${entry.action} ${String(entry.row.BcCo)}`);
      expect(inserted).toEqual(
        ['1000801', '1000802', '1000803', '1000804', '1000805', '1000806'].map((n) => `insert ${n}`),
      );
    } finally {
      await two.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('documentation', () => {
  it('docs/job-reference.md is generated from the current schemas (run npx tsx scripts/generate-docs.ts)', async () => {
    expect(await readFile(REFERENCE_FILE, 'utf8')).toBe(renderJobReference());
  });

  it('the reference lists every key of the job schema', async () => {
    const text = await readFile(REFERENCE_FILE, 'utf8');
    for (const key of [
      'update_connector',
      'group_by',
      'checks',
      'codes',
      'max_length',
      'null_strings',
      'expect',
    ]) {
      expect(text).toMatch(new RegExp(`\\| \`${key}\` +\\|`));
    }
  });
});
