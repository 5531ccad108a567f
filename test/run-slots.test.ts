import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { MachineSlots } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finished, spawnCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

describe('the machine-wide cap of 8 covers every request of a run', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-slots-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends nothing, not even the metainfo read, while another process holds all 8 slots', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 20, batch: 1, invalid: false });
    const slotsDir = join(dir, 'slots');
    // This test process plays "another koppel run" holding every slot of the environment.
    const other = new MachineSlots(sim.baseUrl(), { limit: 8, dir: slotsDir });
    const held = await Promise.all(Array.from({ length: 8 }, () => other.acquire()));
    const run = finished(
      spawnCli(['run', fixture.jobFile], { cwd: dir, env: { KOPPEL_SLOTS_DIR: slotsDir } }),
    );
    await delay(5000);
    expect(sim.control.stats().total).toBe(0);
    for (const release of held) await release();
    const result = await run;
    expect(result.code).toBe(0);
    expect(storedEntries(sim).size).toBe(20);
  }, 60_000);
});
