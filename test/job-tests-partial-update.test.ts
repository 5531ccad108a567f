/**
 * `koppel test`: partial expectations (`match: partial`), one line with the path of each
 * difference, and `--update` rewriting the expectations in place (comments and the rest of the
 * file kept). Runs on a copy of jobs/persons-sync with its recorded metainfo fixtures.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

let dir: string;
let original: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'koppel-job-tests-'));
  await cp(join(ROOT, 'jobs/persons-sync'), dir, { recursive: true });
  original = await readFile(join(dir, 'persons.test.yaml'), 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ANNA = `    rows:
      - { person_no: P1, first_name: Anna, last_name: Vries, gender: female, mobile: "0612345678", street: Markt, city: Haarlem }
`;

const partial = (lastName: string, city: string): string => `# the person number and the names only
cases:
  - name: only the fields named are compared
${ANNA}    expect:
      match: partial
      requests:
        - method: POST
          path: /connectors/KnPerson
          body:
            KnPerson:
              Element:
                Fields: { BcCo: P1, LaNm: ${lastName} } # the rest of the fields is not compared
                Objects:
                  KnBasicAddressAdr: { Element: { Fields: { Rs: ${city} } } }
`;

describe('koppel test: partial expectations and the path of each difference', () => {
  it('passes when the named fields match and lists each named field that differs, nothing else', async () => {
    await writeFile(
      join(dir, 'partial.test.yaml'),
      partial('Vries', 'Haarlem').replace('cases:', 'job: persons.yaml\ncases:'),
    );
    const passed = await runCli(['test', 'partial.test.yaml'], { cwd: dir });
    expect(passed.stdout).toContain('1 passed, 0 failed');
    expect(passed.code).toBe(0);

    await writeFile(
      join(dir, 'partial.test.yaml'),
      partial('Jansen', 'Leiden').replace('cases:', 'job: persons.yaml\ncases:'),
    );
    const failed = await runCli(['test', 'partial.test.yaml'], { cwd: dir });
    expect(failed.code).toBe(1);
    const lines = failed.stdout.split('\n').filter((line) => line.includes('requests differ at'));
    expect(lines.map((line) => line.trim())).toEqual([
      'requests differ at $[0].body.KnPerson.Element.Fields.LaNm: expected "Jansen", got "Vries"',
      'requests differ at $[0].body.KnPerson.Element.Objects.KnBasicAddressAdr.Element.Fields.Rs: expected "Leiden", got "Haarlem"',
    ]);
    // the diff shows only the named fields
    expect(failed.stdout).toContain('-            "LaNm": "Jansen"');
    expect(failed.stdout).toContain('+            "LaNm": "Vries"');
    expect(failed.stdout).not.toContain('"FiNm"');
    expect(failed.stdout.endsWith('0 passed, 1 failed\n')).toBe(true);
  });

  it('an exact case lists every differing path, an extra field included', async () => {
    const text = original
      .replace('        first_name: Anna\n', '        first_name: Annie\n')
      .replace('                  FiNm: Anna\n', '                  FiNm: Anna\n')
      .replace('                  MbNr: "0612345678"\n', '');
    await writeFile(join(dir, 'persons.test.yaml'), text);
    const failed = await runCli(['test', 'persons.test.yaml'], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(
      failed.stdout
        .split('\n')
        .filter((line) => line.includes('requests differ at'))
        .map((line) => line.trim()),
    ).toEqual([
      'requests differ at $[0].body.KnPerson.Element.Fields.FiNm: expected "Anna", got "Annie"',
      'requests differ at $[0].body.KnPerson.Element.Fields.MbNr: not expected, got "0612345678"',
    ]);
    await writeFile(join(dir, 'persons.test.yaml'), original);
  });
});

describe('koppel test --update', () => {
  it('rewrites only the values that changed, keeps comments and the rest of the file, and prints what changed', async () => {
    const file = join(dir, 'persons.test.yaml');
    // Three stale expectations: two changed values, a reject message that no longer matches.
    const stale = original
      .replace('                  LaNm: Vries\n', '                  LaNm: Visser # was renamed\n')
      .replace('                  DaBi: "1984-03-12"\n', '                  DaBi: "1999-01-01"\n')
      .replace(
        '          message: Achternaam (KnPerson.LaNm) is required but empty',
        '          message: Voornaam is required',
      );
    expect(stale).not.toBe(original);
    await writeFile(file, stale);

    const updated = await runCli(['test', 'persons.test.yaml', '--update'], { cwd: dir });
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain(
      'UPD  a person with an address becomes one KnPerson with KnBasicAddressAdr (persons.test.yaml:4)',
    );
    expect(updated.stdout).toContain(
      'requests differ at $[0].body.KnPerson.Element.Fields.LaNm: expected "Visser", got "Vries"',
    );
    expect(updated.stdout).toContain(
      'requests differ at $[0].body.KnPerson.Element.Fields.DaBi: expected "1999-01-01", got "1984-03-12"',
    );
    expect(updated.stdout).toContain(
      'UPD  an unknown gender and a missing last name are rejected before sending',
    );
    expect(updated.stdout).toContain('expected P4: message containing "Voornaam is required"');
    expect(updated.stdout.endsWith('2 passed, 0 failed, 2 updated\n')).toBe(true);

    const text = await readFile(file, 'utf8');
    // Everything else as written: only the stale values changed, quotes and the comment on LaNm stay.
    expect(text).toBe(
      original
        .replace('                  LaNm: Vries\n', '                  LaNm: Vries # was renamed\n')
        .replace(
          '          message: Achternaam (KnPerson.LaNm) is required but empty',
          '          exact: "record P4: persons.test.yaml:115: Achternaam (KnPerson.LaNm) is required but empty"',
        ),
    );
    const again = await runCli(['test', 'persons.test.yaml'], { cwd: dir });
    expect(again.stdout.endsWith('4 passed, 0 failed\n')).toBe(true);
    expect(again.code).toBe(0);
  });

  it('keeps a partial case partial: only the fields it names get the new values', async () => {
    const file = join(dir, 'partial.test.yaml');
    await writeFile(file, partial('Jansen', 'Leiden').replace('cases:', 'job: persons.yaml\ncases:'));
    const updated = await runCli(['test', 'partial.test.yaml', '--update'], { cwd: dir });
    expect(updated.stdout.endsWith('0 passed, 0 failed, 1 updated\n')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(
      partial('Vries', 'Haarlem').replace('cases:', 'job: persons.yaml\ncases:'),
    );
  });

  it('fills in a new case written with `expect: {}`, as block YAML that then passes', async () => {
    const file = join(dir, 'new.test.yaml');
    await writeFile(
      file,
      `job: persons.yaml
cases:
  - name: a new case # no expectation yet
${ANNA}    expect: {}
`,
    );
    const updated = await runCli(['test', 'new.test.yaml', '--update'], { cwd: dir });
    expect(updated.stdout).toContain('requests differ at $: expected 0 item(s), got 1');
    expect(updated.stdout.endsWith('0 passed, 0 failed, 1 updated\n')).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(text).toContain(
      '  - name: a new case # no expectation yet\n' +
        ANNA +
        '    expect:\n      requests:\n        - method: POST\n          path: /connectors/KnPerson\n          body:\n',
    );
    expect(text).toContain('                  LaNm: Vries\n');
    const again = await runCli(['test', 'new.test.yaml'], { cwd: dir });
    expect(again.stdout.endsWith('1 passed, 0 failed\n')).toBe(true);
  });
});
