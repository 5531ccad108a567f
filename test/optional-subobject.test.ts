/**
 * `optional: true` on a sub-object: a person whose address columns are all empty is stored
 * without an address; a partial address is still sent and refused by AFAS. Plan, test and run
 * show the same payload (one mapping path).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

let sim: Simulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'koppel-optional-'));
  await writeFile(
    join(dir, 'persons.csv'),
    [
      'person_no,last_name,street,house_no,postcode,city,country',
      'P1,Vries,Keizersgracht,12,1015 CS,Amsterdam,NL',
      'P2,Jansen, ,,,NULL,', // every address column empty: blank after trim, missing, a null string
      'P3,Smit,Dorpsstraat,,,,', // a partial address: sent, and AFAS refuses it
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => sim.control.reset());

const job = (optional: string): string => `version: 1
name: address-${optional ? 'optional' : 'always'}
connection: { url: "${sim.baseUrl()}", token: ${DEMO_TOKEN}, language: nl-nl }
source:
  csv: { path: persons.csv, null_strings: ["NULL"] }
key: "{person_no}"
target:
  update_connector: KnPerson
  element:
    fields:
      MatchPer: { const: "0" }
      AutoNum: false
      PadAdr: true
      AddToPortal: false
      BcCo: person_no
      LaNm: last_name
      ViGe: { const: "O" }
    objects:
      KnBasicAddressAdr:
${optional}        fields:
          CoId: { column: country, default: NL, codes: { by: iso-country } }
          PbAd: false
          ResZip: false
          BeginDate: { const: "2024-01-01" }
          Ad: street
          HmNr: { column: house_no, type: int }
          ZpCd: postcode
          Rs: city
run: { batch: 1 }
`;

const ENV = { KOPPEL_VERIFY_DELAY_MS: '0' };

const stored = (table: string): Record<string, unknown>[] =>
  sim.control
    .journal({ connector: 'KnPerson', table })
    .filter((entry) => entry.action === 'insert')
    .map((entry) => entry.row as Record<string, unknown>);

async function run(file: string): Promise<{ code: number | null; rejects: string }> {
  const result = await runCli(['run', file, '--new-run', '--log-format', 'json'], { cwd: dir, env: ENV });
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
    files: { rejects: string };
  };
  return { code: result.code, rejects: await readFile(report.files.rejects, 'utf8') };
}

describe('optional sub-objects', () => {
  it('koppel run stores a person whose address columns are all empty without an address; a partial address is refused by AFAS', async () => {
    await writeFile(join(dir, 'optional.yaml'), job('        optional: true\n'));
    const { code, rejects } = await run('optional.yaml');
    expect(code).toBe(2);
    expect(stored('persons').map((row) => row.BcCo)).toEqual(['P1', 'P2']);
    expect(stored('addresses').map((row) => row.Recidence)).toEqual(['Amsterdam']);
    const lines = rejects.trim().split('\n').slice(1); // the header first
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^P3,Smit,.*Een onvolledig adres mag niet geïmporteerd worden\./);
  }, 60_000);

  it('without optional the empty address is sent and refused too', async () => {
    await writeFile(join(dir, 'always.yaml'), job(''));
    const { code, rejects } = await run('always.yaml');
    expect(code).toBe(2);
    expect(stored('persons').map((row) => row.BcCo)).toEqual(['P1']);
    const lines = rejects.trim().split('\n').slice(1);
    expect(lines.map((line) => line.split(',')[0])).toEqual(['P2', 'P3']);
    expect(lines.every((line) => line.includes('Een onvolledig adres'))).toBe(true);
  }, 60_000);

  it('koppel plan and koppel test show the person without Objects', async () => {
    await writeFile(join(dir, 'optional.yaml'), job('        optional: true\n'));
    const plan = await runCli(['plan', 'optional.yaml'], { cwd: dir });
    expect(plan.code).toBe(0);
    const p2 = plan.stdout.split('POST /connectors/KnPerson  # ')[2] ?? '';
    expect(p2.startsWith('P2\n')).toBe(true);
    expect(p2).not.toContain('Objects');
    expect(plan.stdout.split('"Objects"')).toHaveLength(3); // P1 and P3

    await writeFile(
      join(dir, 'optional.test.yaml'),
      `cases:
  - name: an empty address is left out
    rows:
      - { person_no: P2, last_name: Jansen, street: " ", house_no: "", postcode: "", city: "", country: "" }
    expect:
      requests:
        - method: POST
          path: /connectors/KnPerson
          body:
            KnPerson:
              Element:
                Fields: { MatchPer: "0", AutoNum: false, PadAdr: true, AddToPortal: false, BcCo: P2, LaNm: Jansen, ViGe: O }
`,
    );
    const test = await runCli(['test', 'optional.test.yaml', '--sim'], { cwd: dir });
    expect(test.stdout).toContain('1 passed, 0 failed');
    expect(test.code).toBe(0);
  }, 60_000);

  it('koppel validate refuses optional on a sub-object of constants only', async () => {
    await writeFile(
      join(dir, 'constants.yaml'),
      job('        optional: true\n')
        .replace(/ {10}CoId:.*\n/, '')
        .replace(/ {10}Ad: street\n[\s\S]*?Rs: city\n/, ''),
    );
    const validate = await runCli(['validate', 'constants.yaml', '--offline'], { cwd: dir });
    expect(validate.stdout).toContain(
      'constants.yaml:20:19: optional sub-object KnBasicAddressAdr reads no column (only constants), so it would always be left out; map a column or remove `optional`',
    );
    expect(validate.code).toBe(1);
  }, 30_000);
});
