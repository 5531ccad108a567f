/**
 * Delivery store against today's run ledger, side by side in one run: writes/s (durable puts in
 * batches), lookups/s (one key per get, as the pipeline asks), bytes on disk per million keys and
 * the file-backed memory the process gained (RssFile + RssShmem, sampled every 1,000 operations):
 * the LMDB store as it runs (its environment reopened whenever its map gained 16 MiB) and never
 * reopened (`mapBudget` unbounded).
 *
 *   node --conditions=@koppel/source --import tsx bench/delivery-store.ts [keys] [batch]
 *
 * Defaults: 1,000,000 keys, batches of 64 (the size `batch: auto` settles on for FiEntries).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryRecord, LedgerEntry } from '@koppel/core';
import { FileLedger, LmdbDeliveryStore, type LmdbDeliveryStoreOptions } from '@koppel/runner';

const keys = Number(process.argv[2] ?? 1_000_000);
const batch = Number(process.argv[3] ?? 64);
const lookups = Math.min(200_000, keys);
const scope = {
  environment: 'https://12345.rest.afas.online/profitrestservices#12345',
  connector: 'FiEntries',
  scope: 'memoriaal',
};
const keyOf = (i: number): string => `V${String(i).padStart(8, '0')}`;
const at = new Date().toISOString();

/** Bytes the files of a directory take on disk (allocated blocks) and their apparent size. */
async function diskBytes(dir: string): Promise<{ allocated: number; apparent: number }> {
  let allocated = 0;
  let apparent = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const info = await stat(join(entry.parentPath, entry.name));
    allocated += info.blocks * 512;
    apparent += info.size;
  }
  return { allocated, apparent };
}

/** Resident file-backed and shared memory of this process, in bytes (/proc/self/status). */
function fileBacked(): number {
  const status = readFileSync('/proc/self/status', 'latin1');
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return (kb('RssFile') + kb('RssShmem')) * 1024;
}

interface Figures {
  name: string;
  writesPerSecond: number;
  lookupsPerSecond: number;
  bytesPerMillion: number;
  apparentPerMillion: number;
  /** Peak file-backed memory gained over the store's lifetime (writes, then lookups). */
  fileBackedGain: { writes: number; lookups: number };
  reopens?: number;
}

async function measure(
  name: string,
  open: (dir: string) => Promise<{
    write(from: number, to: number): Promise<void>;
    lookup(key: string): Promise<unknown>;
    close(): Promise<void>;
    reopens?: () => number;
  }>,
): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'koppel-bench-delivery-'));
  try {
    const base = fileBacked();
    const gain = { writes: 0, lookups: 0 };
    const store = await open(dir);
    let started = performance.now();
    for (let i = 0; i < keys; i += batch) {
      await store.write(i, Math.min(keys, i + batch));
      if (i % 1024 < batch) gain.writes = Math.max(gain.writes, fileBacked() - base);
    }
    const writesPerSecond = keys / ((performance.now() - started) / 1000);
    started = performance.now();
    let found = 0;
    let seed = 42;
    for (let n = 0; n < lookups; n++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      if (await store.lookup(keyOf(seed % keys))) found++;
      if (n % 1000 === 0) gain.lookups = Math.max(gain.lookups, fileBacked() - base);
    }
    const lookupsPerSecond = lookups / ((performance.now() - started) / 1000);
    if (found !== lookups) throw new Error(`${name}: ${lookups - found} of ${lookups} lookups missed`);
    const reopens = store.reopens?.();
    await store.close();
    const bytes = await diskBytes(dir);
    return {
      name,
      writesPerSecond,
      lookupsPerSecond,
      bytesPerMillion: (bytes.allocated / keys) * 1e6,
      apparentPerMillion: (bytes.apparent / keys) * 1e6,
      fileBackedGain: gain,
      ...(reopens === undefined ? {} : { reopens }),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const lmdbStore = (name: string, options: LmdbDeliveryStoreOptions) =>
  measure(name, async (dir) => {
    const store = await LmdbDeliveryStore.open(dir, options);
    return {
      write: (from, to) => {
        const records: DeliveryRecord[] = [];
        for (let i = from; i < to; i++) {
          records.push({
            key: keyOf(i),
            state: 'delivered',
            payloadHash: (i * 2654435761).toString(16).padStart(64, '0'),
            sentAt: at,
            settledAt: at,
            runId: 'memoriaal-0123456789',
            result: { EnNo: String(50000 + i) },
          });
        }
        return store.put(scope, records);
      },
      lookup: async (key) => (await store.get(scope, [key]))[0],
      close: () => store.close(),
      reopens: () => store.reopens,
    };
  });
const lmdb = await lmdbStore('LmdbDeliveryStore', {});
const unbounded = await lmdbStore('  never reopened', { mapBudget: Number.MAX_SAFE_INTEGER });

const file = await measure('FileLedger (today)', async (dir) => {
  const ledger = await FileLedger.open(dir);
  return {
    write: (from, to) => {
      const entries: LedgerEntry[] = [];
      for (let i = from; i < to; i++) {
        entries.push({ key: keyOf(i), state: 'done', attempts: 1, result: { EnNo: String(50000 + i) }, at });
      }
      return ledger.write(entries);
    },
    lookup: async (key) => (await ledger.get([key]))[0],
    close: () => ledger.close(),
  };
});

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
process.stdout.write(
  `${fmt(keys)} keys, puts of ${batch}, ${fmt(lookups)} random single-key lookups, Node ${process.version}\n`,
);
process.stdout.write(
  'store                 writes/s    lookups/s   bytes/1M keys (allocated / apparent)   file-backed RSS gained: writes / lookups (reopens)\n',
);
const mb = (n: number): string => `${(n / 1048576).toFixed(0)} MB`;
for (const f of [lmdb, unbounded, file]) {
  process.stdout.write(
    `${f.name.padEnd(20)} ${fmt(f.writesPerSecond).padStart(10)} ${fmt(f.lookupsPerSecond).padStart(12)}   ${`${fmt(f.bytesPerMillion)} / ${fmt(f.apparentPerMillion)}`.padEnd(38)} ${mb(f.fileBackedGain.writes)} / ${mb(f.fileBackedGain.lookups)}${f.reopens === undefined ? '' : ` (${f.reopens})`}\n`,
  );
}
