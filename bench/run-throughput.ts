import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afasTokenHeader } from '@koppel/afas-sim';
import { type Batch, runPipeline } from '@koppel/core';
import { createInProcessExecutor, FileLedger, prepareJobRun, runSession } from '@koppel/runner';
import pLimit from 'p-limit';
import { DEMO_TOKEN, writeEntriesFixture } from '../test/helpers/entries-fixture.js';
import { postLatency, spawnSimProcess } from './spawn-sim.js';

const COUNT = Number(process.argv[2] ?? 1200);
const LATENCY_MS = 50;
const CONCURRENCY = 8;
const LIMIT = CONCURRENCY / (LATENCY_MS / 1000);
/** Entries of the warm-up run each simulator gets before it is measured (`WARM_UP`). */
const WARM_UP = Number(process.env.WARM_UP ?? 2000);

/** The simulator, in its own process, as much as `writeEntriesFixture` needs of it. */
interface SimHandle {
  baseUrl(): string;
}

/**
 * A fresh simulator per scenario, warmed up first by a small `koppel run` of other entries
 * (its JIT is cold otherwise, and a short run would measure that rather than the client).
 */
async function withSimulator<T>(work: (sim: SimHandle, dir: string) => Promise<T>): Promise<T> {
  const sim = await spawnSimProcess(postLatency(LATENCY_MS));
  const url = sim.baseUrl;
  const dir = await mkdtemp(join(tmpdir(), 'koppel-bench-'));
  try {
    const warm = join(dir, 'warm-up');
    await mkdir(warm);
    const fixture = await writeEntriesFixture(
      warm,
      { baseUrl: () => url },
      { count: WARM_UP, batch: 'auto', invalid: false, prefix: 'W', name: 'warm-up' },
    );
    await runSession(await prepareJobRun(fixture.jobFile), {
      stateDir: join(warm, '.koppel'),
      log: { plainIntervalMs: 60_000 },
    });
    return await work({ baseUrl: () => url }, dir);
  } finally {
    sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The baseline: read the CSV, build each FiEntryPar body by hand, POST with p-limit(8) + fetch. */
async function handWritten(): Promise<{ requests: number; seconds: number }> {
  return withSimulator(async (sim, dir) => {
    await writeEntriesFixture(dir, sim, { count: COUNT, invalid: false });
    const lines = (await readFile(join(dir, 'entries.csv'), 'utf8')).trim().split('\n').slice(1);
    const entries = new Map<string, string[][]>();
    for (const line of lines) {
      const cells = line.split(';');
      const rows = entries.get(cells[0] ?? '') ?? [];
      rows.push(cells);
      entries.set(cells[0] ?? '', rows);
    }
    const limit = pLimit(CONCURRENCY);
    const amount = (text: string | undefined): string =>
      text ? text.replace(/\./g, '').replace(',', '.') : '0';
    const started = performance.now();
    await Promise.all(
      [...entries.values()].map((rows) =>
        limit(async () => {
          const period = rows[0]?.[1] ?? '1';
          const body = {
            FiEntryPar: {
              Element: {
                Fields: { Year: 2024, Peri: Number(period), UnId: 1, JoCo: '10' },
                Objects: {
                  FiEntries: {
                    Element: rows.map((r) => ({
                      Fields: {
                        VaAs: '1',
                        AcNr: r[2],
                        EnDa: `2024-0${period}-10`,
                        BpDa: `2024-0${period}-10`,
                        BpNr: r[3],
                        Ds: r[4],
                        AmDe: amount(r[5]),
                        AmCr: amount(r[6]),
                      },
                    })),
                  },
                },
              },
            },
          };
          const response = await fetch(`${sim.baseUrl()}/connectors/FiEntries`, {
            method: 'POST',
            headers: { authorization: afasTokenHeader(DEMO_TOKEN), 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (response.status !== 201) throw new Error(`script: ${response.status} ${await response.text()}`);
          await response.arrayBuffer();
        }),
      ),
    );
    return { requests: entries.size, seconds: (performance.now() - started) / 1000 };
  });
}

/**
 * The runner's own ceiling: the same pipeline (ledger with fsync, executor, batch handler)
 * against a sink that only waits 50 ms, so no HTTP or simulator CPU is involved.
 */
async function stubSink(): Promise<{ requests: number; seconds: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'koppel-bench-'));
  const ledger = await FileLedger.open(dir);
  const documents = Array.from({ length: COUNT }, (_, i) => ({
    key: `k${i}`,
    element: { Fields: { Nr: i } },
    records: [],
  }));
  const started = performance.now();
  await runPipeline({
    items: (async function* () {
      for (const document of documents) yield { document };
    })(),
    ledger,
    sink: {
      send: (batch: Batch) =>
        new Promise((resolve) => setTimeout(() => resolve(batch.map(() => ({}))), LATENCY_MS)),
    },
    executor: createInProcessExecutor({ concurrency: CONCURRENCY }),
    classify: () => ({ action: 'stop', message: 'unexpected' }),
  });
  const seconds = (performance.now() - started) / 1000;
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
  return { requests: COUNT, seconds };
}

/** What the sizer chose: one row per request (elements, body bytes, latency). */
interface RequestSeen {
  elements: number;
  bytes: number;
  latencyMs: number;
}

/** `koppel run` in-process with `run.batch` = batch; figures from its report. */
async function koppel(
  batch: number | 'auto',
  count = COUNT,
): Promise<{ requests: number; records: number; seconds: number; seen: RequestSeen[] }> {
  return withSimulator(async (sim, dir) => {
    const fixture = await writeEntriesFixture(dir, sim, { count, batch, invalid: false });
    const spec = await prepareJobRun(fixture.jobFile);
    // The sizer's choices as the sink sees them (the body is measured as the pipeline measures it).
    const seen: RequestSeen[] = [];
    const send = spec.sink.send.bind(spec.sink);
    spec.sink.send = async (documents) => {
      const started = performance.now();
      const result = await send(documents);
      const bytes = documents.reduce((sum, d) => sum + Buffer.byteLength(JSON.stringify(d.element)), 0);
      seen.push({ elements: documents.length, bytes, latencyMs: performance.now() - started });
      return result;
    };
    const { report } = await runSession(spec, {
      stateDir: join(dir, '.koppel'),
      log: { plainIntervalMs: 60_000 },
    });
    if (report.counts.done !== count) throw new Error(`koppel: ${report.counts.done} of ${count} done`);
    return {
      requests: report.session.requests,
      records: report.counts.done,
      seconds: report.durationMs / 1000,
      seen,
    };
  });
}

/** The sizer's choices in one line: elements and bytes per request, and the latency seen. */
function sizerLine(seen: RequestSeen[]): string {
  const pick = (values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return `${at(0)}/${at(0.5)}/${at(1)}`;
  };
  const first = seen.slice(0, 12).map((r) => r.elements);
  return `elements per request min/median/max ${pick(seen.map((r) => r.elements))} (in order: ${first.join(' ')}${seen.length > 12 ? ' ...' : ''}), bytes ${pick(seen.map((r) => r.bytes))}, latency ms ${pick(seen.map((r) => Math.round(r.latencyMs)))}`;
}

// The machine may be shared: alternate the script and koppel and keep the best of each.
const ROUNDS = Number(process.env.ROUNDS ?? 2);
let script = { requests: 0, seconds: Number.POSITIVE_INFINITY };
let one = { requests: 0, records: 0, seconds: Number.POSITIVE_INFINITY };
for (let round = 0; round < ROUNDS; round++) {
  const s = await handWritten();
  if (s.requests / s.seconds > script.requests / script.seconds) script = s;
  const k = await koppel(1);
  if (k.requests / k.seconds > one.requests / one.seconds) one = k;
}
/** Larger inputs for `batch: auto` (its start-up and ramp are a smaller share): AUTO_COUNTS=12000,60000. */
const AUTO_COUNTS = (process.env.AUTO_COUNTS ?? `${COUNT},${COUNT * 10},${COUNT * 50}`)
  .split(',')
  .map(Number);
const autos: { count: number; run: Awaited<ReturnType<typeof koppel>> }[] = [];
for (const count of AUTO_COUNTS) autos.push({ count, run: await koppel('auto', count) });
const stub = await stubSink();
const scriptRate = script.requests / script.seconds;
const oneRate = one.requests / one.seconds;
const f = (n: number): string => n.toFixed(1);
console.log(
  `entries: ${COUNT}, best of ${ROUNDS} rounds, latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, limit ${f(LIMIT)} req/s`,
);
console.log(
  `p-limit + fetch script: ${f(scriptRate)} req/s (${f((scriptRate / LIMIT) * 100)}% of the limit)`,
);
console.log(
  `koppel run, batch 1:    ${f(oneRate)} req/s = ${f((oneRate / LIMIT) * 100)}% of the limit, ${f((oneRate / scriptRate) * 100)}% of the script`,
);
for (const { count, run } of autos) {
  console.log(
    `koppel run, batch auto, ${count} entries: ${f(run.records / run.seconds)} records/s in ${run.requests} requests, ${f(run.seconds)} s (${f(run.records / run.seconds / (one.records / one.seconds))}x batch 1)`,
  );
  console.log(`  sizer: ${sizerLine(run.seen)}`);
}
console.log(
  `pipeline, 50 ms stub sink (no HTTP, no simulator): ${f(stub.requests / stub.seconds)} req/s = ${f((stub.requests / stub.seconds / LIMIT) * 100)}% of the limit`,
);
