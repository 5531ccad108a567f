import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../packages/cli/src/commands/index.js';
import { ROOT, runCli } from './helpers/cli.js';

const require = createRequire(import.meta.url);
const TSX = pathToFileURL(require.resolve('tsx/esm')).href;
const BIN = join(ROOT, 'packages/cli/src/bin.ts');
const dir = mkdtempSync(join(tmpdir(), 'koppel-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * What node reads while running `script args` with `nodeArgs` before it: the files it loads and
 * the package specifiers it resolves (relative, absolute and node: ones aside), through a
 * module hook that logs both.
 */
function loadsOf(nodeArgs: readonly string[], script: string, args: readonly string[]) {
  const log = join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (!/^(\\.|node:|file:|\\/)/.test(specifier)) appendFileSync(${JSON.stringify(log)}, 'package ' + specifier + '\\n');
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, 'file ' + url + '\\n');
  return next(url, context);
}
`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, '');
  const result = spawnSync(
    process.execPath,
    [...nodeArgs, '--import', pathToFileURL(register).href, script, ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KOPPEL_STATE_DIR: join(dir, 'state') } },
  );
  expect(result.status, result.stderr).toBe(0);
  const lines = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  const of = (kind: string) =>
    lines.filter((line) => line.startsWith(`${kind} `)).map((line) => line.slice(kind.length + 1));
  return { files: of('file').filter((url) => url !== pathToFileURL(register).href), packages: of('package') };
}

/** The package specifiers the CLI's sources (bin.ts under tsx) resolve while running `args`. */
const importsOf = (args: readonly string[]): string[] =>
  loadsOf(['--conditions=@koppel/source', '--import', TSX], BIN, args).packages;

/** What the built CLI (dist/bin.js, the bundle of packages/cli/scripts/bundle.mjs) reads while running `args`. */
const bundleLoadsOf = (args: readonly string[]) => loadsOf([], join(ROOT, 'packages/cli/dist/bin.js'), args);

describe('the built CLI, one bundle with a chunk per command', () => {
  const dist = pathToFileURL(join(ROOT, 'packages/cli/dist/')).href;

  it('`koppel --help` reads the entry, commander and the command table: no package, no other command', () => {
    const { files, packages } = bundleLoadsOf(['--help']);
    expect(packages).toEqual([]);
    for (const file of files) expect(file.startsWith(dist), file).toBe(true);
    expect(files.some((file) => /\/validate-[A-Z0-9]+\.js$/.test(file))).toBe(false);
    expect(files.length).toBeLessThanOrEqual(6);
  });

  it('`koppel validate --offline` of a small job reads about ten chunks of dist/ and resolves no package', () => {
    const { files, packages } = bundleLoadsOf(['validate', 'jobs/demo/entries.yaml', '--offline']);
    // yaml, commander and @koppel/* are inside the chunks; BullMQ, Redis, LMDB, express, the
    // simulator, jsonata and iconv-lite stay packages of their own, none needed offline.
    expect(packages).toEqual([]);
    for (const file of files) expect(file.startsWith(dist), file).toBe(true);
    expect(files.some((file) => /\/validate-[A-Z0-9]+\.js$/.test(file))).toBe(true);
    for (const command of ['run', 'plan', 'submit', 'worker', 'dashboard', 'sim'])
      expect(
        files.some((file) => new RegExp(`/${command}-[A-Z0-9]+\\.js$`).test(file)),
        command,
      ).toBe(false);
    expect(files.length).toBeLessThanOrEqual(14);
  });
});

describe('koppel start-up', () => {
  it('`koppel --help` loads commander and no other package', () => {
    const imported = importsOf(['--help']).filter((name) => !name.startsWith('tsx'));
    expect(imported).toEqual(['commander']);
  });

  it('`koppel validate --help` loads the validate command, never BullMQ, Redis, express or the simulator', () => {
    const imported = importsOf(['validate', '--help']);
    expect(imported).toContain('@koppel/core/job');
    for (const heavy of ['bullmq', 'ioredis', 'express', '@koppel/afas-sim', '@koppel/runner/bullmq'])
      expect(imported).not.toContain(heavy);
  });

  it('`koppel validate --offline` of a small CSV job loads the job entry of core, no schema compiler and no optional parser', () => {
    const imported = importsOf(['validate', 'jobs/demo/entries.yaml', '--offline']);
    // @koppel/core/job: the job loader, schema validator and mapping compiler, not the pipeline,
    // ledger, outputs and job-test runner of the main entry (half of core's modules, node:crypto).
    expect(imported).toContain('@koppel/core/job');
    expect(imported).not.toContain('@koppel/core');
    // ajv's runtime helpers serve the precompiled validators; `ajv` itself would compile schemas.
    // Nor @koppel/afas and the runner: offline, nothing talks to AFAS.
    for (const heavy of [
      '@koppel/afas',
      '@koppel/runner',
      'ajv',
      'csv-parse',
      'iconv-lite',
      'jsonata',
      'lmdb',
      'p-queue',
    ])
      expect(imported).not.toContain(heavy);
  });

  it('every command in the table loads and shows the table description in its own help', async () => {
    const list = await runCli(['--help'], { cwd: ROOT });
    expect(list.code).toBe(0);
    for (const entry of commands) {
      expect(list.stdout).toContain(entry.name);
      const help = await runCli([entry.name, '--help'], { cwd: ROOT });
      expect(help.code, `${entry.name}: ${help.stderr}`).toBe(0);
      expect(help.stdout.replace(/\s+/g, ' ')).toContain(entry.description.replace(/\s+/g, ' '));
      expect(help.stdout).toMatch(new RegExp(`Usage: koppel ${entry.name}`));
    }
  }, 120_000);

  it('`koppel --version` prints the CLI package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    };
    const result = await runCli(['--version'], { cwd: ROOT });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});
