/**
 * Start-up of the built CLI beside a bare commander script with five commands, measured side by
 * side in one run: `koppel --help`, `koppel --version` and `koppel validate <small job> --offline`.
 * Medians and minimums of ROUNDS (default 7) alternating runs; prints each side's wall times and
 * the ratios. Needs the build (`npx -y pnpm@10.34.8 build`).
 *
 *   npx tsx bench/cli-startup.ts [rounds]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

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

const timed = (args: string[]): number => {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
};
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const cases: [string, string[]][] = [
  ['koppel --help', [bin, '--help']],
  ['koppel --version', [bin, '--version']],
  ['koppel validate (small job, --offline)', [bin, 'validate', 'jobs/demo/entries.yaml', '--offline']],
];
const times = new Map<string, number[]>([
  ['bare commander --help', []],
  ...cases.map(([name]) => [name, []] as [string, number[]]),
]);
for (let round = 0; round < rounds; round++) {
  times.get('bare commander --help')?.push(timed([bare, '--help']));
  for (const [name, args] of cases) times.get(name)?.push(timed(args));
}
rmSync(dir, { recursive: true, force: true });

// The minimum is what start-up costs when nothing else competes for the CPU; the median moves
// with the machine's load (both ratios are printed, each against the bare script's own).
const base = median(times.get('bare commander --help') ?? []);
const baseMin = Math.min(...(times.get('bare commander --help') ?? []));
process.stdout.write(
  `node ${process.version}, ${rounds} alternating rounds, load ${os.loadavg()[0]?.toFixed(1)}: median, minimum\n`,
);
for (const [name, values] of times) {
  const ms = median(values);
  const min = Math.min(...values);
  process.stdout.write(
    `${name.padEnd(40)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / base).toFixed(2)}x   ${min.toFixed(0).padStart(5)} ms  ${(min / baseMin).toFixed(2)}x\n`,
  );
}
