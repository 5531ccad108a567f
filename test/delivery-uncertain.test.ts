import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { environmentIdentity } from '@koppel/core';
import { LmdbDeliveryStore } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

describe('a send of an earlier run that never settled is looked up, never resent blindly', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-inflight-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Marks keys `inflight` in the delivery store, as a run killed after sending leaves them. */
  async function markInflight(state: string, keys: string[]): Promise<void> {
    const store = await LmdbDeliveryStore.open(state);
    const scope = {
      environment: environmentIdentity(sim.baseUrl()),
      connector: 'FiEntries',
      scope: 'chaos-entries',
    };
    const records = await store.get(scope, keys);
    await store.put(
      scope,
      records.map((record, i) => ({
        key: keys[i] as string,
        state: 'inflight' as const,
        payloadHash: record?.payloadHash ?? '0'.repeat(64),
        sentAt: new Date().toISOString(),
        runId: 'killed-run',
      })),
    );
    await store.close();
  }

  it('with verify: found in Profit -> delivered, not sent; missing -> sent once; without verify: held', async () => {
    const state = join(dir, 'state');
    const env = { KOPPEL_STATE_DIR: state, KOPPEL_RETRY_BASE_MS: '5', KOPPEL_VERIFY_DELAY_MS: '0' };
    const fixture = await writeEntriesFixture(dir, sim, { count: 6, invalid: false });
    expect((await runCli(['run', fixture.jobFile], { cwd: dir, env })).code).toBe(0);
    expect(storedEntries(sim).size).toBe(6);

    // V000001 and V000002 are stored in Profit; their records say a send never settled.
    await markInflight(state, ['V000001', 'V000002']);
    const looked = await runCli(['run', fixture.jobFile, '--new-run'], { cwd: dir, env });
    expect(looked.code).toBe(0);
    expect(looked.stderr).toContain('4 record(s) skipped as delivered');
    expect([...storedEntries(sim).values()].filter((entries) => entries.size !== 1)).toEqual([]);
    expect(storedEntries(sim).size).toBe(6);

    // After a reset Profit has nothing: the unsettled ones are looked up, missing, sent once.
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    await markInflight(state, ['V000003']);
    const resent = await runCli(['run', fixture.jobFile, '--new-run'], { cwd: dir, env });
    expect(resent.code).toBe(0);
    expect([...storedEntries(sim).keys()]).toEqual(['V000003']);

    // Without verify: an unsettled record is held (exit 1), nothing is sent for it.
    const noVerify = await writeEntriesFixture(dir, sim, { count: 6, invalid: false, verify: false });
    await markInflight(state, ['V000004']);
    const held = await runCli(['run', noVerify.jobFile, '--new-run'], { cwd: dir, env });
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('1 uncertain');
    expect([...storedEntries(sim).keys()]).toEqual(['V000003']);
  }, 120_000);
});
