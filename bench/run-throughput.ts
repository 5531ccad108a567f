import { mkdtemp, readFile, rm } from 'node:fs/promises';
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

/** The simulator, in its own process, as much as `writeEntriesFixture` needs of it. */
interface SimHandle {
  baseUrl(): string;
}

async function withSimulator<T>(work: (sim: SimHandle, dir: string) => Promise<T>): Promise<T> {
  const sim = await spawnSimProcess(postLatency(LATENCY_MS));
  const url = sim.baseUrl;
  const dir = await mkdtemp(join(tmpdir(), 'koppel-bench-'));
  try {
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

/** `koppel run` in-process with `run.batch` = batch; figures from its report. */
async function koppel(
  batch: number | 'auto',
): Promise<{ requests: number; records: number; seconds: number }> {
  return withSimulator(async (sim, dir) => {
    const fixture = await writeEntriesFixture(dir, sim, { count: COUNT, batch, invalid: false });
    const spec = await prepareJobRun(fixture.jobFile);
    const { report } = await runSession(spec, {
      stateDir: join(dir, '.koppel'),
      log: { plainIntervalMs: 60_000 },
    });
    if (report.counts.done !== COUNT) throw new Error(`koppel: ${report.counts.done} of ${COUNT} done`);
    return {
      requests: report.session.requests,
      records: report.counts.done,
      seconds: report.durationMs / 1000,
    };
  });
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
const auto = await koppel('auto');
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
console.log(
  `koppel run, batch auto: ${f(auto.records / auto.seconds)} records/s in ${auto.requests} requests (${f(auto.records / auto.seconds / (one.records / one.seconds))}x batch 1)`,
);
console.log(
  `pipeline, 50 ms stub sink (no HTTP, no simulator): ${f(stub.requests / stub.seconds)} req/s = ${f((stub.requests / stub.seconds / LIMIT) * 100)}% of the limit`,
);
