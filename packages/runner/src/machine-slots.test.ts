import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MachineSlots } from './machine-slots.js';

describe('MachineSlots', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-slots-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lets at most `limit` holders in across instances, the next one in after a release', async () => {
    const a = new MachineSlots('http://127.0.0.1:1/12345/ProfitRestServices', { limit: 2, dir });
    const b = new MachineSlots('http://127.0.0.1:1/12345/ProfitRestServices', { limit: 2, dir });
    const first = await a.acquire();
    await b.acquire();
    let third = false;
    const waiting = a.acquire().then((release) => {
      third = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(third).toBe(false);
    await first();
    await (await waiting)();
    expect(third).toBe(true);
  });

  it('takes over a slot left by a process that died', async () => {
    const slots = new MachineSlots('env', { limit: 1, dir });
    const release = await slots.acquire();
    await release();
    await writeFile(join(slots.dir, '0'), '999999999 dead-owner');
    const taken = await slots.acquire();
    await taken();
  });

  it('stops waiting when the signal aborts', async () => {
    const slots = new MachineSlots('env', { limit: 1, dir });
    await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('stopped by the user'));
    await expect(waiting).rejects.toThrow('stopped by the user');
  });
});
