/**
 * Requests per second the AFAS simulator serves on loopback, 8 concurrent keep-alive clients:
 * GET /profitversion, a 100-row GetConnector page out of 100k generated rows, and a small
 * KnSubject POST. Client and server share this process (and its CPU). Figures only; never asserted.
 *
 *   npx tsx bench/sim-throughput.ts            (BENCH_SECONDS=3 per scenario by default)
 */
import { Agent, request } from 'node:http';
import { afasTokenHeader, DEMO_TOKEN, loadSeed, startSimulator } from '../packages/afas-sim/src/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CLIENTS = 8;
const ROWS = 100_000;

const seed = loadSeed();
const env = seed.environments[0];
if (env) env.generate = { bench_rows: ROWS };
const sim = await startSimulator({ seed });
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
const authorization = afasTokenHeader(DEMO_TOKEN);

function send(method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization };
    if (body !== undefined) {
      headers['content-type'] = 'application/json;charset=utf-8';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const req = request(
      { host: '127.0.0.1', port: sim.port, path: `/12345/ProfitRestServices${path}`, method, headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Scenario {
  name: string;
  next: (n: number) => [method: string, path: string, body?: string];
  ok: number;
}

async function run(scenario: Scenario): Promise<void> {
  const first = await send(...scenario.next(0));
  if (first !== scenario.ok) {
    process.stdout.write(
      `${scenario.name.padEnd(48)} skipped (first answer ${first}, expected ${scenario.ok})\n`,
    );
    return;
  }
  let count = 0;
  let failures = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        const status = await send(...scenario.next(count));
        count++;
        if (status !== scenario.ok) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const rate = Math.round(count / elapsed);
  process.stdout.write(
    `${scenario.name.padEnd(48)} ${String(rate).padStart(7)} req/s  (${count} requests, ${failures} not ${scenario.ok})\n`,
  );
}

const scenarios: Scenario[] = [
  { name: 'GET /profitversion', next: () => ['GET', '/profitversion'], ok: 200 },
  {
    name: `GET Koppel_Bench_Rows take=100 of ${ROWS / 1000}k, sorted`,
    next: (n) => [
      'GET',
      `/connectors/Koppel_Bench_Rows?skip=${(n * 7919) % (ROWS - 100)}&take=100&orderbyfieldids=RowId`,
    ],
    ok: 200,
  },
  {
    name: 'POST KnSubject (one small element)',
    next: (n) => [
      'POST',
      '/connectors/KnSubject',
      JSON.stringify({ KnSubject: { Element: { Fields: { StId: 1, Ds: `bench ${n}` } } } }),
    ],
    ok: 201,
  },
];

process.stdout.write(
  `afas-sim throughput: ${CLIENTS} concurrent clients, ${SECONDS}s per scenario, node ${process.version}\n`,
);
try {
  for (const scenario of scenarios) await run(scenario);
} finally {
  agent.destroy();
  await sim.close();
}
