/**
 * `koppel validate` of many files at once: shell-expanded paths and quoted patterns, one verdict
 * per file, a summary line, exit 1 when any file has a problem; a `*.test.yaml` is checked against
 * the test-file schema; a GetConnector field that does not exist is named at its line.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

describe('koppel validate checks many files', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-validate-files-'));
    // A job with its data, fixtures and test file, twice (one nested), and a broken copy.
    await cp(join(ROOT, 'jobs/fientries-upload'), join(dir, 'jobs/upload'), { recursive: true });
    await cp(join(ROOT, 'jobs/fientries-upload'), join(dir, 'jobs/nested/more'), { recursive: true });
    const job = await readFile(join(dir, 'jobs/upload/fientries.yaml'), 'utf8');
    await writeFile(
      join(dir, 'broken.yaml'),
      job.replace('update_connector: FiEntries', 'update_conector: FiEntries'),
    );
    const test = await readFile(join(dir, 'jobs/upload/fientries.test.yaml'), 'utf8');
    await writeFile(
      join(dir, 'jobs/upload/typo.test.yaml'),
      `job: fientries.yaml\n${test.replace('cases:', 'cases:\n  - nme: x')}`,
    );
    await mkdir(join(dir, 'jobs/.hidden'));
    await writeFile(join(dir, 'jobs/.hidden/ignored.yaml'), 'not: a job\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const validate = (...args: string[]) => runCli(['validate', ...args], { cwd: dir });

  it('expands a quoted pattern, gives one verdict per file and a summary; exit 0 when all are valid', async () => {
    const { code, stdout, stderr } = await validate('jobs/nested/**/fientries*.yaml', '--offline');
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        'jobs/nested/more/fientries.test.yaml: valid (test file, 4 cases of fientries.yaml)',
        'jobs/nested/more/fientries.yaml: valid (FiEntries, offline: checked against recorded metainfo fixtures/FiEntries.nl-nl.json in nl-nl)',
        '2 files: 2 valid, 0 with problems',
        '',
      ].join('\n'),
    );
    expect(code).toBe(0);
  }, 60_000);

  it('lists every problem of each file, a missing file in one line, and exits 1', async () => {
    const { code, stdout, stderr } = await validate(
      'broken.yaml',
      'missing.yaml',
      'jobs/upload/*.test.yaml',
      '--offline',
    );
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        `${join(dir, 'broken.yaml')}:16:1: \`target\` is missing required key \`update_connector\``,
        `${join(dir, 'broken.yaml')}:17:3: unknown key \`update_conector\` in \`target\`; did you mean \`update_connector\`?`,
        'broken.yaml: 2 problems',
        `missing.yaml: job file ${join(dir, 'missing.yaml')} does not exist; check the path`,
        'jobs/upload/fientries.test.yaml: valid (test file, 4 cases of fientries.yaml)',
        `${join(dir, 'jobs/upload/typo.test.yaml')}:4:5: \`cases.0\` is missing required key \`name\``,
        `${join(dir, 'jobs/upload/typo.test.yaml')}:4:5: \`cases.0\` is missing required key \`expect\``,
        `${join(dir, 'jobs/upload/typo.test.yaml')}:4:5: unknown key \`nme\` in \`cases.0\`; did you mean \`name\`?`,
        'jobs/upload/typo.test.yaml: 3 problems',
        '4 files: 1 valid, 3 with problems',
        '',
      ].join('\n'),
    );
    expect(code).toBe(1);
  }, 60_000);

  it('refuses a pattern that matches no file in one line (exit 2)', async () => {
    const { code, stdout, stderr } = await validate('jobs/**/*.yml');
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'koppel: jobs/**/*.yml: no file matches the pattern; check the pattern (quote it so the shell does not expand it)\n',
    );
    expect(code).toBe(2);
  }, 30_000);

  it('names a GetConnector filter field that does not exist at its line, with a did-you-mean', async () => {
    const extract = (await readFile(join(ROOT, 'jobs/extract-debtors/debtors.yaml'), 'utf8')).replace(
      'CurrencyId, op: eq',
      'CurencyId, op: eq',
    );
    await writeFile(join(dir, 'debtors.yaml'), extract);
    const { code, stdout } = await validate('debtors.yaml', '--sim');
    const line = extract.split('\n').findIndex((text) => text.includes('CurencyId')) + 1;
    const col = (extract.split('\n')[line - 1] ?? '').indexOf('CurencyId') + 1;
    expect(stdout).toBe(
      `${join(dir, 'debtors.yaml')}:${line}:${col}: filter field \`CurencyId\` is not a field of GetConnector Profit_Debtor; did you mean \`CurrencyId\`?\ndebtors.yaml: 1 problem\n`,
    );
    expect(code).toBe(1);
  }, 60_000);
});
