/**
 * The CLI installs on a machine with only Node: scripts/pack-cli.ts packs the five packages, npm
 * installs the tarballs into a temporary prefix (third-party dependencies from the registry, the
 * @koppel ones from the tarballs), and the installed `koppel` runs the demo from another folder,
 * with nothing read from this checkout. One pack and one install per run (about a minute).
 * The suite's command builds first; this test packs the dist/ it finds.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGES, packCli } from '../scripts/pack-cli.js';
import { ROOT } from './helpers/cli.js';

const run = promisify(execFile);
const { version } = JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
  version: string;
};

/** The environment of a shell on the server: no source conditions, no Koppel settings of this run. */
function serverEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'NODE_OPTIONS' || name.startsWith('KOPPEL_') || name.startsWith('VITEST')) continue;
    env[name] = value;
  }
  return { ...env, HOME: home };
}

describe('the packed CLI', () => {
  let dir: string;
  let prefix: string;
  let cwd: string;
  let tarballs: string[];
  let koppel: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-install-'));
    prefix = join(dir, 'prefix');
    cwd = join(dir, 'elsewhere');
    await mkdir(cwd);
    tarballs = await packCli({ outDir: join(dir, 'packs'), build: false });
    await run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', ...tarballs],
      { cwd, env: { ...serverEnv(process.env.HOME ?? dir) }, maxBuffer: 16 * 1024 * 1024 },
    );
    koppel = async (args) => {
      try {
        const { stdout, stderr } = await run(join(prefix, 'bin/koppel'), args, { cwd, env: serverEnv(dir) });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    };
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is one tarball per package, the CLI carrying the demo jobs and the simulator its seed', async () => {
    expect(tarballs.map((file) => file.slice(file.lastIndexOf('/') + 1))).toEqual(
      PACKAGES.map((name) => `koppel-${name}-${version}.tgz`),
    );
    const modules = join(prefix, 'lib/node_modules/@koppel');
    for (const file of ['cli/demo/entries.yaml', 'cli/demo/data/entries.csv', 'afas-sim/seeds/demo.yaml'])
      expect(existsSync(join(modules, file)), file).toBe(true);
    const manifest = JSON.parse(readFileSync(join(modules, 'cli/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.values(manifest.dependencies).filter((range) => /workspace:|catalog:/.test(range))).toEqual(
      [],
    );
  });

  it('prints its version', async () => {
    const result = await koppel(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('runs the demo from another folder, reading only the installed packages', async () => {
    const result = await koppel(['demo']);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Demo finished. The rejected records are wrong on purpose');
    expect(result.stdout).toContain(
      'records: 7 done, 3 rejected (1 before sending, 2 by AFAS), 0 uncertain, 0 pending (of 10 seen)',
    );
    expect(result.stdout).toContain(
      'records: 6 done, 2 rejected (1 before sending, 1 by AFAS), 0 uncertain, 0 pending (of 8 seen)',
    );
    expect(result.stdout).toContain(
      `$ koppel run ${join(prefix, 'lib/node_modules/@koppel/cli/demo/entries.yaml')}`,
    );
    expect(result.stdout + result.stderr).not.toContain(ROOT);
  }, 120_000);
});
