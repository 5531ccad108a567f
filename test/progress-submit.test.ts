/**
 * `koppel submit --wait` shows a BullMQ run's progress (the figures of `koppel status RUN`) with
 * the renderer of `koppel run`: a bar in place on a terminal, plain lines elsewhere. Through the
 * CLI, with a `koppel worker` process, the simulator over HTTP and a real Redis under a fresh prefix.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BullmqCli, startBullmqCli } from './helpers/bullmq-cli.js';
import { runCli, type Spawned, spawnKoppel } from './helpers/cli.js';
import { type EntriesFixture, writeEntriesFixture } from './helpers/entries-fixture.js';
import { runInTerminal } from './helpers/terminal.js';

const post = { connector: 'FiEntries', method: 'POST' };

describe('koppel submit --wait progress (CLI, BullMQ)', () => {
  let ctx: BullmqCli;
  let worker: Spawned | undefined;
  let fixture: EntriesFixture;

  beforeAll(async () => {
    // Slow enough answers that the run lasts a few redraws; the 20th request is one 503 pause.
    ctx = await startBullmqCli({
      name: 'koppel-progress-submit',
      faults: {
        rules: [
          { kind: 'latency', ...post, ms: 40 },
          { kind: 'maintenance', ...post, nth: 20, retryAfter: 1 },
        ],
      },
      env: { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50' },
    });
    // 100 entries, one of which does not balance (rejected by the submitter: exit 2 at the end).
    fixture = await writeEntriesFixture(ctx.dir, ctx.sim, {
      count: 100,
      batch: 1,
      concurrency: 2,
      verify: false,
    });
    worker = spawnKoppel(['worker', '--concurrency', '2'], { cwd: ctx.dir, env: ctx.env });
    await worker.waitFor('koppel worker: ready');
  }, 60_000);
  afterAll(() => ctx?.close([worker]));

  it('on a terminal draws the bar of `koppel run` in place: done/total, %, rate, ETA or done', async () => {
    const { code, output } = await runInTerminal(
      ['submit', fixture.jobFile, '--wait', '--chunk-size', '10'],
      { cwd: ctx.dir, env: ctx.env },
    );
    expect(code, output).toBe(2);
    const bars = output.split('\r\x1b[K').slice(1);
    expect(bars.length, output).toBeGreaterThan(0);
    for (const bar of bars)
      expect(bar).toMatch(
        /^\[[█░]{20}\] \d+\.\d% \d+\/100 documents · [\d.,]+\/s( · (ETA [^·]+|done|ETA unknown[^·]*))?/,
      );
    // The last bar ends its line; the run's summary follows on its own.
    expect(bars.at(-1)).toMatch(/\r?\n/);
    expect(output).toMatch(/documents[^\n]*\r?\n[\s\S]*Run \S+ /);
  }, 90_000);

  it('elsewhere prints plain periodic lines with the same figures', async () => {
    // Another job (its own run and delivery records), so this run sends all of its entries again.
    const { sim, dir, env } = ctx;
    await mkdir(join(dir, 'plain'));
    const plain = await writeEntriesFixture(join(dir, 'plain'), sim, {
      count: 100,
      batch: 1,
      concurrency: 2,
      verify: false,
      name: 'plain-entries',
      prefix: 'P',
    });
    const result = await runCli(['submit', plain.jobFile, '--wait', '--chunk-size', '10'], {
      cwd: dir,
      env: { ...env, KOPPEL_PROGRESS_INTERVAL_MS: '100' },
    });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).not.toContain('\x1b');
    expect(result.stderr).not.toContain('delivered by earlier runs');
    const lines = result.stderr.split('\n').filter((line) => /^koppel: \d+\/100 documents/.test(line));
    expect(lines.length, result.stderr).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(
        /^koppel: \d+\/100 documents \(\d+\.\d%\), [\d.,]+\/s over the last 1 min 00 s(, ETA [^;]+|, done)?; \d+ rejected, \d+ uncertain; \d+ retr(y|ies), \d+ pauses? \(503\)/,
      );
  }, 90_000);
});
