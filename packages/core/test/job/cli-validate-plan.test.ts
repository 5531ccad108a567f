import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '@koppel/cli';
import { afterEach, describe, expect, it, vi } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const INVALID = fileURLToPath(new URL('../fixtures/jobs/invalid/', import.meta.url));

/** Runs the koppel CLI in-process and captures stdout and stderr. */
async function koppel(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  const code = await main(['node', 'koppel', ...args]);
  vi.restoreAllMocks();
  return { code, out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('koppel validate', () => {
  it('prints every problem and a one-line summary, exit 1', async () => {
    const file = `${INVALID}many-problems.yaml`;
    const { code, out } = await koppel('validate', file, '--offline');
    expect(code).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe(
      `${file}:6:29: unknown key \`delimter\` in \`source.csv\`; did you mean \`delimiter\`?`,
    );
    expect(lines[5]).toBe(`${file}: 5 problems`);
  });

  it('checks fields and codes against simulator metainfo with --sim', async () => {
    const { code, out } = await koppel('validate', `${INVALID}unknown-field-metainfo.yaml`, '--sim');
    expect(code).toBe(1);
    expect(out).toContain('unknown field `AcNo` in FiEntries; did you mean `AcNr`?');
    const valid = await koppel('validate', `${ROOT}jobs/demo-fientries/job.yaml`, '--sim');
    expect(valid.code).toBe(0);
    expect(valid.out).toBe(
      `${ROOT}jobs/demo-fientries/job.yaml: valid (FiEntries, checked against simulator metainfo in nl-nl)\n`,
    );
  });
});

describe('koppel validate on GetConnector sources', () => {
  const extract = `${ROOT}jobs/extract-debtors/debtors.yaml`;
  const a2a = `${ROOT}jobs/afas-to-afas/organisations.yaml`;

  it('accepts an extract job (target: file), offline and against simulator metainfo', async () => {
    const offline = await koppel('validate', extract, '--offline');
    expect(offline).toMatchObject({ code: 0, err: '' });
    expect(offline.out).toBe(
      `${extract}: valid (extract Profit_Debtor -> out/debtors.csv, offline: fields and codes not checked against metainfo)\n`,
    );
    const sim = await koppel('validate', extract, '--sim');
    expect(sim.out).toBe(
      `${extract}: valid (extract Profit_Debtor -> out/debtors.csv, checked against simulator metainfo)\n`,
    );
  });

  it('accepts an AFAS-to-AFAS job and checks its GetConnector fields', async () => {
    const { code, out } = await koppel('validate', a2a, '--sim');
    expect(code).toBe(0);
    expect(out).toBe(
      `${a2a}: valid (Profit_Organisations -> KnOrganisation, checked against simulator metainfo in nl-nl)\n`,
    );
  });

  it('reports a GetConnector field the connector does not have', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'koppel-validate-'));
    const file = join(dir, 'debtors.yaml');
    writeFileSync(file, readFileSync(extract, 'utf8').replace('DebtorName,', 'DebtorNaam,'));
    const text = readFileSync(extract, 'utf8').replace('DebtorName,', 'DebtorNaam,');
    const line = text.split('\n').findIndex((row) => row.includes('DebtorNaam')) + 1;
    const col = (text.split('\n')[line - 1] ?? '').indexOf('DebtorNaam') + 1;
    const { code, out } = await koppel('validate', file, '--sim');
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(out).toBe(
      `${file}:${line}:${col}: column \`DebtorNaam\` is not a field of GetConnector Profit_Debtor; did you mean \`DebtorName\`?\n${file}: 1 problem\n`,
    );
  });

  it('names get_connector when the source has no format', async () => {
    const file = `${INVALID}source-empty.yaml`;
    const { code, out } = await koppel('validate', file, '--offline');
    expect(code).toBe(1);
    expect(out).toBe(
      `${file}:5:9: \`source\` needs exactly one of csv, json, jsonl, get_connector, got none\n${file}: 1 problem\n`,
    );
  });
});

describe('koppel plan', () => {
  it('prints the exact requests and rejects without sending anything', async () => {
    const { code, out, err } = await koppel('plan', `${ROOT}jobs/demo-fientries/job.yaml`, '--sim', '--json');
    expect(code).toBe(0);
    const entries = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.request?.keys?.[0] ?? entry.keys?.[0] ?? entry.reject?.key)).toEqual([
      '1001',
      '1002',
      '1003',
      '1004',
    ]);
    expect(entries[0].request).toMatchObject({ method: 'POST', path: '/connectors/FiEntries' });
    expect(entries[0].request.body.FiEntryPar.Element.Fields).toEqual({
      Year: 2024,
      Peri: 1,
      UnId: 1,
      JoCo: '20',
    });
    expect(entries[2].reject.message).toBe(
      'record 1003 (data/entries.csv:8-9): entry is not balanced: debit 1500.00 != credit 1499.99 (difference 0.01); debit and credit must be equal',
    );
    expect(err).toBe(
      'plan: data/entries.csv: utf-8 (detected: valid UTF-8 over all 783 bytes)\n' +
        'plan: 2 request(s) for 2 document(s), 2 rejected; nothing was sent\n',
    );
  });

  it('stops after --limit documents', async () => {
    const { out } = await koppel(
      'plan',
      `${ROOT}jobs/demo-fientries/job.yaml`,
      '--sim',
      '--json',
      '--limit',
      '1',
    );
    expect(out.trim().split('\n')).toHaveLength(1);
  });
});
