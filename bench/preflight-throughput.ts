/**
 * The cost of the pre-flight of `koppel run` (the whole input read, decoded, parsed and mapped
 * once before the first request) on a generated FiEntries CSV, beside `koppel plan` over the same
 * file, each in its own child process (own peak RSS, startup included). Metainfo is the recorded
 * fixture of jobs/fientries-upload, so no simulator runs. The last entry reuses the first entry's
 * number (its key again, after other rows), so
 * the pre-flight has something to report and the run would stop there.
 * Usage: npx tsx bench/preflight-throughput.ts [lines...] (default 1000000); BENCH_ROUNDS (default 2).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LINES_PER_ENTRY = 4;
const FIXTURE = fileURLToPath(
  new URL('../jobs/fientries-upload/fixtures/FiEntries.nl-nl.json', import.meta.url),
);

const JOB = `version: 1
name: bench-preflight
connection: { url: "http://127.0.0.1:1/12345/ProfitRestServices", token: "x" }
source:
  csv: { path: entries.csv, delimiter: ";", decimal: "," }
key: "{entry_no}"
target:
  update_connector: FiEntries
  group_by: entry_no
  element:
    fields: { Year: year, Peri: period, UnId: 1, JoCo: journal }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: { column: kind, codes: { grootboek: "1", debiteur: "2", crediteur: "3" } }
          AcNr: account
          EnDa: { column: date, date: dd-MM-yyyy }
          BpDa: { column: date, date: dd-MM-yyyy }
          Ds: { template: "{voucher} {description}" }
          AmDe: { column: debit, default: "0" }
          AmCr: { column: credit, default: "0" }
  checks: [balanced]
`;

/** `lines` lines of balanced entries (4 lines each); the last entry repeats the first entry's key. */
async function generate(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('entry_no;year;period;journal;kind;account;date;voucher;description;debit;credit\n');
  let chunk = '';
  const last = Math.floor((lines - 1) / LINES_PER_ENTRY);
  for (let i = 0; i < lines; i++) {
    const index = Math.floor(i / LINES_PER_ENTRY);
    const entry = index === last ? 100000 : 100000 + index;
    const n = i % LINES_PER_ENTRY;
    const amount = `${1 + (entry % 997)}.${String(entry % 1000).padStart(3, '0')},${String(entry % 100).padStart(2, '0')}`;
    const debit = n < 2 ? amount : '';
    const credit = n < 2 ? '' : amount;
    const kind = n === 0 ? 'debiteur' : 'grootboek';
    const day = String(1 + (entry % 28)).padStart(2, '0');
    chunk += `${entry};2024;${1 + (entry % 12)};20;${kind};${n === 0 ? '10001' : '8010'};${day}-01-2024;V${entry};Regel ${n} van boeking ${entry};${debit};${credit}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

interface Measure {
  rows: number;
  /** Documents that map cleanly, and those the mapping rejects. */
  documents: number;
  rejected: number;
  seconds: number;
  cpu: number;
  peakMb: number;
}

async function child(mode: string, dir: string): Promise<void> {
  const started = performance.now();
  const { readFile } = await import('node:fs/promises');
  const { loadJob } = await import('../packages/core/src/job/load-job.js');
  const { compileJob } = await import('../packages/core/src/mapping/compile-job.js');
  const { openJobSource } = await import('../packages/core/src/plan/open-job-source.js');
  const loaded = await loadJob(join(dir, 'job.yaml'), { skipConnection: true });
  const compiled = compileJob(loaded, { metainfo: JSON.parse(await readFile(FIXTURE, 'utf8')) });
  const input = await openJobSource(loaded);
  let rows = 0;
  let documents = 0;
  let rejected = 0;
  if (mode === 'preflight') {
    const { preflight } = await import('../packages/core/src/plan/preflight.js');
    const summary = await preflight(compiled, input.records, { checkColumns: true });
    if (summary.fatal) throw new Error(summary.fatal);
    rows = summary.records;
    documents = summary.documents;
    rejected = summary.rejected;
  } else {
    const { planJob } = await import('../packages/core/src/plan/plan-job.js');
    let bytes = 0;
    for await (const entry of planJob(compiled, input.records, { checkColumns: true })) {
      if ('reject' in entry) {
        rejected++;
        rows += entry.reject.records.length;
        continue;
      }
      documents += entry.keys.length;
      rows += entry.keys.length * LINES_PER_ENTRY;
      bytes += JSON.stringify(entry.request.body).length;
    }
    if (bytes === 0) rows = 0;
  }
  const usage = process.cpuUsage();
  const measure: Measure = {
    rows,
    documents,
    rejected,
    seconds: (performance.now() - started) / 1000,
    cpu: (usage.user + usage.system) / 1e6,
    peakMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(measure)}\n`);
}

function measure(mode: string, dir: string): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode, dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${mode} failed: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'));
    });
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3] as string, process.argv[4] as string);
  const sizes = process.argv.slice(2).map(Number);
  if (sizes.length === 0) sizes.push(1_000_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
  const best = (a: Measure | undefined, b: Measure): Measure => (!a || b.seconds < a.seconds ? b : a);
  process.stdout.write(
    `pre-flight vs plan, FiEntries (${LINES_PER_ENTRY} lines per entry, last entry reuses the first key), best of ${rounds} rounds, Node ${process.version}\n`,
  );
  for (const lines of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'koppel-bench-preflight-'));
    try {
      writeFileSync(join(dir, 'job.yaml'), JOB);
      await generate(join(dir, 'entries.csv'), lines);
      let preflight: Measure | undefined;
      let plan: Measure | undefined;
      for (let round = 0; round < rounds; round++) {
        preflight = best(preflight, await measure('preflight', dir));
        plan = best(plan, await measure('plan', dir));
      }
      if (!preflight || !plan) throw new Error('BENCH_ROUNDS must be >= 1');
      const show = (name: string, m: Measure) =>
        `${name.padEnd(12)} ${String(lines).padStart(9)} lines  ${m.documents} documents, ${m.rejected} rejected  ${m.seconds.toFixed(2).padStart(6)} s  ${String(Math.round(lines / m.seconds)).padStart(8)} lines/s  cpu ${m.cpu.toFixed(2)} s  peak RSS ${m.peakMb.toFixed(0)} MB`;
      process.stdout.write(`${show('pre-flight', preflight)}\n${show('plan', plan)}\n`);
      process.stdout.write(`  pre-flight / plan: ${(preflight.seconds / plan.seconds).toFixed(2)}x wall\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main();
