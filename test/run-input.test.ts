import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };
const COLUMNS = ['entry_no', 'period', 'account', 'voucher_no', 'description', 'amount', 'amount_credit'];

/**
 * Fixes the rows of a rejects file of the entries fixture the way a user would: the unknown
 * account becomes 4000, the blocked period 1, and the credit of an unbalanced entry its debit.
 * The error columns stay; the reader must ignore them.
 */
function fixRejects(text: string, header: boolean): string {
  const lines = text.split('\n');
  const debit = new Map<string, string>();
  return lines
    .map((line, index) => {
      if ((header && index === 0) || line === '') return line;
      const cells = line.split(';');
      const values = cells.slice(0, COLUMNS.length);
      const rest = cells.slice(COLUMNS.length);
      const [entry = '', period, account, , , amount = '', credit] = values;
      if (amount) debit.set(entry, amount);
      if (period === '8') values[1] = '1';
      if (account === '7777') values[2] = '4000';
      if (credit === '0,01') values[6] = debit.get(entry) ?? '';
      return [...values, ...rest].join(';');
    })
    .join('\n');
}

describe('koppel run --input: feeding fixed rejects back', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-input-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['a header row', true],
    ['declared header: [...] columns', false],
  ])(
    'runs the fixed rejects file (%s) with the same job; every entry stored once',
    async (_, header) => {
      const fixture = await writeEntriesFixture(dir, sim, { count: 200, batch: 5 });
      if (!header) {
        const csv = join(dir, 'entries.csv');
        await writeFile(csv, (await readFile(csv, 'utf8')).split('\n').slice(1).join('\n'));
        const job = await readFile(fixture.jobFile, 'utf8');
        await writeFile(
          fixture.jobFile,
          job.replace('decimal: "," }', `decimal: ",", header: [${COLUMNS.join(', ')}] }`),
        );
      }
      const first = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
      expect(first.code).toBe(2);
      expect(first.stdout).toContain(
        'records: 194 done, 6 rejected (2 before sending, 4 by AFAS), 0 uncertain, 0 pending (of 200 seen)',
      );
      const rejects = /rejects: (\S+) \(6 records\)/.exec(first.stdout)?.[1] ?? '';
      expect(first.stdout).toContain(
        `  fix them in that file, then run: koppel run ${fixture.jobFile} --input ${rejects}`,
      );
      const text = await readFile(rejects, 'utf8');
      const rows = text.trim().split('\n');
      expect(rows).toHaveLength(header ? 13 : 12);
      if (header) expect(rows[0]).toBe(`${COLUMNS.join(';')};koppel_error;koppel_profit_log_reference`);
      await writeFile(rejects, fixRejects(text, header));

      const preview = await runCli(['preview', fixture.jobFile, '--input', rejects, '--limit', '1'], {
        cwd: dir,
      });
      expect(preview.stdout.split('\n')[1]).toBe(
        `${rejects}:${header ? 2 : 1}  {"entry_no":"V000007","period":"1","account":"4000","voucher_no":"V000007","description":"Regel 7","amount":"17,07","amount_credit":""}`,
      );

      const plan = await runCli(['plan', fixture.jobFile, '--input', rejects, '--sim'], { cwd: dir });
      expect(plan.stderr).toBe(
        `plan: ${rejects}: utf-8 (detected: valid UTF-8 over all ${statSync(rejects).size} bytes)\n` +
          'plan: 2 request(s) for 6 document(s), 0 rejected; nothing was sent\n',
      );

      const fixed = await runCli(['run', fixture.jobFile, '--input', rejects], { cwd: dir, env: ENV });
      // A new run (another input); the 194 delivered before are not in it, nothing is carried over.
      expect(fixed.stderr).toContain('koppel: delivery scope chaos-entries (FiEntries, mode once)');
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain('this session: 6 done, 0 rejected, 0 uncertain, 0 skipped');
      const runId = (out: string) => /^Run (\S+)/.exec(out)?.[1];
      expect(runId(fixed.stdout)).not.toBe(runId(first.stdout));
      const stored = storedEntries(sim);
      expect(stored.size).toBe(200);
      expect([...stored.values()].filter((entries) => entries.size !== 1)).toEqual([]);

      // Running the original input again resumes its own run: nothing is sent twice.
      const again = await runCli(['run', fixture.jobFile], { cwd: dir, env: ENV });
      expect(again.stdout).toContain('this session: 0 done, 0 rejected, 0 uncertain, 200 skipped');
      expect(storedEntries(sim).size).toBe(200);
    },
    120_000,
  );

  it('drops the error keys of a JSONL rejects file and checks the width of declared columns', async () => {
    const job = (source: string) => `version: 1
name: people
connection: { url: "${sim.baseUrl()}", token: abc }
source: { ${source} }
key: "{id}"
target: { update_connector: KnPerson, element: { fields: { BcCo: id } } }
`;
    await writeFile(join(dir, 'people.yaml'), job('jsonl: { path: people.jsonl }'));
    await writeFile(
      join(dir, 'fixed.jsonl'),
      '{"id":"1","name":"An","koppel_error":"bad","koppel_profit_log_reference":"ab12"}\n{"id":"2","name":"Bo"}\n',
    );
    const json = await runCli(['preview', 'people.yaml', '--input', 'fixed.jsonl'], { cwd: dir });
    expect(json.stdout.split('\n').slice(1, 3)).toEqual([
      `${join(dir, 'fixed.jsonl')}:1  {"id":"1","name":"An"}`,
      `${join(dir, 'fixed.jsonl')}:2  {"id":"2","name":"Bo"}`,
    ]);

    await writeFile(join(dir, 'csv.yaml'), job('csv: { path: people.csv, header: [id, name] }'));
    await writeFile(join(dir, 'fixed.csv'), '1,An,bad,ab12\n2,Bo\n3,Cy,x\n');
    const csv = await runCli(['preview', 'csv.yaml', '--input', 'fixed.csv'], { cwd: dir });
    expect(csv.stdout.split('\n').slice(1, 3)).toEqual([
      `${join(dir, 'fixed.csv')}:1  {"id":"1","name":"An"}`,
      `${join(dir, 'fixed.csv')}:2  {"id":"2","name":"Bo"}`,
    ]);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toBe(
      `koppel: ${join(dir, 'fixed.csv')}:3: expected 2 fields (or 4 with the rejects error columns), got 3; set \`ragged: pad\` to read missing fields as empty\n`,
    );
  }, 60_000);

  it("refuses --input of the job's own output.rejects file, which the run rewrites", async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 3 });
    await writeFile(
      fixture.jobFile,
      `${await readFile(fixture.jobFile, 'utf8')}output: { rejects: out/r.csv }\n`,
    );
    const result = await runCli(['run', fixture.jobFile, '--input', 'out/r.csv'], { cwd: dir, env: ENV });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "koppel: --input out/r.csv is this job's own rejects file (output.rejects), which the run rewrites; copy it (e.g. to fixed.csv) and pass the copy\n",
    );
  }, 60_000);
});
