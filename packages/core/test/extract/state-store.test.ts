import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/extract/duration.js';
import { StateStore } from '../../src/state/state-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'koppel-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StateStore', () => {
  it('gets, sets atomically (no temporary file left) and clears named state', async () => {
    const store = new StateStore(join(dir, 'state'));
    expect(await store.get('job-a')).toBeUndefined();
    await store.set('job-a', { watermark: '2024-06-12T14:03:21+02:00' });
    await store.set('job-a', { watermark: '2025-01-02T16:45:10+01:00' });
    expect(await store.get('job-a')).toEqual({ watermark: '2025-01-02T16:45:10+01:00' });
    expect(await readdir(join(dir, 'state'))).toEqual(['job-a.json']);
    expect(await readFile(join(dir, 'state/job-a.json'), 'utf8')).toBe(
      '{\n  "watermark": "2025-01-02T16:45:10+01:00"\n}\n',
    );
    expect(await store.clear('job-a')).toBe(true);
    expect(await store.clear('job-a')).toBe(false);
  });

  it('refuses a name that is not a job name, and unreadable JSON with the fix', async () => {
    const store = new StateStore(dir);
    expect(() => store.path('../etc')).toThrow(
      'Expected a job name (lower case letters, digits, . _ -) to name state, got "../etc".',
    );
    await writeFile(join(dir, 'broken.json'), '{');
    await expect(store.get('broken')).rejects.toThrow(/run `koppel state clear broken`/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['10m', 600_000],
    ['30s', 30_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['0s', 0],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  it('refuses other forms', () => {
    expect(() => parseDuration('10 minutes', 'lookback')).toThrow(
      'Expected lookback to be a number and a unit (ms, s, m, h, d) such as 10m, got "10 minutes".',
    );
  });
});
