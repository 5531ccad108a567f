/**
 * What a command is asked about and cannot find (a run, a schedule, a state) is refused through the
 * CLI's one rendering path (src/render-error.ts): one line on stderr naming where it looked and
 * what to do, exit 1; a missing argument is a usage error, exit 2. Through the CLI, with a real
 * Redis under a fresh key prefix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from '../packages/runner/test/bullmq/redis-env.js';
import { type CliResult, runCli } from './helpers/cli.js';

/** The one stderr line of a refusal, asserted whole; stdout stays empty. */
function expectRefusal(result: CliResult, code: number, line: RegExp): void {
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(line);
  expect(result.code, result.stderr).toBe(code);
}

describe('refusals of runs, status, schedule and state go through renderError', () => {
  let dir: string;
  let prefix: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'koppel-not-found-'));
    prefix = freshPrefix();
    env = { REDIS_URL, KOPPEL_REDIS_PREFIX: prefix };
  });
  afterAll(async () => {
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('koppel runs show of an unknown run says where it looked', async () => {
    const result = await runCli(['runs', 'show', 'nope-1'], { cwd: dir, env });
    expectRefusal(result, 1, /^koppel: no run nope-1 in \S+runs; list them with `koppel runs`$/);
  });

  it('koppel state get of a job without state says the next run reads everything', async () => {
    const result = await runCli(['state', 'get', 'nightly'], { cwd: dir, env });
    expectRefusal(result, 1, /^koppel: no state for nightly in \S+; the next run reads everything$/);
  });

  it('koppel status of an unknown run names the Redis and its prefix', async () => {
    const result = await runCli(['status', 'nope-2'], { cwd: dir, env });
    expectRefusal(
      result,
      1,
      new RegExp(`^koppel: no run nope-2 on \\S+ \\(prefix ${prefix}\\); list them with \`koppel status\`$`),
    );
  });

  it('koppel status --write-outputs without a run id is a usage error (exit 2)', async () => {
    const result = await runCli(['status', '--write-outputs', join(dir, 'out')], { cwd: dir, env });
    expectRefusal(
      result,
      2,
      /^koppel: --write-outputs needs a run id: `koppel status RUN --write-outputs DIR`$/,
    );
  });

  it('koppel schedule --remove of an unknown name points at --list', async () => {
    const result = await runCli(['schedule', '--remove', 'nightly'], { cwd: dir, env });
    expectRefusal(result, 1, /^koppel: no schedule for nightly; list them with `koppel schedule --list`$/);
  });
});
