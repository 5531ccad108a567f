/**
 * Mapping/plan throughput of a FiEntries job against a hand-written csv-parse + JSON.stringify
 * script, on the same generated CSV, in the same run. Each side runs in its own child process so
 * its peak RSS is its own; the parent serves metainfo from an embedded simulator. Usage: npx tsx bench/plan-throughput.ts [lines] (default 1000000).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LINES_PER_ENTRY = 4;
const SIM_TOKEN = 'cbf5071c07a22081e969fb9dddae0789b5f67b65674c465c8134e9f12fdb3e77';

const JOB = `version: 1
name: bench-fientries
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

async function generate(file: string, lines: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('entry_no;year;period;journal;kind;account;date;voucher;description;debit;credit\n');
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    const entry = 100000 + Math.floor(i / LINES_PER_ENTRY);
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

/**
 * Koppel: loadJob + compileJob (metainfo fetched over HTTP from the simulator the parent runs)
 * + planJob over the core CSV reader, with every request body serialised.
 */
async function runKoppel(dir: string, simUrl: string): Promise<number> {
  // The modules plan needs, not the whole package index (which also loads the pipeline and extract code).
  const { loadJob } = await import('../packages/core/src/job/load-job.js');
  const { compileJob } = await import('../packages/core/src/mapping/compile-job.js');
  const { afasMetainfoProvider } = await import('../packages/afas/src/metainfo-provider.js');
  const { openJobSource } = await import('../packages/core/src/plan/open-job-source.js');
  const { planJob } = await import('../packages/core/src/plan/plan-job.js');
  const loaded = await loadJob(join(dir, 'job.yaml'), { skipConnection: true });
  const connection = { baseUrl: simUrl, language: 'nl-nl' as const, token: '' };
  Object.defineProperty(connection, 'token', { value: SIM_TOKEN });
  const metainfo = await afasMetainfoProvider(connection).update('FiEntries', 'nl-nl');
  const compiled = compileJob(loaded, { metainfo });
  const input = await openJobSource(loaded);
  let rows = 0;
  let bytes = 0;
  for await (const entry of planJob(compiled, input.records, { checkColumns: true })) {
    if ('reject' in entry) throw new Error(entry.reject.message);
    rows += entry.keys.length * LINES_PER_ENTRY;
    bytes += JSON.stringify(entry.request.body).length;
  }
  return bytes > 0 ? rows : 0;
}

/** The core CSV reader alone (no mapping), to show how the Koppel figure splits. */
async function runReader(dir: string): Promise<number> {
  const { loadJob } = await import('../packages/core/src/job/load-job.js');
  const { openJobSource } = await import('../packages/core/src/plan/open-job-source.js');
  const input = await openJobSource(await loadJob(join(dir, 'job.yaml'), { skipConnection: true }));
  let rows = 0;
  for await (const _record of input.records) rows++;
  return rows;
}

/** The baseline: csv-parse, group contiguous rows, build the body by hand, JSON.stringify. */
async function runBaseline(dir: string): Promise<number> {
  const { parse } = await import('csv-parse');
  const parser = createReadStream(join(dir, 'entries.csv')).pipe(parse({ delimiter: ';', columns: true }));
  const kinds: Record<string, string> = { grootboek: '1', debiteur: '2', crediteur: '3' };
  const amount = (text: string) => (text ? text.replaceAll('.', '').replace(',', '.') : '0');
  const date = (text: string) => `${text.slice(6, 10)}-${text.slice(3, 5)}-${text.slice(0, 2)}`;
  let rows = 0;
  let bytes = 0;
  let open: Record<string, string>[] = [];
  const flush = () => {
    const head = open[0] as Record<string, string>;
    const body = {
      FiEntryPar: {
        Element: {
          Fields: { Year: Number(head.year), Peri: Number(head.period), UnId: 1, JoCo: head.journal },
          Objects: {
            FiEntries: {
              Element: open.map((row) => ({
                Fields: {
                  VaAs: kinds[row.kind as string],
                  AcNr: row.account,
                  EnDa: date(row.date as string),
                  BpDa: date(row.date as string),
                  Ds: `${row.voucher} ${row.description}`,
                  AmDe: amount(row.debit as string),
                  AmCr: amount(row.credit as string),
                },
              })),
            },
          },
        },
      },
    };
    bytes += JSON.stringify(body).length;
    rows += open.length;
    open = [];
  };
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (open.length && open[0]?.entry_no !== row.entry_no) flush();
    open.push(row);
  }
  if (open.length) flush();
  return bytes > 0 ? rows : 0;
}

interface Measure {
  rows: number;
  /** Wall-clock seconds, startup included (imports, ajv compile, metainfo fetch). */
  seconds: number;
  /** CPU seconds of the process (user + system, all threads). */
  cpu: number;
  peakMb: number;
}

async function child(mode: string, dir: string, simUrl: string): Promise<void> {
  const started = performance.now();
  const rows =
    mode === 'koppel'
      ? await runKoppel(dir, simUrl)
      : mode === 'reader'
        ? await runReader(dir)
        : await runBaseline(dir);
  const seconds = (performance.now() - started) / 1000;
  const usage = process.cpuUsage();
  const measure: Measure = {
    rows,
    seconds,
    cpu: (usage.user + usage.system) / 1e6,
    peakMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(measure)}\n`);
}

function measure(mode: string, dir: string, simUrl: string): Promise<Measure> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode, dir, simUrl],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
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
  if (process.argv[2] === '--child') {
    return child(process.argv[3] as string, process.argv[4] as string, process.argv[5] as string);
  }
  const lines = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'koppel-bench-'));
  const { startSimulator } = await import('../packages/afas-sim/src/index.js');
  const sim = await startSimulator({ port: 0 });
  try {
    writeFileSync(join(dir, 'job.yaml'), JOB);
    await generate(join(dir, 'entries.csv'), lines);
    // Alternate the two sides twice and keep each side's best round, so a burst of load on a
    // shared machine does not decide the ratio.
    const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
    const best = (a: Measure | undefined, b: Measure): Measure => (!a || b.seconds < a.seconds ? b : a);
    let baseline: Measure | undefined;
    let reader: Measure | undefined;
    let koppel: Measure | undefined;
    for (let round = 0; round < rounds; round++) {
      baseline = best(baseline, await measure('baseline', dir, sim.baseUrl()));
      reader = best(reader, await measure('reader', dir, sim.baseUrl()));
      koppel = best(koppel, await measure('koppel', dir, sim.baseUrl()));
    }
    if (!baseline || !reader || !koppel) throw new Error('BENCH_ROUNDS must be >= 1');
    const rate = (m: Measure) => Math.round(m.rows / m.seconds);
    const cpuRate = (m: Measure) => Math.round(m.rows / m.cpu);
    const show = (name: string, m: Measure) =>
      `${name.padEnd(30)} ${String(m.rows).padStart(9)} rows  ${m.seconds.toFixed(2).padStart(7)} s  ${String(rate(m)).padStart(8)} rows/s  ${String(cpuRate(m)).padStart(8)} rows/cpu-s  peak RSS ${m.peakMb.toFixed(0)} MB`;
    process.stdout.write(
      `plan throughput, ${lines} FiEntries lines (${LINES_PER_ENTRY} per entry), best of ${rounds} rounds, Node ${process.version}\n`,
    );
    process.stdout.write(`${show('csv-parse + JSON.stringify', baseline)}\n`);
    process.stdout.write(`${show('core CSV reader alone', reader)}\n`);
    process.stdout.write(`${show('koppel loadJob+compile+plan', koppel)}\n`);
    process.stdout.write(
      `ratio koppel/baseline: ${(rate(koppel) / rate(baseline)).toFixed(2)}x wall, ${(cpuRate(koppel) / cpuRate(baseline)).toFixed(2)}x cpu (goal >= 0.70x; peak RSS goal < 150 MB)\n`,
    );
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
