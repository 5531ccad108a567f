import { JsonNumber, type Ledger, type LedgerEntry, type RecordState } from '@koppel/core';
import { describe, expect, it } from 'vitest';

/** Counts per state as every ledger reports them: `inflight` counted with `uncertain`. */
export interface ConformanceCounts {
  pending: number;
  done: number;
  rejected: number;
  uncertain: number;
}

/** A ledger under test with the few operations the contract needs beyond `Ledger`. */
export type ConformanceLedger = Ledger &
  Required<Pick<Ledger, 'entries' | 'close'>> & { counts(): ConformanceCounts | Promise<ConformanceCounts> };

/** How the suite drives one Ledger implementation. */
export interface LedgerHarness {
  name: string;
  /** A fresh, empty ledger. */
  open(): Promise<ConformanceLedger>;
  /**
   * The same storage opened again as after a crash (file: close and open; Redis: a new
   * connection and the recovery a new session runs): `inflight` entries come back `uncertain`.
   */
  reopen(ledger: ConformanceLedger): Promise<ConformanceLedger>;
  /** Another writer on the same storage (another process's view), or the same ledger when it has one writer. */
  writer(ledger: ConformanceLedger): Promise<Ledger>;
  /**
   * Writes `entries` as one call torn by a crash (file: only part of the last line reaches the
   * disk; Redis: the connection is cut while the command is being sent). The suite reopens after it.
   */
  tear(ledger: ConformanceLedger, entries: readonly LedgerEntry[]): Promise<void>;
  /** Whether one `write` call lands whole or not at all (Redis), rather than line by line (file). */
  atomicWrites: boolean;
  /** Deletes the storage. */
  destroy(ledger: ConformanceLedger): Promise<void>;
}

/** One rule of the contract, runnable against a harness (and so against a broken implementation). */
export interface LedgerCheck {
  name: string;
  run(harness: LedgerHarness): Promise<void>;
}

const at = '2026-12-02T12:00:00.000Z';

/** Values JSON numbers cannot carry through a double: exact decimals, big integers, huge exponents. */
const exactRecord = {
  origin: { file: 'entries.json', line: 3, index: 2 },
  values: {
    Amount: new JsonNumber('0.1000000000000000055511151231257827'),
    Big: new JsonNumber('123456789012345678901234567890'),
    Id: new JsonNumber('9007199254740993'),
    Huge: new JsonNumber('1e400'),
    Negative: new JsonNumber('-0.000000000000000000012300'),
    Lines: [{ Debit: new JsonNumber('1234567.8900') }, { Credit: new JsonNumber('1234567.89') }],
    Text: 'tab\tnewline\nquote" and ünïcode',
  },
};

const exactEntries = (): LedgerEntry[] => [
  {
    key: 'exact-done',
    state: 'done',
    attempts: 1,
    result: { Amount: '0.1000000000000000055511151231257827', EnNo: '9007199254740993' },
    at,
  },
  {
    key: 'exact-rejected',
    state: 'rejected',
    attempts: 2,
    error: 'Het saldo van de boeking is niet 0,00',
    profitLogReference: '{A1B2}',
    records: [exactRecord as unknown as NonNullable<LedgerEntry['records']>[number]],
    at,
  },
];

/** Exact text of every JsonNumber in a value, by path, so a lost digit shows in the diff. */
function numbersOf(value: unknown, path = '$', out: Record<string, string> = {}): Record<string, string> {
  if (value instanceof JsonNumber) out[path] = `JsonNumber(${value.text})`;
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) numbersOf(item, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) numbersOf(item, `${path}.${key}`, out);
  else if (typeof value === 'number') out[path] = `number(${value})`;
  return out;
}

async function all(ledger: ConformanceLedger, states?: readonly RecordState[]): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for await (const entry of ledger.entries(states)) entries.push(entry);
  return entries;
}

function countsOf(entries: readonly LedgerEntry[]): ConformanceCounts {
  const counts: ConformanceCounts = { pending: 0, done: 0, rejected: 0, uncertain: 0 };
  for (const entry of entries) counts[entry.state === 'inflight' ? 'uncertain' : entry.state]++;
  return counts;
}

async function using(
  harness: LedgerHarness,
  body: (ledger: ConformanceLedger) => Promise<ConformanceLedger | undefined>,
): Promise<void> {
  let ledger = await harness.open();
  try {
    ledger = (await body(ledger)) ?? ledger;
  } finally {
    await harness.destroy(ledger);
  }
}

/** The contract every Ledger implementation is held to. */
export const ledgerChecks: readonly LedgerCheck[] = [
  {
    name: 'keeps exact JSON numbers and result values through get, entries and a reopen',
    run: (harness) =>
      using(harness, async (first) => {
        const written = exactEntries();
        await first.write(written);
        const check = async (ledger: ConformanceLedger): Promise<void> => {
          const got = await ledger.get(written.map((entry) => entry.key));
          expect(got.map((entry) => numbersOf(entry))).toEqual(written.map((entry) => numbersOf(entry)));
          expect(got).toEqual(written);
          const listed = (await all(ledger)).sort((a, b) => a.key.localeCompare(b.key));
          expect(listed.map((entry) => numbersOf(entry))).toEqual(written.map((entry) => numbersOf(entry)));
          expect(listed[0]?.result?.Amount).toBe('0.1000000000000000055511151231257827');
        };
        await check(first);
        const again = await harness.reopen(first);
        await check(again);
        return again;
      }),
  },
  {
    name: 'a torn write loses at most the torn call, never an earlier entry, and never leaves a corrupt one',
    run: (harness) =>
      using(harness, async (first) => {
        const durable: LedgerEntry[] = [
          { key: 'a', state: 'done', attempts: 1, result: { EnNo: '1' }, at },
          { key: 'b', state: 'rejected', attempts: 1, error: 'bad', at },
        ];
        await first.write(durable);
        const torn: LedgerEntry[] = Array.from({ length: 400 }, (_, i) => ({
          key: `t${i}`,
          state: 'done',
          attempts: 1,
          result: { EnNo: String(i), Pad: 'x'.repeat(20_000) },
          at,
        }));
        await harness.tear(first, torn);
        const ledger = await harness.reopen(first);
        expect(await ledger.get(['a', 'b'])).toEqual(durable);
        const got = await ledger.get(torn.map((entry) => entry.key));
        got.forEach((entry, i) => {
          if (entry !== undefined) expect(entry).toEqual(torn[i]);
        });
        const landed = got.filter((entry) => entry !== undefined).length;
        if (harness.atomicWrites) expect([0, torn.length]).toContain(landed);
        // A torn write must actually have been torn: not every line of it can have landed.
        else expect(landed).toBeLessThan(torn.length);
        expect(await ledger.counts()).toEqual(countsOf(await all(ledger)));
        await ledger.write([{ key: 'c', state: 'done', attempts: 1, at }]);
        const after = await harness.reopen(ledger);
        expect(await after.get(['a', 'c'])).toEqual([
          durable[0],
          { key: 'c', state: 'done', attempts: 1, at },
        ]);
        return after;
      }),
  },
  {
    name: 'concurrent writers: every write lands, the last write of a key wins, counts agree',
    run: (harness) =>
      using(harness, async (ledger) => {
        const writers = [ledger, await harness.writer(ledger), await harness.writer(ledger)];
        const keysPerWriter = 60;
        await Promise.all(
          writers.flatMap((writer, w) =>
            Array.from({ length: keysPerWriter / 3 }, async (_, slot) => {
              // Each worker task moves its keys through the states a batch goes through.
              const keys = [0, 1, 2].map((j) => `w${w}-k${slot * 3 + j}`);
              await writer.write(keys.map((key) => ({ key, state: 'inflight', attempts: 1, at })));
              await writer.write(
                keys.map((key) => ({ key, state: 'pending', attempts: 1, error: 'retry', at })),
              );
              await writer.write(keys.map((key) => ({ key, state: 'inflight', attempts: 2, at })));
              await writer.write(
                keys.map((key, j) =>
                  j === 2
                    ? { key, state: 'rejected', attempts: 2, error: 'refused', at }
                    : { key, state: 'done', attempts: 2, result: { EnNo: key }, at },
                ),
              );
            }),
          ),
        );
        const entries = await all(ledger);
        expect(entries).toHaveLength(writers.length * keysPerWriter);
        expect(new Set(entries.map((entry) => entry.key)).size).toBe(entries.length);
        expect(entries.every((entry) => entry.attempts === 2)).toBe(true);
        expect(await ledger.counts()).toEqual({
          pending: 0,
          done: (writers.length * keysPerWriter * 2) / 3,
          rejected: (writers.length * keysPerWriter) / 3,
          uncertain: 0,
        });
        const [done] = await ledger.get(['w1-k0']);
        expect(done).toEqual({ key: 'w1-k0', state: 'done', attempts: 2, result: { EnNo: 'w1-k0' }, at });
        return undefined;
      }),
  },
  {
    name: 'resume: a reopened ledger has every settled entry, and inflight ones come back uncertain',
    run: (harness) =>
      using(harness, async (first) => {
        // What was sent travels with the entry, exactly (numbers, empty lists), through the recovery.
        const sentElement = {
          Fields: { AmDe: new JsonNumber('0.1000000000000000055511151231257827') },
          Lines: [],
          Big: 1e21,
        };
        await first.write([
          { key: 'sent', state: 'inflight', attempts: 3, at, sent: sentElement },
          { key: 'done', state: 'done', attempts: 1, result: { EnNo: '5' }, at },
          { key: 'rejected', state: 'rejected', attempts: 1, error: 'no', at },
          { key: 'retry', state: 'pending', attempts: 1, error: 'timeout', at },
        ]);
        const ledger = await harness.reopen(first);
        const [sent, done, rejected, retry] = await ledger.get(['sent', 'done', 'rejected', 'retry']);
        expect(sent?.state).toBe('uncertain');
        expect(sent?.attempts).toBe(3);
        expect(numbersOf(sent?.sent)).toEqual(numbersOf(sentElement));
        expect(sent?.sent).toEqual(sentElement);
        expect(done).toEqual({ key: 'done', state: 'done', attempts: 1, result: { EnNo: '5' }, at });
        expect(rejected?.state).toBe('rejected');
        expect(retry?.state).toBe('pending');
        expect(await ledger.counts()).toEqual({ pending: 1, done: 1, rejected: 1, uncertain: 1 });
        const states = (await all(ledger)).map((entry) => `${entry.key}=${entry.state}`).sort();
        expect(states).toEqual(['done=done', 'rejected=rejected', 'retry=pending', 'sent=uncertain']);
        return ledger;
      }),
  },
  {
    name: 'entries() yields every key once, and entries(states) every entry in those states',
    run: (harness) =>
      using(harness, async (ledger) => {
        const states: RecordState[] = ['done', 'rejected', 'uncertain', 'pending'];
        const written = Array.from({ length: 1300 }, (_, i) => ({
          key: `k${i}`,
          state: states[i % 4] as RecordState,
          attempts: 1,
          at,
        }));
        await ledger.write(written.slice(0, 700));
        await ledger.write(written.slice(700));
        // Overwrites: k0 leaves done, k1 becomes done.
        await ledger.write([
          { key: 'k0', state: 'uncertain', attempts: 2, at },
          { key: 'k1', state: 'done', attempts: 2, at },
        ]);
        const every = await all(ledger);
        expect(every).toHaveLength(1300);
        expect(new Set(every.map((entry) => entry.key)).size).toBe(1300);
        const done = (await all(ledger, ['done'])).filter((entry) => entry.state === 'done');
        const expected = every.filter((entry) => entry.state === 'done').map((entry) => entry.key);
        expect(done.map((entry) => entry.key).sort()).toEqual(expected.sort());
        expect(done.some((entry) => entry.key === 'k1')).toBe(true);
        expect(done.some((entry) => entry.key === 'k0')).toBe(false);
        const two = await all(ledger, ['rejected', 'uncertain']);
        const wanted = every.filter((e) => e.state === 'rejected' || e.state === 'uncertain').length;
        expect(two.filter((e) => e.state === 'rejected' || e.state === 'uncertain')).toHaveLength(wanted);
        return undefined;
      }),
  },
  {
    name: 'counts follow every change of state, including rewrites in the same state',
    run: (harness) =>
      using(harness, async (ledger) => {
        await ledger.write([
          { key: 'a', state: 'inflight', attempts: 1, at },
          { key: 'b', state: 'inflight', attempts: 1, at },
          { key: 'c', state: 'pending', attempts: 0, at },
        ]);
        expect(await ledger.counts()).toEqual({ pending: 1, done: 0, rejected: 0, uncertain: 2 });
        await ledger.write([{ key: 'a', state: 'done', attempts: 1, at }]);
        await ledger.write([{ key: 'a', state: 'done', attempts: 1, at }]);
        await ledger.write([{ key: 'b', state: 'rejected', attempts: 1, error: 'x', at }]);
        await ledger.write([
          { key: 'c', state: 'uncertain', attempts: 1, at },
          { key: 'c', state: 'done', attempts: 1, at },
        ]);
        expect(await ledger.counts()).toEqual({ pending: 0, done: 2, rejected: 1, uncertain: 0 });
        expect(await ledger.counts()).toEqual(countsOf(await all(ledger)));
        expect(await ledger.get(['c'])).toEqual([{ key: 'c', state: 'done', attempts: 1, at }]);
        return undefined;
      }),
  },
];

/** Registers the Ledger conformance suite for one implementation. */
export function ledgerConformance(harness: LedgerHarness): void {
  describe(`Ledger conformance: ${harness.name}`, () => {
    for (const check of ledgerChecks) it(check.name, () => check.run(harness), 60_000);
  });
}
