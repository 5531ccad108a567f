/**
 * Packs the koppel CLI for a server that has only Node: builds the five packages, packs each with
 * pnpm (which turns `workspace:*` and `catalog:` into real versions) into one folder, and adds
 * the demo jobs (jobs/demo/) to the CLI's tarball, so `koppel demo` runs from the installed
 * package. Install every tarball on one command line, so npm takes the @koppel/* dependencies
 * from them and only the third-party ones from the registry:
 *
 *   npx tsx scripts/pack-cli.ts [out-dir] [--no-build]  # default out-dir: dist/packages
 *   npm install -g ./dist/packages/*.tgz               # or --prefix DIR; then: koppel demo
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The packages the CLI needs at run time, dependencies first. */
export const PACKAGES = ['core', 'afas', 'afas-sim', 'runner', 'cli'] as const;

export interface PackCliOptions {
  /** Folder the tarballs are written to (created; earlier koppel tarballs in it are replaced). */
  outDir: string;
  /** Build the packages first (turbo, cached); default true. Without it, dist/ must be built. */
  build?: boolean;
}

/** Packs the five packages; returns the tarballs' absolute paths, the CLI's last. */
export async function packCli(options: PackCliOptions): Promise<string[]> {
  const outDir = resolve(options.outDir);
  const pnpmVersion = await rootPnpmVersion();
  const pnpm = (args: string[], cwd: string) =>
    run('npx', ['-y', `pnpm@${pnpmVersion}`, ...args], { cwd, maxBuffer: 16 * 1024 * 1024 });
  if (options.build !== false)
    await pnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], ROOT);
  for (const name of PACKAGES) {
    if (!existsSync(join(ROOT, 'packages', name, 'dist/index.js')))
      throw new Error(
        `packages/${name} is not built (no dist/index.js): build first, or pack without --no-build`,
      );
  }
  await mkdir(outDir, { recursive: true });
  for (const name of await readdir(outDir))
    if (/^koppel-.*\.tgz$/.test(name)) await rm(join(outDir, name), { force: true });
  const staging = await mkdtemp(join(tmpdir(), 'koppel-pack-'));
  try {
    const tarballs: string[] = [];
    for (const name of PACKAGES) {
      const destination = name === 'cli' ? staging : outDir;
      const { stdout } = await pnpm(
        ['pack', '--pack-destination', destination],
        join(ROOT, 'packages', name),
      );
      const tarball = stdout.trim().split('\n').at(-1)?.trim() ?? '';
      if (!tarball.endsWith('.tgz'))
        throw new Error(`pnpm pack of packages/${name} printed no tarball: ${stdout}`);
      tarballs.push(name === 'cli' ? await withDemo(tarball, staging, outDir) : tarball);
    }
    return tarballs;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Repacks the CLI's tarball with jobs/demo/ as `demo/` (its `files` list it); returns the new path. */
async function withDemo(tarball: string, staging: string, outDir: string): Promise<string> {
  const unpacked = join(staging, 'unpacked');
  await mkdir(unpacked, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', unpacked]);
  await cp(join(ROOT, 'jobs/demo'), join(unpacked, 'package/demo'), { recursive: true });
  const { stdout } = await run('npm', ['pack', '--pack-destination', outDir, join(unpacked, 'package')], {
    cwd: staging,
  });
  return join(outDir, stdout.trim().split('\n').at(-1)?.trim() ?? '');
}

async function rootPnpmVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  return manifest.packageManager.split('@')[1] ?? '10';
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const outDir = args.find((arg) => !arg.startsWith('--')) ?? 'dist/packages';
  try {
    const tarballs = await packCli({ outDir, build: !args.includes('--no-build') });
    const shown = (file: string) => (isAbsolute(outDir) ? file : `./${relative(process.cwd(), file)}`);
    process.stdout.write(
      `${tarballs.join('\n')}\ninstall: npm install -g ${tarballs.map(shown).join(' ')}\n`,
    );
  } catch (error) {
    const { message, stdout, stderr } = error as { message: string; stdout?: string; stderr?: string };
    process.stderr.write(`pack-cli: ${[message, stdout, stderr].filter(Boolean).join('\n').trim()}\n`);
    process.exitCode = 1;
  }
}
