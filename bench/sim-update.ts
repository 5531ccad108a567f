/**
 * Records per second the AFAS simulator's UpdateConnector path takes over HTTP: KnPerson inserts
 * matched on BcCo (MatchPer 0, the persons-sync job's payload: person + visiting address), 10
 * Elements per request, 8 concurrent keep-alive clients, with an empty database and with 50k
 * persons (and their addresses) already stored. Client and server share this process (and its
 * CPU). Figures only; never asserted.
 *
 *   npx tsx bench/sim-update.ts              (BENCH_SECONDS=5 per scenario, BENCH_STORED=50000)
 */
import { Agent, request } from 'node:http';
import { afasTokenHeader, DEMO_TOKEN, loadSeed, startSimulator } from '../packages/afas-sim/src/index.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const STORED = Number(process.env.BENCH_STORED ?? 50_000);
const CLIENTS = 8;
const PER_REQUEST = 10;

function person(bcCo: string) {
  return {
    Fields: {
      MatchPer: '0',
      AutoNum: false,
      PadAdr: true,
      AddToPortal: false,
      BcCo: bcCo,
      SeNm: 'JANSEN',
      FiNm: 'Piet',
      LaNm: 'Jansen',
      ViGe: 'M',
      EmAd: `${bcCo.toLowerCase()}@example.nl`,
    },
    Objects: {
      KnBasicAddressAdr: {
        Element: {
          Fields: {
            CoId: 'NL',
            PbAd: false,
            Ad: 'Dorpsstraat',
            HmNr: 1,
            ZpCd: '1234 AB',
            Rs: 'Ede',
            ResZip: false,
          },
        },
      },
    },
  };
}

/** `insert`: new numbers; `update`: numbers of stored persons (MatchPer 0 finds them, the person and address are updated). */
async function scenario(stored: number, kind: 'insert' | 'update'): Promise<number> {
  const seed = loadSeed();
  const env = seed.environments[0];
  if (env) {
    env.tables = {
      ...env.tables,
      persons: Array.from({ length: stored }, (_, i) => ({
        BcId: 900_000 + i,
        BcCo: `S${i}`,
        LastName: `Stored ${i}`,
        Gender: 'V',
      })),
      addresses: Array.from({ length: stored }, (_, i) => ({
        AddressId: 900_000 + i,
        BcId: 900_000 + i,
        Kind: 'ADR',
        Address: 'Stationsplein',
        Country: 'NL',
      })),
    };
  }
  const sim = await startSimulator({ seed });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const authorization = afasTokenHeader(DEMO_TOKEN);
  let next = 0;
  const post = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const elements = Array.from({ length: PER_REQUEST }, () =>
        person(kind === 'insert' ? `B${next++}` : `S${next++ % stored}`),
      );
      const body = JSON.stringify({ KnPerson: { Element: elements } });
      const req = request(
        {
          host: '127.0.0.1',
          port: sim.port,
          path: '/12345/ProfitRestServices/connectors/KnPerson',
          method: 'POST',
          agent,
          headers: {
            authorization,
            'content-type': 'application/json;charset=utf-8',
            'content-length': String(Buffer.byteLength(body)),
          },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          res.resume();
          res.on('end', () => (status === 201 ? resolve(PER_REQUEST) : reject(new Error(`HTTP ${status}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const until = Date.now() + SECONDS * 1000;
  let records = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) records += await post();
    }),
  );
  const rate = records / ((performance.now() - started) / 1000);
  agent.destroy();
  await sim.close();
  return rate;
}

const SMALL = 1000;
const rows: [string, number][] = [
  ['insert, empty database', await scenario(0, 'insert')],
  [`insert, ${STORED} persons stored`, await scenario(STORED, 'insert')],
  [`update, ${SMALL} persons stored`, await scenario(SMALL, 'update')],
  [`update, ${STORED} persons stored`, await scenario(STORED, 'update')],
];
process.stdout.write(
  `KnPerson POST, MatchPer 0 + visiting address, ${PER_REQUEST} Elements/request, ${CLIENTS} clients, ${SECONDS}s each:\n${rows
    .map(([name, rate]) => `  ${name.padEnd(32)} ${Math.round(rate)} records/s`)
    .join('\n')}\n`,
);
