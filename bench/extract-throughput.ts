/**
 * Extract throughput: 1,000,000 rows x 10 columns of Koppel_Bench_Rows (the simulator's generated
 * bench rows) into CSV, once sequentially with skip/take and once as key ranges read in parallel
 * (`--parallel=8`, the in-flight cap, by default) with key paging, through `runExtract` (the
 * `koppel extract` path). Prints rows/s of each, the CPU seconds of the client and of the
 * simulator (server) process, and the SHA-256 of both files, and exits 1 when they differ. A
 * second pass adds AFAS-like latency per request (default 250 ms), where parallel ranges pay off.
 *   node --conditions=@koppel/source --import tsx bench/extract-throughput.ts [rows] [--latency=250] [--parallel=8]
 * The simulator runs in a child process so it does not share the client's CPU.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO_TOKEN, startSimulator } from '@koppel/afas-sim';
import { runExtract } from '@koppel/runner';
import { cpuSecondsOf } from './proc-cpu.js';

const ROWS = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 1_000_000);
/** Latency of the second pass, per GetConnector request, in ms (`--latency=250`). */
const LATENCY_MS = Number(
  /^--latency=(\d+)$/.exec(process.argv.find((arg) => arg.startsWith('--latency=')) ?? '')?.[1] ?? 250,
);

/** Key ranges read at the same time (`--parallel=8`). */
const PARALLEL = Number(
  /^--parallel=(\d+)$/.exec(process.argv.find((arg) => arg.startsWith('--parallel=')) ?? '')?.[1] ?? 8,
);

if (process.argv.includes('--serve')) {
  const sim = await startSimulator({
    port: 0,
    seed: {
      environments: [
        {
          id: '12345',
          envCode: 'T12345AA',
          tokens: [{ data: DEMO_TOKEN, user: '12345.KOPPEL', appConnector: 'Koppel' }],
          appConnectors: [{ name: 'Koppel', getConnectors: ['Koppel_Bench_Rows'] }],
          generate: { bench_rows: ROWS },
        },
      ],
    },
  });
  process.stdout.write(`${sim.baseUrl()}\n`);
  process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
} else {
  await main();
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1] as string, '--serve', String(ROWS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const dir = await mkdtemp(join(tmpdir(), 'koppel-extract-bench-'));
  try {
    const job = (name: string, getConnector: string) => `version: 1
name: ${name}
connection: { url: "${url}", token: ${DEMO_TOKEN} }
source:
  get_connector: { id: Koppel_Bench_Rows, sort: [RowId], ${getConnector} }
target: { file: ${name}.csv }
`;
    await writeFile(join(dir, 'sequential.yaml'), job('sequential', `paging: skip, max_skip: ${ROWS}`));
    await writeFile(join(dir, 'parallel.yaml'), job('parallel', `parallel: ${PARALLEL}`));
    await writeFile(join(dir, 'warm-seq.yaml'), job('warm-seq', 'paging: skip, limit: 50000'));
    await writeFile(join(dir, 'warm-par.yaml'), job('warm-par', `parallel: ${PARALLEL}, limit: 50000`));
    // Warm up both processes (JIT, the simulator's sort and column caches), so neither measured run pays for it.
    for (const name of ['warm-seq', 'warm-par'])
      await runExtract(join(dir, `${name}.yaml`), { stateDir: join(dir, '.koppel') });
    console.log(
      `extract of ${ROWS} rows x 10 columns (Koppel_Bench_Rows) to CSV, simulator in a child process`,
    );
    let failed = false;
    for (const latency of [0, LATENCY_MS]) {
      if (latency > 0) {
        // AFAS answers a good request in up to a second (reference §2.4): add latency per GetConnector call.
        await fetch(`${url.replace(/\/\d+\/ProfitRestServices$/, '')}/__sim/faults`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ rules: [{ kind: 'latency', connector: 'Koppel_Bench_Rows', ms: latency }] }),
        });
      }
      console.log(latency > 0 ? `with ${latency} ms latency per request:` : 'no added latency:');
      const hashes: string[] = [];
      const rates: number[] = [];
      for (const name of ['sequential', 'parallel']) {
        const client = process.cpuUsage();
        const server = await cpuSecondsOf(child.pid as number);
        const report = await runExtract(join(dir, `${name}.yaml`), { stateDir: join(dir, '.koppel') });
        const used = process.cpuUsage(client);
        const cpu = `CPU client ${((used.user + used.system) / 1e6).toFixed(1)} s, server ${((await cpuSecondsOf(child.pid as number)) - server).toFixed(1)} s`;
        const hash = await sha256(join(dir, `${name}.csv`));
        hashes.push(hash);
        rates.push(report.rows_per_second);
        if (report.rows !== ROWS) failed = true;
        const label =
          name === 'sequential' ? '  sequential skip/take       ' : `  parallel ${PARALLEL} key ranges (key)`;
        console.log(
          `${label} ${report.rows} rows  ${report.seconds.toFixed(2)} s  ${report.rows_per_second} rows/s  ${cpu}  sha256 ${hash}`,
        );
      }
      const same = hashes[0] === hashes[1];
      if (!same) failed = true;
      console.log(
        `  speed-up ${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)}x; outputs ${same ? 'hash equal' : 'DIFFER'}`,
      );
    }
    if (failed) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
