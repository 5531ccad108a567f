import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTestFile, runJobTests } from '../../src/index.js';

/** A recorded metainfo of KnPerson cut down to the three fields the job maps. */
const field = (fieldId: string, label: string, values: { id: string; description: string }[] | null) => ({
  fieldId,
  primaryKey: false,
  dataType: 'string',
  label,
  mandatory: false,
  length: 80,
  decimals: 0,
  decimalFieldId: '',
  notzero: false,
  controlType: values ? 5 : 1,
  values,
});
const FIXTURE = {
  id: 'KnPerson',
  description: 'Persoon',
  name: 'KnPerson',
  fields: [
    field('BcCo', 'Nummer', null),
    field('LaNm', 'Achternaam', null),
    field('ViGe', 'Geslacht', [
      { id: 'M', description: 'Man' },
      { id: 'V', description: 'Vrouw' },
    ]),
  ],
  objects: [],
};

const JOB = `version: 1
name: people
connection: { url: "http://127.0.0.1:1/x/ProfitRestServices", token: t, language: nl-nl }
source:
  csv: { path: people.csv, delimiter: ";" }
key: "{nr}"
target:
  update_connector: KnPerson
  element:
    fields:
      BcCo: nr
      LaNm: { column: name, required: true }
      ViGe: { column: gender, codes: { m: M, f: V } }
`;

const request = (nr: string, name: string) =>
  `        - { method: POST, path: /connectors/KnPerson, body: { KnPerson: { Element: { Fields: { BcCo: ${nr}, LaNm: ${name}, ViGe: M } } } } }`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'koppel-job-test-dup-'));
  await writeFile(join(dir, 'people.yaml'), JOB);
  await mkdir(join(dir, 'fixtures'));
  await writeFile(join(dir, 'fixtures', 'KnPerson.nl-nl.json'), JSON.stringify(FIXTURE));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(text: string) {
  const file = join(dir, 'people.test.yaml');
  await writeFile(file, text);
  return runJobTests(await loadTestFile(file));
}

describe('koppel test maps through the run stage: a repeated key is rejected as the run rejects it', () => {
  const rows = `cases:
  - name: a key twice
    rows:
      - { nr: P1, name: Jansen, gender: m }
      - { nr: P2, name: Smit, gender: m }
      - { nr: P1, name: Jansen, gender: m }
    expect:
      requests:
${request('P1', 'Jansen')}
${request('P2', 'Smit')}
`;

  it('passes a case that expects the duplicate under `P1 (line N)` with the run message', async () => {
    const result = await run(
      `${rows}      rejects:
        - key: P1 (line 6)
          exact: 'duplicate key \`P1\`: first seen at line 4; keys must be unique in an input'
`,
    );
    expect(result.cases[0]).toMatchObject({ passed: true, failures: [] });
  });

  it('fails a case that expects every row to be sent', async () => {
    const result = await run(rows);
    expect(result.cases[0]?.failures).toEqual([
      'rejects differ (expected 0, got 1):\n  [0] expected no reject\n      got      P1 (line 6): "duplicate key `P1`: first seen at line 4; keys must be unique in an input"',
    ]);
  });
});
