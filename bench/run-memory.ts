/**
 * Peak RSS and records/s of `koppel run` (in a process of its own, `batch: auto`) on generated
 * FiEntries CSVs of each size, against the simulator in another process (the simulator keeps
 * everything it receives: that memory is its own, not the runner's). Memory of the runner
 * should not grow with the input size.
 * Run: node --conditions=@koppel/source --import tsx bench/run-memory.ts [records...] (default 100000 1000000;
 * e.g. `100000 1000000 3000000`), then a table of each size's peak RSS against the first size's;
 * LIVE_HEAP=1 also prints the peak heap left after a full GC (sampled each second; slows the run);
 * MEM_DETAIL=1 the peaks of V8's heap and of external memory; HEAP_SNAPSHOT_AT=<s> writes a heap snapshot.
 * KOPPEL_CLI=built runs the built CLI instead (`node packages/cli/dist/bin.js run`, after a build;
 * peak RSS from /usr/bin/time, records/s over the whole process including start-up), with
 * NODE_FLAGS (e.g. `--max-semi-space-size=2`) on its node.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { prepareJobRun, runSession } from '@koppel/runner';
import { writeEntriesFixture } from '../test/helpers/entries-fixture.js';
import { spawnSimProcess } from './spawn-sim.js';

const self = new URL(import.meta.url).pathname;
const node = (script: string, args: string[], flags: string[] = []) =>
  spawn(process.execPath, [...flags, '--conditions=@koppel/source', '--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });

interface Figures {
  records: number;
  /** Records that ended uncertain (timeouts on a loaded machine). */
  uncertain: number;
  seconds: number;
  peakRssMb: number;
  /** Peak heap after a full GC (LIVE_HEAP=1 only). */
  liveHeapMb?: number;
  /** Peaks of heapTotal, heapUsed and external (MEM_DETAIL=1 only). */
  detail?: { heapTotalMb: number; heapUsedMb: number; externalMb: number };
  /** Built CLI only: peaks of anonymous memory and of file-backed pages (memory-mapped files). */
  rss?: { anonMb: number; fileMb: number };
}

/** The child: one `koppel run`, then its figures as JSON on stdout. */
async function child(jobFile: string, stateDir: string): Promise<void> {
  // With LIVE_HEAP=1: a full GC every second, to report the peak of live (retained) heap too.
  const gc = (globalThis as { gc?: () => void }).gc;
  let liveHeapMb = 0;
  const sampler = gc
    ? setInterval(() => {
        gc();
        liveHeapMb = Math.max(liveHeapMb, process.memoryUsage().heapUsed / 1024 / 1024);
      }, 1000)
    : undefined;
  // With MEM_DETAIL=1: the peaks of V8's heap (total, used) and of memory outside it (typed arrays, buffers).
  const detail = { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0 };
  const detailer =
    process.env.MEM_DETAIL === '1'
      ? setInterval(() => {
          const m = process.memoryUsage();
          detail.heapTotalMb = Math.max(detail.heapTotalMb, m.heapTotal / 1024 / 1024);
          detail.heapUsedMb = Math.max(detail.heapUsedMb, m.heapUsed / 1024 / 1024);
          detail.externalMb = Math.max(detail.externalMb, m.external / 1024 / 1024);
        }, 250)
      : undefined;
  // With HEAP_SNAPSHOT_AT=<seconds>: one heap snapshot that many seconds into the run (in the working directory).
  const snapshotAt = Number(process.env.HEAP_SNAPSHOT_AT ?? 0);
  const snapshot =
    snapshotAt > 0
      ? setTimeout(() => {
          const file = writeHeapSnapshot();
          process.stderr.write(`heap snapshot: ${file}\n`);
        }, snapshotAt * 1000)
      : undefined;
  const spec = await prepareJobRun(jobFile);
  const { report } = await runSession(spec, { stateDir, log: { plainIntervalMs: 600_000 } });
  const figures: Figures = {
    records: report.counts.done,
    uncertain: report.counts.uncertain,
    seconds: report.durationMs / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(gc ? { liveHeapMb } : {}),
    ...(detailer ? { detail } : {}),
  };
  clearInterval(sampler);
  clearInterval(detailer);
  clearTimeout(snapshot);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function measure(count: number): Promise<Figures> {
  // The simulator keeps every entry it stored: 3M records need more than V8's default heap limit.
  const sim = await spawnSimProcess({ rules: [] }, [
    `--max-old-space-size=${Math.max(4096, Math.ceil(count / 1_000_000) * 4096)}`,
  ]);
  const url = sim.baseUrl;
  const dir = await mkdtemp(join(tmpdir(), 'koppel-run-memory-'));
  try {
    const fixture = await writeEntriesFixture(
      dir,
      { baseUrl: () => url },
      { count, batch: 'auto', invalid: false, verify: false },
    );
    if (process.env.KOPPEL_CLI === 'built')
      return await builtCli(count, fixture.jobFile, join(dir, '.koppel'));
    const runner = node(
      self,
      ['--child', fixture.jobFile, join(dir, '.koppel')],
      process.env.LIVE_HEAP === '1' ? ['--expose-gc'] : [],
    );
    let out = '';
    runner.stdout.on('data', (data: Buffer) => {
      out += data.toString();
    });
    const [code] = (await once(runner, 'exit')) as [number];
    if (code !== 0) throw new Error(`the runner exited with ${code}`);
    const figures = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Figures;
    if (figures.records + figures.uncertain !== count)
      throw new Error(`${figures.records} of ${count} records done, ${figures.uncertain} uncertain`);
    return figures;
  } finally {
    sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `koppel run` of the built CLI: peak RSS (VmHWM) of that process and the peaks of its anonymous
 * memory and of its file-backed pages (the delivery store's memory map), sampled from /proc.
 */
async function builtCli(count: number, jobFile: string, stateDir: string): Promise<Figures> {
  const bin = new URL('../packages/cli/dist/bin.js', import.meta.url).pathname;
  const flags = (process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const started = performance.now();
  const runner = spawn(process.execPath, [...flags, bin, 'run', jobFile, '--state-dir', stateDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  runner.stderr.on('data', (data: Buffer) => {
    err = (err + data.toString()).slice(-4000);
  });
  const peaks = { hwm: 0, anon: 0, file: 0 };
  const kb = (status: string, name: string): number =>
    Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${runner.pid}/status`, 'utf8');
      peaks.hwm = Math.max(peaks.hwm, kb(status, 'VmHWM'));
      peaks.anon = Math.max(peaks.anon, kb(status, 'RssAnon'));
      peaks.file = Math.max(peaks.file, kb(status, 'RssFile') + kb(status, 'RssShmem'));
    } catch {
      // the process has ended
    }
  }, 100);
  const [code] = (await once(runner, 'exit')) as [number];
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`koppel run exited with ${code}: ${err}`);
  const mb = (n: number): number => n / 1024;
  return {
    records: count,
    uncertain: 0,
    seconds,
    peakRssMb: mb(peaks.hwm),
    detail: { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0 },
    rss: { anonMb: mb(peaks.anon), fileMb: mb(peaks.file) },
  };
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '', process.argv[4] ?? '');
} else {
  const sizes = process.argv.slice(2).map(Number);
  const rows: Figures[] = [];
  for (const count of sizes.length ? sizes : [100_000, 1_000_000]) {
    const f = await measure(count);
    rows.push({ ...f, records: count });
    console.log(
      `${String(count).padStart(8)} records: peak RSS ${f.peakRssMb.toFixed(0)} MB, ${(f.records / f.seconds).toFixed(0)} records/s (${f.seconds.toFixed(1)} s)${f.uncertain ? `, ${f.uncertain} uncertain (timeouts)` : ''}${f.liveHeapMb === undefined ? '' : `, peak live heap ${f.liveHeapMb.toFixed(0)} MB`}${f.rss ? `, peaks: anonymous ${f.rss.anonMb.toFixed(0)} MB, file-backed ${f.rss.fileMb.toFixed(0)} MB` : ''}${f.detail && !f.rss ? `, peaks: heap total ${f.detail.heapTotalMb.toFixed(0)} MB, used ${f.detail.heapUsedMb.toFixed(0)} MB, external ${f.detail.externalMb.toFixed(0)} MB` : ''}`,
    );
  }
  // Side by side: each size's peak RSS against the smallest one's.
  const base = rows[0];
  if (base && rows.length > 1) {
    console.log(`\n${'records'.padStart(8)}  peak RSS  x ${base.records}`);
    for (const row of rows)
      console.log(
        `${String(row.records).padStart(8)}  ${`${row.peakRssMb.toFixed(0)} MB`.padStart(8)}  ${(row.peakRssMb / base.peakRssMb).toFixed(2)}`,
      );
  }
}
