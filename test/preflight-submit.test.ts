import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { KoppelKeys, openRedis, startWorker } from '@koppel/runner/bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';
import { spawnKoppel } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };

describe('koppel submit goes through the pre-flight before it enqueues anything', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-preflight-submit-'));
    prefix = freshPrefix();
  });
  afterEach(async () => {
    await dropPrefix(prefix);
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('an unbalanced entry at the end of the file: nothing reaches AFAS through a running worker', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 300, invalid: false, batch: 10 });
    const job = await readFile(fixture.jobFile, 'utf8');
    await writeFile(fixture.jobFile, job.replace(' on_invalid: reject,', ''));
    await appendFile(join(dir, 'entries.csv'), 'X1;1;4000;X1;Regel;10,00;\nX1;1;1100;X1;Tegen;;9,99\n');
    const redis = openRedis(REDIS_URL);
    const worker = startWorker({ redis, keys: new KoppelKeys(prefix), env: { ...process.env, ...ENV } });
    try {
      const result = await spawnKoppel(['submit', fixture.jobFile, '--wait'], {
        cwd: dir,
        env: { ...ENV, REDIS_URL, KOPPEL_REDIS_PREFIX: prefix },
      }).exit;
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'koppel: pre-flight: 1 of 301 document(s) in entries.csv are invalid; nothing was sent',
      );
      expect(result.stderr).toMatch(/record X1 \(entries\.csv:602-603\): entry is not balanced/);
    } finally {
      await worker.close();
      redis.disconnect();
    }
    expect(storedEntries(sim).size).toBe(0);
    expect(
      sim.control.stats().requests.filter((r) => r.connector === 'FiEntries' && r.method !== 'GET'),
    ).toEqual([]);
  }, 120_000);
});
