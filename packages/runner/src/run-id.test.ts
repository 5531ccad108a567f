import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityHash, makeRunId, runIdentity } from './run-id.js';
import { RunStore } from './run-store.js';

describe('run identity', () => {
  it('is stable for the same job and input, and changes with the input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-id-'));
    const input = join(dir, 'in.csv');
    await writeFile(input, 'a;b\n1;2\n');
    await utimes(input, 1_700_000_000, 1_700_000_000);
    const first = identityHash(await runIdentity(join(dir, 'job.yaml'), input));
    expect(identityHash(await runIdentity(join(dir, 'job.yaml'), input))).toBe(first);
    await writeFile(input, 'a;b\n1;3\n');
    await utimes(input, 1_700_000_000, 1_700_000_000);
    expect(identityHash(await runIdentity(join(dir, 'job.yaml'), input))).toBe(first);
    await writeFile(input, 'a;b\n1;2\n3;4\n');
    expect(identityHash(await runIdentity(join(dir, 'job.yaml'), input))).not.toBe(first);
    expect(makeRunId('demo-entries', 'abc')).toBe('demo-entries-abc');
    expect(makeRunId('demo', 'abc', true)).toMatch(/^demo-abc-[0-9a-z]+$/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('RunStore.lock', () => {
  it('refuses a run held by a live process and takes over one left by a dead process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'koppel-lock-'));
    const store = new RunStore(dir);
    await writeFile(join(await mkdirRun(store, 'r1'), 'lock'), String(process.ppid));
    await expect(store.lock('r1')).rejects.toThrow(`Run r1 is in use by process ${process.ppid}`);
    await writeFile(join(store.dir('r1'), 'lock'), '999999999');
    const release = await store.lock('r1');
    await release();
    await rm(dir, { recursive: true, force: true });
  });
});

async function mkdirRun(store: RunStore, runId: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(store.dir(runId), { recursive: true });
  return store.dir(runId);
}
