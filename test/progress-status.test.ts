import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BullmqCli, startBullmqCli } from './helpers/bullmq-cli.js';
import { type CliResult, runCli, type Spawned, spawnKoppel } from './helpers/cli.js';
import { writeEntriesFixture } from './helpers/entries-fixture.js';

const post = { connector: 'FiEntries', method: 'POST' };
const PROGRESS = /^progress: \[[█░]{20}\] (\d+\.\d)% (\d+)\/100 documents$/m;

describe('koppel status RUN shows the progress figures of a BullMQ run', () => {
  let ctx: BullmqCli;
  let worker: Spawned | undefined;

  beforeAll(async () => {
    // The 30th request answers 503 with retry_after 60 s: the environment stays paused while the test looks.
    ctx = await startBullmqCli({
      name: 'koppel-progress-status',
      faults: {
        rules: [
          { kind: 'latency', ...post, ms: 5 },
          { kind: 'maintenance', ...post, nth: 30, retryAfter: 60 },
        ],
      },
    });
  });
  afterAll(() => ctx?.close([worker]));

  it('done/total and % before any worker (local times), then rate, ETA, retries and the 503 pause while one works', async () => {
    const { sim, dir, env } = ctx;
    const fixture = await writeEntriesFixture(dir, sim, {
      count: 100,
      batch: 1,
      concurrency: 2,
      verify: false,
    });
    const submitted = await runCli(['submit', fixture.jobFile, '--chunk-size', '10'], { cwd: dir, env });
    expect(submitted.code, submitted.stderr).toBe(0);
    const runId = /submitted run (\S+)/.exec(submitted.stdout)?.[1] ?? '';

    // No worker yet: the submitter settled only the entry that does not balance.
    const before = await runCli(['status', runId], { cwd: dir, env });
    expect(before.stdout).toMatch(PROGRESS);
    expect(PROGRESS.exec(before.stdout)?.slice(1)).toEqual(['1.0', '1']);
    expect(before.stdout).toMatch(/^rate: {5}0\.0 documents\/s over the last 1 min 00 s; ETA unknown/m);
    expect(before.stdout).toMatch(/^waits: {4}0 retries, 0 pauses \(503\)$/m);
    // Times in the local time zone, with its offset.
    expect(before.stdout).toMatch(/^created: {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/m);

    worker = spawnKoppel(['worker', '--concurrency', '2'], { cwd: dir, env });
    let paused: CliResult | undefined;
    const deadline = Date.now() + 60_000;
    while (!paused && Date.now() < deadline) {
      const status = await runCli(['status', runId], { cwd: dir, env });
      if (/now paused by AFAS \(503\)/.test(status.stdout)) paused = status;
    }
    expect(paused?.stdout, worker.stderr()).toBeDefined();
    const text = paused?.stdout ?? '';
    const [, pct, done] = PROGRESS.exec(text) ?? [];
    // 29 requests were answered before the 503, in chunks of 10 documents.
    expect(Number(done)).toBeGreaterThan(10);
    expect(Number(done)).toBeLessThan(100);
    expect(Number(pct)).toBe(Number(done));
    expect(text).toMatch(
      /^rate: {5}[\d.,]+ documents\/s over the last 1 min 00 s; ETA \d+ (s|min \d\d s|h \d\d min) \((\d{4}-\d\d-\d\d )?\d\d:\d\d(:\d\d)?\)$/m,
    );
    expect(Number(/^rate: {5}([\d.]+)/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(
      /^waits: {4}\d+ retr(y|ies), \d+ pauses? \(503\); now paused by AFAS \(503\), resumes in (\d+ s|1 min 00 s)$/m,
    );

    const json = await runCli(['status', runId, '--json'], { cwd: dir, env });
    expect(JSON.parse(json.stdout).progress.figures).toMatchObject({
      total: 100,
      unit: 'documents',
      windowMs: 60_000,
      pausedMs: expect.any(Number),
    });
  }, 120_000);
});
