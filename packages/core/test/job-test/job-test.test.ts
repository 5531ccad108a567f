import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @koppel/afas depends on core; its metainfo provider (the one AFAS HTTP client) is imported from source.
import { afasMetainfoProvider } from '../../../afas/src/index.js';
import {
  formatTestResults,
  JobInvalidError,
  loadTestFile,
  parseTestFile,
  runJobTests,
} from '../../src/index.js';

const FIXTURE = new URL('../../../../jobs/persons-sync/fixtures/KnPerson.nl-nl.json', import.meta.url);
const DEMO_TOKEN = 'cbf5071c07a22081e969fb9dddae0789b5f67b65674c465c8134e9f12fdb3e77';

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

const PASSING = `cases:
  - name: one person
    rows:
      - { nr: P1, name: Jansen, gender: m }
    expect:
      requests:
        - method: POST
          path: /connectors/KnPerson
          body: { KnPerson: { Element: { Fields: { BcCo: P1, LaNm: Jansen, ViGe: M } } } }
`;

/**
 * The recorded KnPerson metainfo with only the fields this job maps left mandatory: the cases
 * are about test files, not about a complete person (AFAS marks PadAdr, AutoNum, … mandatory).
 */
async function mappedOnly(): Promise<{ fields: { fieldId: string; mandatory: boolean }[] }> {
  const metainfo = JSON.parse(await readFile(FIXTURE, 'utf8'));
  for (const field of metainfo.fields)
    if (!['BcCo', 'LaNm', 'ViGe'].includes(field.fieldId)) field.mandatory = false;
  return metainfo;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'koppel-job-test-'));
  await writeFile(join(dir, 'people.yaml'), JOB);
  await mkdir(join(dir, 'fixtures'));
  await writeFile(join(dir, 'fixtures', 'KnPerson.nl-nl.json'), JSON.stringify(await mappedOnly()));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(text: string) {
  const file = join(dir, 'people.test.yaml');
  await writeFile(file, text);
  return runJobTests(await loadTestFile(file));
}

describe('runJobTests', () => {
  it('passes a case whose requests match exactly', async () => {
    const result = await run(PASSING);
    expect(result.cases).toEqual([{ name: 'one person', line: 2, passed: true, failures: [] }]);
    expect(formatTestResults([result], dir)).toBe(
      'people.test.yaml\n  ok   one person\n1 passed, 0 failed\n',
    );
  });

  it('fails a case whose payload differs, with the path of the first difference and a unified diff', async () => {
    const result = await run(PASSING.replace('ViGe: M', 'ViGe: V'));
    expect(result.cases[0]?.passed).toBe(false);
    expect(result.cases[0]?.failures).toEqual([
      [
        'requests differ at $[0].body.KnPerson.Element.Fields.ViGe: expected "V", got "M"',
        '--- expected',
        '+++ actual',
        '@@ -8,7 +8,7 @@',
        '           "Fields": {',
        '             "BcCo": "P1",',
        '             "LaNm": "Jansen",',
        '-            "ViGe": "V"',
        '+            "ViGe": "M"',
        '           }',
        '         }',
        '       }',
      ].join('\n'),
    ]);
    expect(formatTestResults([result], dir)).toContain(
      '  FAIL one person (people.test.yaml:2)\n        requests differ at $[0].body.KnPerson.Element.Fields.ViGe',
    );
    expect(formatTestResults([result], dir).endsWith('0 passed, 1 failed\n')).toBe(true);
  });

  it('reports a request that was expected but not produced', async () => {
    const result = await run(`${PASSING}        - { method: POST, path: /connectors/KnPerson, body: {} }\n`);
    expect(result.cases[0]?.failures[0]?.split('\n')[0]).toBe(
      'requests differ at $: expected 2 item(s), got 1',
    );
  });

  it('checks rejects by key and message part, and by exact message', async () => {
    const rows = `cases:
  - name: bad rows
    rows:
      - { nr: P2, name: "", gender: m }
      - { nr: P3, name: Smit, gender: x }
    expect:
      rejects:
        - { key: P2, message: Achternaam (KnPerson.LaNm) is required but empty }
        - key: P3
          exact: 'record P3: people.test.yaml:5: Geslacht (KnPerson.ViGe): "x" is not an allowed value; allowed: M (Man), O (Onbekend), V (Vrouw), X (Non-binair)'
`;
    expect((await run(rows)).cases[0]).toMatchObject({ passed: true });
    const wrong = await run(rows.replace('key: P3', 'key: P4').replace('is required', 'is mandatory'));
    expect(wrong.cases[0]?.failures).toEqual([
      [
        'rejects differ (expected 2, got 2):',
        '  [0] expected P2: message containing "Achternaam (KnPerson.LaNm) is mandatory but empty"',
        '      got      P2: "record P2: people.test.yaml:4: Achternaam (KnPerson.LaNm) is required but empty"',
        '  [1] expected P4: exactly "record P3: people.test.yaml:5: Geslacht (KnPerson.ViGe): \\"x\\" is not an allowed value; allowed: M (Man), O (Onbekend), V (Vrouw), X (Non-binair)"',
        '      got      P3: "record P3: people.test.yaml:5: Geslacht (KnPerson.ViGe): \\"x\\" is not an allowed value; allowed: M (Man), O (Onbekend), V (Vrouw), X (Non-binair)"',
      ].join('\n'),
    ]);
  });

  it('fails a case that expects no rejects when a record is rejected', async () => {
    const result = await run(PASSING.replace('gender: m }', 'gender: q }'));
    expect(result.cases[0]?.failures.at(-1)).toBe(
      'rejects differ (expected 0, got 1):\n  [0] expected no reject\n      got      P1: "record P1: people.test.yaml:4: Geslacht (KnPerson.ViGe): \\"q\\" is not an allowed value; allowed: M (Man), O (Onbekend), V (Vrouw), X (Non-binair)"',
    );
  });

  it('reads a file input with the job source options', async () => {
    await writeFile(join(dir, 'sample.csv'), 'nr;name;gender\nP7;de Wit;f\n');
    const result = await run(`cases:
  - name: from a file
    file: sample.csv
    expect:
      requests:
        - { method: POST, path: /connectors/KnPerson, body: { KnPerson: { Element: { Fields: { BcCo: P7, LaNm: de Wit, ViGe: V } } } } }
`);
    expect(result.cases[0]).toMatchObject({ passed: true });
  });

  it('fails a file case whose header lacks a column the job reads, naming the job line', async () => {
    await writeFile(join(dir, 'sample.csv'), 'nr;naam;gender\nP7;de Wit;f\n');
    const result = await run(`cases:
  - name: from a file
    file: sample.csv
    expect: {}
`);
    expect(result.cases[0]?.failures).toEqual([
      `the input cannot be mapped: ${join(dir, 'people.yaml')}:12:13: column \`name\` is not in sample.csv; its columns: nr, naam, gender`,
    ]);
  });

  it('fails every case with advice when the recorded metainfo is missing', async () => {
    const result = await run(PASSING.replace('cases:', 'language: fr-fr\ncases:'));
    expect(result.cases[0]?.failures[0]).toMatch(
      /^no recorded metainfo for KnPerson in fr-fr at .*fixtures\/KnPerson\.fr-fr\.json \(ENOENT\); record it with `koppel test --record --sim`/,
    );
  });

  it('records fixtures from a simulator with record: true', async () => {
    const sim = await startSimulator({ port: 0 });
    try {
      const file = join(dir, 'people.test.yaml');
      await writeFile(
        file,
        PASSING.replace('cases:', 'language: fr-fr\ncases:').replace('method: POST', 'method: PUT'),
      );
      const metainfo = afasMetainfoProvider({ baseUrl: sim.baseUrl(), language: 'nl-nl', token: DEMO_TOKEN });
      // An update: AFAS's mandatory fields of an insert (PadAdr, AutoNum, …) do not apply.
      await writeFile(
        join(dir, 'people.yaml'),
        JOB.replace('update_connector: KnPerson', 'update_connector: KnPerson\n  method: update'),
      );
      const result = await runJobTests(await loadTestFile(file), { metainfo, record: true });
      expect(result.cases[0]).toMatchObject({ passed: true });
      const recorded = JSON.parse(await readFile(join(dir, 'fixtures', 'KnPerson.fr-fr.json'), 'utf8'));
      expect(recorded.fields.find((f: { fieldId: string }) => f.fieldId === 'LaNm').label).toBe('Nom');
      expect((await runJobTests(await loadTestFile(file))).cases[0]).toMatchObject({ passed: true });
    } finally {
      await sim.close();
    }
  });
});

describe('parseTestFile', () => {
  const problems = (text: string): string[] => {
    try {
      parseTestFile('/x/people.test.yaml', text);
    } catch (error) {
      if (error instanceof JobInvalidError)
        return error.message.split('\n').filter((line) => line.startsWith('/x'));
      throw error;
    }
    return [];
  };

  it('names file:line:col for every problem of a malformed test file', () => {
    expect(
      problems(`cases:
  - name: typo
    rowz: []
    expect:
      requests:
        - { method: GET, path: /connectors/KnPerson }
      rejects:
        - { message: no key }
`),
    ).toEqual([
      '/x/people.test.yaml:3:5: unknown key `rowz` in `cases.0`; did you mean `rows`?',
      '/x/people.test.yaml:6:21: `cases.0.expect.requests.0.method` must be one of POST, PUT, DELETE, got `GET`',
      '/x/people.test.yaml:8:11: `cases.0.expect.rejects.0` is missing required key `key`',
    ]);
  });

  it('reports a case without input at the case', () => {
    expect(problems('cases:\n  - name: empty\n    expect: {}\n')).toEqual([
      '/x/people.test.yaml:2:5: case `empty` needs exactly one of rows or file, got neither',
    ]);
  });

  it('reports invalid YAML at its position', () => {
    expect(() => parseTestFile('/x/people.test.yaml', 'cases:\n  - name: [unclosed\n')).toThrow(
      /^\/x\/people\.test\.yaml:\d+:\d+: invalid YAML/,
    );
  });

  it('defaults the job to the file name without .test and the fixtures to fixtures/', () => {
    const test = parseTestFile('/x/people.test.yaml', PASSING);
    expect(test.job).toBe('/x/people.yaml');
    expect(test.metainfo).toBe('/x/fixtures/{connector}.{language}.json');
    expect(test.cases[0]?.rows).toEqual([{ fields: { nr: 'P1', name: 'Jansen', gender: 'm' }, line: 4 }]);
  });
});
