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
 * NODE_FLAGS (e.g. `--max-semi-space-size=2`) on its node; KOPPEL_BIN names another entry than
 * packages/cli/dist/bin.js (a variant of the bin to compare).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
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
  detail?: {
    heapTotalMb: number;
    heapUsedMb: number;
    externalMb: number;
    arrayBuffersMb?: number;
    /** Built CLI: the peak size of each V8 heap space. */
    spacesMb?: Record<string, number>;
  };
  /** Built CLI only: peaks of anonymous memory and of file-backed pages (memory-mapped files). */
  rss?: { anonMb: number; fileMb: number };
  /** Built CLI only: CPU seconds of the koppel process (user + system, last sample before it ended; 100 Hz ticks). */
  cpuSeconds?: number;
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
      return await builtCli(count, { jobFile: fixture.jobFile, stateDir: join(dir, '.koppel'), dir });
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
 * A module the built CLI's node loads first (`--import`) with MEM_DETAIL=1 or LIVE_HEAP=1: it
 * samples V8's heap (total, used), external memory and array buffers every 250 ms (with
 * LIVE_HEAP=1 also the heap left after a full GC, every second; HEAP_SNAPSHOT_AT=<s> writes a heap
 * snapshot that many seconds in, to HEAP_SNAPSHOT_DIR or the OS temp directory) and writes the peaks as JSON to KOPPEL_MEM_PROBE at exit. Nothing of the CLI changes.
 */
const PROBE = `
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
const peaks = { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0, arrayBuffersMb: 0, liveHeapMb: 0, spacesMb: {} };
const mb = (n) => n / 1048576;
const sample = () => {
  for (const space of getHeapSpaceStatistics())
    peaks.spacesMb[space.space_name] = Math.max(peaks.spacesMb[space.space_name] ?? 0, mb(space.space_size));
  const m = process.memoryUsage();
  peaks.heapTotalMb = Math.max(peaks.heapTotalMb, mb(m.heapTotal));
  peaks.heapUsedMb = Math.max(peaks.heapUsedMb, mb(m.heapUsed));
  peaks.externalMb = Math.max(peaks.externalMb, mb(m.external));
  peaks.arrayBuffersMb = Math.max(peaks.arrayBuffersMb, mb(m.arrayBuffers));
};
setInterval(sample, 250).unref();
if (globalThis.gc) setInterval(() => { globalThis.gc(); peaks.liveHeapMb = Math.max(peaks.liveHeapMb, mb(process.memoryUsage().heapUsed)); }, 1000).unref();
const at = Number(process.env.HEAP_SNAPSHOT_AT ?? 0);
const file = join(process.env.HEAP_SNAPSHOT_DIR ?? tmpdir(), 'koppel-run-' + process.pid + '.heapsnapshot');
if (at > 0) setTimeout(() => process.stderr.write('heap snapshot: ' + writeHeapSnapshot(file) + '\\n'), at * 1000).unref();
process.on('exit', () => { sample(); writeFileSync(process.env.KOPPEL_MEM_PROBE, JSON.stringify(peaks)); });
`;

interface BuiltCliOptions {
  jobFile: string;
  stateDir: string;
  /** Where the probe module and its figures go (MEM_DETAIL=1, LIVE_HEAP=1). */
  dir: string;
}

/**
 * `koppel run` of the built CLI: peak RSS (VmHWM) of that process and the peaks of its anonymous
 * memory and of its file-backed pages (the delivery store's memory map, the node binary and its
 * libraries), sampled from /proc; with MEM_DETAIL=1 / LIVE_HEAP=1 also V8's figures (PROBE).
 */
async function builtCli(count: number, options: BuiltCliOptions): Promise<Figures> {
  const bin = process.env.KOPPEL_BIN || new URL('../packages/cli/dist/bin.js', import.meta.url).pathname;
  const flags = (process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const probed = process.env.MEM_DETAIL === '1' || process.env.LIVE_HEAP === '1';
  const probe = join(options.dir, 'probe.mjs');
  const probeOut = join(options.dir, 'probe.json');
  if (probed) {
    writeFileSync(probe, PROBE);
    flags.push('--import', probe, ...(process.env.LIVE_HEAP === '1' ? ['--expose-gc'] : []));
  }
  const started = performance.now();
  const runner = spawn(
    process.execPath,
    [...flags, bin, 'run', options.jobFile, '--state-dir', options.stateDir],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, KOPPEL_MEM_PROBE: probeOut },
    },
  );
  let err = '';
  runner.stderr.on('data', (data: Buffer) => {
    err = (err + data.toString()).slice(-4000);
  });
  const peaks = { hwm: 0, anon: 0, file: 0, cpuTicks: 0 };
  const kb = (status: string, name: string): number =>
    Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${runner.pid}/status`, 'utf8');
      peaks.hwm = Math.max(peaks.hwm, kb(status, 'VmHWM'));
      peaks.anon = Math.max(peaks.anon, kb(status, 'RssAnon'));
      peaks.file = Math.max(peaks.file, kb(status, 'RssFile') + kb(status, 'RssShmem'));
      // utime + stime in clock ticks (fields 14 and 15 of /proc/<pid>/stat, after the command name).
      const stat = readFileSync(`/proc/${runner.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      peaks.cpuTicks = Math.max(peaks.cpuTicks, Number(stat[11] ?? 0) + Number(stat[12] ?? 0));
    } catch {
      // the process has ended
    }
  }, 100);
  const [code] = (await once(runner, 'exit')) as [number];
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  // A run that ends with uncertain records (timeouts on a loaded machine) exits non-zero: counted, not fatal.
  const uncertain = Number(
    /done; [\d,]+ rejected, ([\d,]+) uncertain/.exec(err)?.[1]?.replaceAll(',', '') ?? 0,
  );
  if (code !== 0 && uncertain === 0) throw new Error(`koppel run exited with ${code}: ${err}`);
  const mb = (n: number): number => n / 1024;
  const v8 = probed
    ? (JSON.parse(readFileSync(probeOut, 'utf8')) as Required<Figures>['detail'] & { liveHeapMb: number })
    : undefined;
  return {
    records: count - uncertain,
    uncertain,
    seconds,
    peakRssMb: mb(peaks.hwm),
    rss: { anonMb: mb(peaks.anon), fileMb: mb(peaks.file) },
    cpuSeconds: peaks.cpuTicks / 100,
    ...(v8 ? { detail: v8 } : {}),
    ...(v8 && process.env.LIVE_HEAP === '1' ? { liveHeapMb: v8.liveHeapMb } : {}),
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
      `${String(count).padStart(8)} records: peak RSS ${f.peakRssMb.toFixed(0)} MB, ${(f.records / f.seconds).toFixed(0)} records/s (${f.seconds.toFixed(1)} s${f.cpuSeconds === undefined ? '' : `, CPU ${f.cpuSeconds.toFixed(1)} s`})${f.uncertain ? `, ${f.uncertain} uncertain (timeouts)` : ''}${f.liveHeapMb === undefined ? '' : `, peak live heap ${f.liveHeapMb.toFixed(0)} MB`}${f.rss ? `, peaks: anonymous ${f.rss.anonMb.toFixed(0)} MB, file-backed ${f.rss.fileMb.toFixed(0)} MB` : ''}${
        f.detail
          ? `, V8 peaks: heap total ${f.detail.heapTotalMb.toFixed(0)} MB, used ${f.detail.heapUsedMb.toFixed(0)} MB, external ${f.detail.externalMb.toFixed(0)} MB${f.detail.arrayBuffersMb === undefined ? '' : ` (array buffers ${f.detail.arrayBuffersMb.toFixed(0)} MB)`}${
              f.detail.spacesMb
                ? `; heap spaces (peak MB): ${Object.entries(f.detail.spacesMb)
                    .filter(([, size]) => size >= 0.5)
                    .map(([name, size]) => `${name.replace(/_space$/, '')} ${size.toFixed(0)}`)
                    .join(', ')}`
                : ''
            }`
          : ''
      }`,
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
