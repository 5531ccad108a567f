/**
 * Property test: over generated FiEntries inputs (duplicate keys, dates that do not parse,
 * unknown codes, empty cells, unbalanced and non-contiguous documents, bytes that are not
 * UTF-8), `plan` and the run give the same verdict for every record. Plan is the library's
 * planJob; the run is prepareJobRun + runSession against the simulator over HTTP, with
 * `run.on_invalid: reject`; the run's verdict per record is read back from its ledger.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createAfasClient } from '@koppel/afas';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import { compileJob, loadJob, openJobSource, planJob, type UpdateMetainfo } from '@koppel/core';
import { FileLedger, prepareJobRun, runSession } from '@koppel/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** mulberry32: a small seeded PRNG, so a failing input can be generated again from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = 'entry;period;kind;account;date;voucher;description;debit;credit';

/** One generated input: CSV bytes and what was injected (for the failure message). */
function generate(seed: number): { bytes: Buffer; injected: string[] } {
  const random = prng(seed);
  const pick = (p: number) => random() < p;
  const entries = 3 + Math.floor(random() * 6);
  const rows: string[] = [];
  const injected: string[] = [];
  const vouchers: string[] = [];
  let badByte = false;
  for (let i = 0; i < entries; i++) {
    const entry = `E${seed}-${i}`;
    let voucher = `S${seed}V${i}`;
    if (vouchers.length > 0 && pick(0.12)) {
      voucher = vouchers[Math.floor(random() * vouchers.length)] as string;
      injected.push(`duplicate ${voucher}`);
    }
    vouchers.push(voucher);
    const period = 1 + Math.floor(random() * 7);
    const amount = `${10 + Math.floor(random() * 900)},${String(Math.floor(random() * 100)).padStart(2, '0')}`;
    let date = `${String(1 + Math.floor(random() * 28)).padStart(2, '0')}-0${period}-2024`;
    if (pick(0.1)) {
      date = pick(0.5) ? `31-02-2024` : 'gisteren';
      injected.push(`bad date ${entry}`);
    }
    let kind = 'grootboek';
    if (pick(0.1)) {
      kind = pick(0.5) ? 'onbekend' : '';
      injected.push(`code "${kind}" ${entry}`);
    }
    const debit = amount;
    let credit = amount;
    if (pick(0.1)) {
      credit = pick(0.5) ? '0,01' : '';
      injected.push(`unbalanced ${entry}`);
    }
    rows.push(`${entry};${period};${kind};4000;${date};${voucher};Regel ${i};${debit};`);
    rows.push(`${entry};${period};grootboek;1100;${date};${voucher};Tegen ${i};;${credit}`);
    if (i > 0 && pick(0.06)) {
      // The first entry's rows again, after another entry: not contiguous.
      rows.push(rows[0] as string);
      injected.push(`reappears E${seed}-0`);
    }
  }
  if (pick(0.1)) {
    badByte = true;
    injected.push('a byte that is not UTF-8');
  }
  const text = `${HEADER}\n${rows.join('\n')}\n`;
  if (!badByte) return { bytes: Buffer.from(text), injected };
  const at = text.lastIndexOf('Tegen');
  return {
    bytes: Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]),
    injected,
  };
}

const jobText = (sim: Simulator, seed: number, batch: string) => `version: 1
name: equivalence-${seed}
connection: { url: "${sim.baseUrl()}", token: "${DEMO_TOKEN}", language: nl-nl }
source:
  csv: { path: in.csv, delimiter: ";", decimal: ",", encoding: utf-8 }
key: "{voucher}"
target:
  update_connector: FiEntries
  group_by: entry
  element:
    fields: { Year: 2024, Peri: period, UnId: 1, JoCo: { const: "10" } }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: { column: kind, codes: { grootboek: "1", debiteur: "2" } }
          AcNr: account
          EnDa: { column: date, date: dd-MM-yyyy }
          BpDa: { column: date, date: dd-MM-yyyy }
          BpNr: voucher
          Ds: description
          AmDe: { column: debit, type: decimal, default: "0" }
          AmCr: { column: credit, type: decimal, default: "0" }
  checks: [balanced]
run: { concurrency: 4, batch: ${batch}, on_invalid: reject, retry: { max_attempts: 2 } }
`;

type Verdicts = Map<string, string>;

/** Plan's verdict per ledger key: `send`, or `reject: <message>`; `fatal` when the input cannot be read. */
async function planVerdicts(jobFile: string, metainfo: UpdateMetainfo): Promise<Verdicts | 'fatal'> {
  const verdicts: Verdicts = new Map();
  try {
    const loaded = await loadJob(jobFile);
    const compiled = compileJob(loaded, { metainfo });
    const input = await openJobSource(loaded);
    for await (const entry of planJob(compiled, input.records, { checkColumns: true })) {
      if ('reject' in entry) verdicts.set(entry.reject.key, `reject: ${entry.reject.message}`);
      else for (const key of entry.keys) verdicts.set(key, 'send');
    }
  } catch {
    return 'fatal';
  }
  return verdicts;
}

/** The run's verdict per ledger key (done -> send); `fatal` when the run refused to start or stopped. */
async function runVerdicts(
  jobFile: string,
  stateDir: string,
  keys: Iterable<string>,
): Promise<Verdicts | 'fatal'> {
  let resultsFile: string;
  try {
    const spec = await prepareJobRun(jobFile, {
      env: {
        ...process.env,
        KOPPEL_RETRY_BASE_MS: '5',
        KOPPEL_RETRY_MAX_MS: '20',
        KOPPEL_VERIFY_DELAY_MS: '0',
      },
    });
    const result = await runSession(spec, { stateDir, log: { stream: new PassThrough() } });
    if (result.report.stopReason) return 'fatal';
    resultsFile = result.report.files.results;
  } catch {
    return 'fatal';
  }
  const ledger = await FileLedger.open(dirname(resultsFile));
  try {
    const verdicts: Verdicts = new Map();
    const list = [...keys];
    const entries = await ledger.get(list);
    list.forEach((key, index) => {
      const entry = entries[index];
      verdicts.set(
        key,
        entry?.state === 'done'
          ? 'send'
          : entry?.state === 'rejected'
            ? `reject: ${entry.error}`
            : String(entry?.state),
      );
    });
    const counts = ledger.counts();
    verdicts.set('(ledger entries)', String(Object.values(counts).reduce((sum, n) => sum + n, 0)));
    return verdicts;
  } finally {
    await ledger.close();
  }
}

describe('plan and run give the same verdict per record (generated inputs)', () => {
  let sim: Simulator;
  let dir: string;
  let metainfo: UpdateMetainfo;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-equivalence-'));
    const client = createAfasClient({
      environmentId: 0,
      url: sim.baseUrl(),
      auth: { type: 'token', token: DEMO_TOKEN },
      language: 'nl-nl',
    });
    metainfo = (await client.updateMetainfo('FiEntries')) as UpdateMetainfo;
    client.close();
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('over 40 seeded inputs', async () => {
    let rejects = 0;
    let fatal = 0;
    let sent = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { bytes, injected } = generate(seed);
      const here = join(dir, String(seed));
      await mkdir(here);
      await writeFile(join(here, 'in.csv'), bytes);
      const jobFile = join(here, 'job.yaml');
      await writeFile(jobFile, jobText(sim, seed, ['1', '3', 'auto'][seed % 3] as string));
      const planned = await planVerdicts(jobFile, metainfo);
      const ran = await runVerdicts(jobFile, join(here, 'state'), planned === 'fatal' ? [] : planned.keys());
      const label = `seed ${seed} (${injected.join(', ') || 'clean'})`;
      if (planned === 'fatal') {
        expect(ran, label).toBe('fatal');
        fatal++;
        continue;
      }
      expect(ran, label).not.toBe('fatal');
      const run = ran as Verdicts;
      expect(run.get('(ledger entries)'), `${label}: ledger entries`).toBe(String(planned.size));
      run.delete('(ledger entries)');
      expect(Object.fromEntries(run), label).toEqual(Object.fromEntries(planned));
      for (const verdict of planned.values()) {
        if (verdict === 'send') sent++;
        else rejects++;
      }
    }
    // The generator exercises every side: sends, rejects and unreadable inputs.
    expect(sent).toBeGreaterThan(50);
    expect(rejects).toBeGreaterThan(10);
    expect(fatal).toBeGreaterThan(1);
  }, 300_000);
});
