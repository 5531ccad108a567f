import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type MappedItem, runPipeline, type Sink, type Verifier } from '@koppel/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLedger } from '../src/file-ledger.js';
import { createInProcessExecutor } from '../src/in-process-executor.js';
import { MachineSlots } from '../src/machine-slots.js';

/** `count` uncertain records (a crash mid-request) and the documents of their input. */
async function uncertainRun(dir: string, count: number) {
  const ledger = await FileLedger.open(dir);
  const keys = Array.from({ length: count }, (_, i) => `E${i}`);
  await ledger.write(keys.map((key) => ({ key, state: 'uncertain' as const, attempts: 1 })));
  const items = (async function* (): AsyncGenerator<MappedItem> {
    for (const [i, key] of keys.entries())
      yield {
        document: {
          key,
          element: {},
          records: [{ fields: {}, origin: { file: 'in.csv', line: i + 2, index: i } }],
        },
      };
  })();
  return { ledger, items };
}

/** A verifier that finds every record, counting lookups at once (each takes `ms`). */
function countingVerifier(ms: number) {
  const seen = { calls: 0, inFlight: 0, most: 0 };
  const verifier: Verifier = {
    async find(document) {
      seen.calls++;
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      await delay(ms);
      seen.inFlight--;
      return { EnNo: document.key };
    },
  };
  return { seen, verifier };
}

const noSend: Sink = {
  send: () => Promise.reject(new Error('a found record must not be sent')),
};

describe('verify: lookups of uncertain records take request slots like POSTs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-verify-slots-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('looks nothing up while another process holds every machine-wide slot of the environment', async () => {
    const environment = `http://verify-slots-${randomUUID()}.test`;
    const slotsDir = join(dir, 'slots');
    const previous = process.env.KOPPEL_SLOTS_DIR;
    process.env.KOPPEL_SLOTS_DIR = slotsDir;
    try {
      const other = new MachineSlots(environment, { limit: 8, dir: slotsDir });
      const held = await Promise.all(Array.from({ length: 8 }, () => other.acquire()));
      const { ledger, items } = await uncertainRun(join(dir, 'run'), 12);
      const { seen, verifier } = countingVerifier(1);
      const run = runPipeline({
        items,
        ledger,
        sink: noSend,
        executor: createInProcessExecutor({ concurrency: 8, environment }),
        classify: () => ({ action: 'stop' }),
        verifier,
        verifyDelayMs: 0,
      });
      await delay(500);
      expect(seen.calls).toBe(0);
      for (const release of held) await release();
      const outcome = await run;
      expect(outcome).toEqual({ held: [] });
      expect(seen.calls).toBe(12);
      expect(ledger.counts()).toEqual({ pending: 0, done: 12, rejected: 0, uncertain: 0 });
      await ledger.close();
    } finally {
      if (previous === undefined) delete process.env.KOPPEL_SLOTS_DIR;
      else process.env.KOPPEL_SLOTS_DIR = previous;
    }
  });

  it('keeps lookups within run.concurrency in this process', async () => {
    const { ledger, items } = await uncertainRun(join(dir, 'run'), 24);
    const { seen, verifier } = countingVerifier(10);
    await runPipeline({
      items,
      ledger,
      sink: noSend,
      executor: createInProcessExecutor({ concurrency: 2 }),
      classify: () => ({ action: 'stop' }),
      verifier,
      verifyDelayMs: 0,
    });
    expect(seen.calls).toBe(24);
    expect(seen.most).toBe(2);
    expect(ledger.counts().done).toBe(24);
    await ledger.close();
  });
});
