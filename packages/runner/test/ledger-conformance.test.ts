import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Ledger, LedgerEntry, RecordState } from '@koppel/core';
import { FileLedger } from '@koppel/runner';
import { KoppelKeys, openRedis, RedisLedger } from '@koppel/runner/bullmq';
import { describe, expect, it } from 'vitest';
import { encodeLine } from '../src/ledger-log.js';
import { dropPrefix, freshPrefix, REDIS_URL } from './bullmq/redis-env.js';
import {
  type ConformanceCounts,
  type ConformanceLedger,
  type LedgerHarness,
  ledgerChecks,
  ledgerConformance,
} from './ledger-conformance.js';

const fileHarness: LedgerHarness = {
  name: 'FileLedger',
  atomicWrites: false,
  async open() {
    return FileLedger.open(await mkdtemp(join(tmpdir(), 'koppel-ledger-')));
  },
  async reopen(ledger) {
    await ledger.close();
    return FileLedger.open(dirname((ledger as FileLedger).path));
  },
  async writer(ledger) {
    return ledger;
  },
  async tear(ledger, entries) {
    await ledger.close();
    const text = entries.map((entry) => encodeLine(entry)).join('');
    // The crash cut the last line in half.
    const last = encodeLine(entries.at(-1));
    await appendFile((ledger as FileLedger).path, text.slice(0, text.length - Math.ceil(last.length / 2)));
  },
  async destroy(ledger) {
    await ledger.close();
    await rm(dirname((ledger as FileLedger).path), { recursive: true, force: true });
  },
};

/** RedisLedger on its own prefix; every connection it opened is closed and every key dropped at the end. */
function redisHarness(): LedgerHarness {
  const state = new WeakMap<object, { prefix: string; connections: ReturnType<typeof openRedis>[] }>();
  const view = (
    prefix: string,
    connections: ReturnType<typeof openRedis>[],
  ): ConformanceLedger & { ledger: RedisLedger } => {
    const redis = openRedis(REDIS_URL);
    connections.push(redis);
    const ledger = new RedisLedger(redis, new KoppelKeys(prefix), 'conformance');
    const wrapped = {
      ledger,
      get: (keys: readonly string[]) => ledger.get(keys),
      write: (entries: readonly LedgerEntry[]) => ledger.write(entries),
      entries: (states?: readonly RecordState[]) => ledger.entries(states),
      close: () => ledger.close(),
      async counts(): Promise<ConformanceCounts> {
        const c = await ledger.counts();
        return {
          pending: c.pending,
          done: c.done,
          rejected: c.rejected,
          uncertain: c.uncertain + c.inflight,
        };
      },
    };
    state.set(wrapped, { prefix, connections });
    return wrapped;
  };
  const of = (ledger: ConformanceLedger) => {
    const found = state.get(ledger);
    if (!found) throw new Error('not a ledger of this harness');
    return found;
  };
  return {
    name: 'RedisLedger',
    atomicWrites: true,
    async open() {
      return view(freshPrefix(), []);
    },
    async reopen(ledger) {
      const { prefix, connections } = of(ledger);
      const next = view(prefix, connections);
      // What a new session of the run does before its workers start.
      await next.ledger.recover();
      return next;
    },
    async writer(ledger) {
      const { prefix, connections } = of(ledger);
      return view(prefix, connections);
    },
    async tear(ledger, entries) {
      const { prefix } = of(ledger);
      const redis = openRedis(REDIS_URL);
      await redis.ping();
      const torn = new RedisLedger(redis, new KoppelKeys(prefix), 'conformance');
      const written = torn.write(entries).catch(() => {});
      // The command is on its way: the socket dies with part of it unsent.
      redis.stream.destroy();
      await written;
      redis.disconnect();
    },
    async destroy(ledger) {
      const { prefix, connections } = of(ledger);
      for (const redis of connections) redis.disconnect();
      await dropPrefix(prefix);
    },
  };
}

ledgerConformance(fileHarness);
ledgerConformance(redisHarness());

/**
 * A ledger that forgets what the contract asks: plain JSON (exact numbers lost), nothing becomes
 * uncertain on reopen, and a torn write lands whole. The suite must fail it.
 */
function brokenHarness(): LedgerHarness {
  class BrokenLedger implements Ledger {
    constructor(readonly map: Map<string, string>) {}
    async get(keys: readonly string[]) {
      return keys.map((key) => {
        const text = this.map.get(key);
        return text === undefined ? undefined : (JSON.parse(text) as LedgerEntry);
      });
    }
    async write(entries: readonly LedgerEntry[]) {
      for (const entry of entries) this.map.set(entry.key, JSON.stringify(entry));
    }
    async *entries() {
      for (const text of this.map.values()) yield JSON.parse(text) as LedgerEntry;
    }
    counts(): ConformanceCounts {
      const counts: ConformanceCounts = { pending: 0, done: 0, rejected: 0, uncertain: 0 };
      for (const text of this.map.values()) {
        const { state } = JSON.parse(text) as LedgerEntry;
        counts[state === 'inflight' ? 'uncertain' : state]++;
      }
      return counts;
    }
    async close() {}
  }
  return {
    name: 'broken',
    atomicWrites: false,
    open: async () => new BrokenLedger(new Map()),
    reopen: async (ledger) => new BrokenLedger((ledger as BrokenLedger).map),
    writer: async (ledger) => ledger,
    tear: (ledger, entries) => ledger.write(entries),
    destroy: async () => {},
  };
}

describe('Ledger conformance suite', () => {
  it('fails a broken implementation on exactly the rules it breaks', async () => {
    const harness = brokenHarness();
    const outcomes: Record<string, string> = {};
    for (const check of ledgerChecks) {
      outcomes[check.name] = await check.run(harness).then(
        () => 'passed',
        () => 'failed',
      );
    }
    expect(Object.values(outcomes).filter((o) => o === 'failed')).toHaveLength(3);
    const failed = (start: string) => Object.entries(outcomes).find(([name]) => name.startsWith(start))?.[1];
    expect(failed('keeps exact JSON numbers')).toBe('failed');
    expect(failed('resume:')).toBe('failed');
    expect(failed('a torn write')).toBe('failed');
    expect(failed('counts follow')).toBe('passed');
    expect(failed('concurrent writers')).toBe('passed');
  });
});
