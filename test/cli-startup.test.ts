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
 * The package specifiers the CLI imports while running `args`, from a resolve hook (module.register)
 * that appends each one to a file.
 */
function importsOf(args: readonly string[]): string[] {
  const log = join(dir, `imports-${Math.random().toString(36).slice(2)}.txt`);
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (!specifier.startsWith('.') && !specifier.startsWith('node:') && !specifier.startsWith('file:'))
    appendFileSync(${JSON.stringify(log)}, specifier + '\\n');
  return next(specifier, context);
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
    ['--conditions=@koppel/source', '--import', TSX, '--import', pathToFileURL(register).href, BIN, ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KOPPEL_STATE_DIR: join(dir, 'state') } },
  );
  expect(result.status, result.stderr).toBe(0);
  return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
}

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
      'stream-json/Parser.js',
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
