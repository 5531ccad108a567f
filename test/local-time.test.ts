/**
 * Human output shows times in the local time zone with its offset (`koppel runs`, `koppel runs
 * show`, `koppel state forget`); the files keep UTC. The CLI runs with TZ=Europe/Amsterdam and
 * TZ=UTC, and the expected text is computed with Intl, not with the CLI's formatter.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { writeEntriesFixture } from './helpers/entries-fixture.js';

let sim: Simulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'koppel-local-time-'));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/** `2026-12-02 20:03:12 +01:00` in `zone`, from Intl. */
function local(iso: string, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`;
}

describe('times in human output', () => {
  it('koppel runs, runs show and state forget print local time with the offset; run.json keeps UTC', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 3, invalid: false, verify: false });
    const state = join(dir, 'state');
    const amsterdam = { KOPPEL_STATE_DIR: state, TZ: 'Europe/Amsterdam' };
    const run = await runCli(['run', fixture.jobFile, '--log-format', 'json'], { cwd: dir, env: amsterdam });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
      runId: string;
      startedAt: string;
    };
    expect(report.startedAt).toMatch(/Z$/);
    const meta = JSON.parse(await readFile(join(state, 'runs', report.runId, 'run.json'), 'utf8')) as {
      createdAt: string;
      sessions: { startedAt: string; endedAt: string }[];
    };
    expect(meta.createdAt).toMatch(/Z$/);

    const list = await runCli(['runs'], { cwd: dir, env: amsterdam });
    const row = list.stdout.split('\n').find((line) => line.startsWith(report.runId)) ?? '';
    expect(row.endsWith(` ${local(meta.createdAt, 'Europe/Amsterdam')}`)).toBe(true);
    expect(row).toMatch(/ \+0[12]:00$/);

    const show = await runCli(['runs', 'show', report.runId], { cwd: dir, env: amsterdam });
    const session = meta.sessions[0] as { startedAt: string; endedAt: string };
    expect(show.stdout).toContain(`created: ${local(meta.createdAt, 'Europe/Amsterdam')}\n`);
    expect(show.stdout).toContain(
      `  ${local(session.startedAt, 'Europe/Amsterdam')} -> ${local(session.endedAt, 'Europe/Amsterdam')} exit 0`,
    );
    const utc = await runCli(['runs', 'show', report.runId], { cwd: dir, env: { ...amsterdam, TZ: 'UTC' } });
    expect(utc.stderr).toBe('');
    expect(utc.stdout).toContain(`created: ${local(meta.createdAt, 'UTC')}\n`);
    expect(local(meta.createdAt, 'UTC')).not.toBe(local(meta.createdAt, 'Europe/Amsterdam'));

    const forget = await runCli(['state', 'forget', fixture.jobFile, '--dry-run'], {
      cwd: dir,
      env: amsterdam,
    });
    expect(forget.code).toBe(0);
    const sent = [...forget.stdout.matchAll(/\tsent ([^\t]+)\t/g)].map((match) => match[1] as string);
    expect(sent).toHaveLength(3);
    for (const text of sent) {
      expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0[12]:00$/);
      // Within the run's session, read back in Amsterdam time.
      const at = Date.parse(text.replace(' ', 'T').replace(' ', ''));
      expect(at).toBeGreaterThanOrEqual(Date.parse(session.startedAt) - 1000);
      expect(at).toBeLessThanOrEqual(Date.parse(session.endedAt) + 1000);
    }
  }, 90_000);
});
