/**
 * Start-up of the built CLI beside a bare commander script with five commands, measured side by
 * side in one run: `koppel --help`, `koppel --version` and `koppel validate <small job> --offline`.
 * Medians and minimums of ROUNDS (default 7) alternating runs; prints each side's wall times,
 * the median CPU time (user + system, which a loaded machine moves less) and the ratios. On a Node
 * with a compile cache (22.1+) the koppel cases run with the cache warm (in koppel's own folder,
 * filled by one untimed run) and, as `(no compile cache)`, with NODE_DISABLE_COMPILE_CACHE=1.
 * dist/bin.js is the bundle (packages/cli/scripts/bundle.mjs); the `unbundled` case runs the same
 * CLI from tsc's modules beside it (dist/main.js and what it imports, as before the bundle), and
 * `KOPPEL_DEBUG=1` the bundle with its source maps on. KOPPEL_BENCH_NODE runs every case on another
 * node binary (the bare script too). Needs the build (`npx -y pnpm@10.34.8 build`).
 *
 *   npx tsx bench/cli-startup.ts [rounds]
 *   KOPPEL_BENCH_NODE=/path/to/node22 npx tsx bench/cli-startup.ts 9
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'packages/cli/dist/bin.js');
if (!existsSync(bin)) {
  process.stderr.write('bench/cli-startup: build first (npx -y pnpm@10.34.8 build)\n');
  process.exit(1);
}
const rounds = Number(process.argv[2] ?? 7);
const commander = createRequire(join(root, 'packages/cli/package.json')).resolve('commander');
const dir = mkdtempSync(join(tmpdir(), 'koppel-startup-'));
const bare = join(dir, 'bare.mjs');
writeFileSync(
  bare,
  `import { Command } from ${JSON.stringify(commander)};
const program = new Command('bare').version('1.0.0');
for (const name of ['run', 'plan', 'validate', 'submit', 'sim'])
  program.command(name).description('the ' + name + ' command').option('--limit <n>', 'a limit').action(() => {});
program.parse(process.argv);
`,
);

const node = process.env.KOPPEL_BENCH_NODE || process.execPath;
const nodeVersion = spawnSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim();
const hasCompileCache =
  spawnSync(node, ['-p', "typeof require('node:module').enableCompileCache"], {
    encoding: 'utf8',
  }).stdout.trim() === 'function';
// koppel's bin turns the cache on itself (in os.tmpdir()/node-compile-cache); the bare script has none.
const withCache = process.env;
const noCache = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' };

// Each child writes the CPU time it used (user + system) at exit: on a loaded machine that moves
// far less than the wall time, which waits for a core. The hook is loaded by every case alike.
const cpuHook = join(dir, 'cpu.mjs');
const cpuLog = join(dir, 'cpu.txt');
writeFileSync(
  cpuHook,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => { const u = process.cpuUsage(); writeFileSync(${JSON.stringify(cpuLog)}, String((u.user + u.system) / 1000)); });
`,
);
const cpuImport = ['--import', pathToFileURL(cpuHook).href];

interface Sample {
  wall: number;
  cpu: number;
}
const timed = (args: string[], env: NodeJS.ProcessEnv = withCache): Sample => {
  const start = performance.now();
  const result = spawnSync(node, [...cpuImport, ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wall = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { wall, cpu: Number(readFileSync(cpuLog, 'utf8')) };
};
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

// The CLI as tsc compiles it, one module per file and every package from its own dist/: what
// dist/bin.js did before it was a bundle (compile cache, then main.js).
const unbundled = join(dir, 'unbundled.mjs');
writeFileSync(
  unbundled,
  `import module from 'node:module';
module.enableCompileCache?.();
const { main } = await import(${JSON.stringify(pathToFileURL(join(root, 'packages/cli/dist/main.js')).href)});
process.exitCode = await main(process.argv);
`,
);
const job = ['validate', 'jobs/demo/entries.yaml', '--offline'];
const validate = [bin, ...job];
const cases: [string, string[], NodeJS.ProcessEnv?][] = [
  ['koppel --help', [bin, '--help']],
  ['koppel --version', [bin, '--version']],
  ['koppel validate (small job, --offline)', validate],
  ...(hasCompileCache
    ? ([
        ['koppel --help (no compile cache)', [bin, '--help'], noCache],
        ['koppel validate (no compile cache)', validate, noCache],
      ] as [string, string[], NodeJS.ProcessEnv][])
    : []),
  ['koppel validate, unbundled', [unbundled, ...job]],
  ['koppel validate, KOPPEL_DEBUG=1', validate, { ...withCache, KOPPEL_DEBUG: '1' }],
];
// Fills the compile cache (a no-op on Node 20), so the timed runs are those of a user's second call.
for (const [, args] of cases) timed(args);
const times = new Map<string, Sample[]>([
  ['bare commander --help', []],
  ...cases.map(([name]) => [name, []] as [string, Sample[]]),
]);
for (let round = 0; round < rounds; round++) {
  times.get('bare commander --help')?.push(timed([bare, '--help']));
  for (const [name, args, env] of cases) times.get(name)?.push(timed(args, env));
}
rmSync(dir, { recursive: true, force: true });

// The minimum is what start-up costs when nothing else competes for the CPU; the median moves
// with the machine's load (each ratio is against the bare script's own median, minimum or CPU).
const of = (name: string, pick: (sample: Sample) => number) => (times.get(name) ?? []).map(pick);
const bareName = 'bare commander --help';
const base = median(of(bareName, (s) => s.wall));
const baseMin = Math.min(...of(bareName, (s) => s.wall));
const baseCpu = median(of(bareName, (s) => s.cpu));
process.stdout.write(
  `node ${nodeVersion} (compile cache ${hasCompileCache ? 'on' : 'not in this Node'}), ${rounds} alternating rounds, load ${os.loadavg()[0]?.toFixed(1)}\n`,
);
process.stdout.write(`${''.padEnd(42)}   wall median     wall minimum    CPU median\n`);
const cell = (ms: number, ratio: number) => `${ms.toFixed(0).padStart(5)} ms ${ratio.toFixed(2)}x`;
for (const name of times.keys()) {
  const ms = median(of(name, (s) => s.wall));
  const min = Math.min(...of(name, (s) => s.wall));
  const cpu = median(of(name, (s) => s.cpu));
  process.stdout.write(
    `${name.padEnd(42)} ${cell(ms, ms / base)}   ${cell(min, min / baseMin)}   ${cell(cpu, cpu / baseCpu)}\n`,
  );
}
