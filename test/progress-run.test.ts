import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { writeEntriesFixture } from './helpers/entries-fixture.js';
import { runInTerminal } from './helpers/terminal.js';

const post = { connector: 'FiEntries', method: 'POST' };
const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_RETRY_MAX_MS: '50', KOPPEL_VERIFY_DELAY_MS: '0' };
/** One 503 (a pause of `retryAfter` s) and one "locked by another user" (a retry). */
const faults = (retryAfter: number) => ({
  rules: [
    { kind: 'latency' as const, ...post, ms: 5 },
    { kind: 'maintenance' as const, ...post, nth: 3, retryAfter },
    { kind: 'locked' as const, ...post, nth: 6 },
  ],
});

describe('koppel run progress (CLI)', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-progress-'));
  });
  afterEach(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('on a terminal draws a bar in place with done/total in source records, %, retries and 503 pauses, and keeps the last one', async () => {
    sim = await startSimulator({ port: 0, faults: faults(0.2) });
    // 100 entries of two lines: 200 source records; entry 77 does not balance (rejected before sending).
    const fixture = await writeEntriesFixture(dir, sim, { count: 100, batch: 1, verify: false });
    const { code, output } = await runInTerminal(['run', fixture.jobFile], { cwd: dir, env: ENV });
    expect(code, output).toBe(2);
    // Redrawn in place: carriage return + erase line before each bar.
    const bars = output.split('\r\x1b[K').slice(1);
    expect(bars.length, output).toBeGreaterThan(0);
    for (const bar of bars) expect(bar).toMatch(/^\[[█░]{20}\] \d+\.\d% \d+\/200 source records · /);
    // The last bar is kept (ends the line) and says everything settled.
    const last = bars.at(-1) ?? '';
    expect(last).toMatch(
      /^\[█{20}\] 100\.0% 200\/200 source records · [\d.,]+\/s · done · 6 rejected · \d+ retr(y|ies), 1 pause \(503\)\r?\n/,
    );
    expect(last).not.toMatch(/1 pause \(503\) · \d+ retr/);
    expect(Number(/ (\d+) retr/.exec(last)?.[1])).toBeGreaterThanOrEqual(1);
    // The summary follows the kept bar on its own line.
    expect(output).toMatch(/\(503\)\r?\n[\s\S]*done /);
  }, 60_000);

  it('elsewhere prints plain periodic lines (a 503 pause shown as such), and JSON logs carry the figures', async () => {
    sim = await startSimulator({ port: 0, faults: faults(1.5) });
    const fixture = await writeEntriesFixture(dir, sim, { count: 100, batch: 1, verify: false });
    const env = { ...ENV, KOPPEL_PROGRESS_INTERVAL_MS: '100' };
    const text = await runCli(['run', fixture.jobFile], { cwd: dir, env });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).not.toContain('\x1b');
    const lines = text.stderr.split('\n').filter((line) => /^koppel: \d+\/200 source records/.test(line));
    // The pause alone lasts 1.5 s: lines every 100 ms give several, plus the last one.
    expect(lines.length, text.stderr).toBeGreaterThan(2);
    for (const line of lines) {
      expect(line).toMatch(
        /^koppel: \d+\/200 source records \(\d+\.\d%\), [\d.,]+\/s over the last 30 s(, ETA [^;]+|, done)?; \d+ rejected, \d+ uncertain; \d+ retr(y|ies), [01] pauses? \(503\)/,
      );
    }
    expect(
      lines.some((line) => /; paused by AFAS \(503\), resumes in \d+ s$/.test(line)),
      text.stderr,
    ).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^koppel: 200\/200 source records \(100\.0%\), [\d.,]+\/s over the last 30 s, done; 6 rejected, 0 uncertain; \d+ retr(y|ies), 1 pause \(503\)$/,
    );

    const json = await runCli(['run', fixture.jobFile, '--new-run', '--log-format', 'json'], {
      cwd: dir,
      env,
    });
    const logged = json.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const progress = logged.filter((line) => line.msg === 'progress');
    expect(progress.length, json.stderr).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({
      done: 200,
      level: 'info',
      total: 200,
      unit: 'source records',
      windowMs: 30_000,
    });
    expect(JSON.parse(json.stdout).counts).toMatchObject({ pending: 0 });
  }, 60_000);
});
