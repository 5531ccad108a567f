import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { writeEntriesFixture } from './helpers/entries-fixture.js';

const post = { connector: 'FiEntries', method: 'POST' };
const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };

describe('koppel run progress while a request hangs (CLI)', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-progress-stalled-'));
  });
  afterEach(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('names a request that hangs (describeStalled of @koppel/afas) instead of a stale ETA', async () => {
    // The second write takes 11.5 s to answer: longer than the 10 s after which a request counts as hanging.
    sim = await startSimulator({
      port: 0,
      faults: { rules: [{ kind: 'latency', ...post, nth: 2, ms: 11_500 }] },
    });
    const fixture = await writeEntriesFixture(dir, sim, {
      count: 3,
      batch: 1,
      concurrency: 1,
      invalid: false,
      verify: false,
    });
    const env = { ...ENV, KOPPEL_PROGRESS_INTERVAL_MS: '250' };
    const result = await runCli(['run', fixture.jobFile], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    const hanging = result.stderr
      .split('\n')
      .filter((line) =>
        / waiting \d+ s on POST \/\S*connectors\/FiEntries \((first byte|sending|connecting|reading the answer), gives up in \d+ s\)$/.test(
          line,
        ),
      );
    expect(hanging.length, result.stderr).toBeGreaterThan(0);
    for (const line of hanging) expect(line).not.toContain('ETA');
  }, 60_000);
});
