/**
 * The `koppel` command pnpm links at install time must exist before anything is built, or a fresh
 * clone gets no `npx koppel` (pnpm skips a bin whose file is missing).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const CLI = join(ROOT, 'packages/cli');
const manifest = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
};

describe('the koppel bin', () => {
  it('points at a committed launcher outside dist/', () => {
    const target = manifest.bin.koppel ?? '';
    expect(target).not.toMatch(/dist\//);
    expect(existsSync(join(CLI, target))).toBe(true);
    expect(manifest.files).toContain(target.replace(/^\.\//, '').split('/')[0]);
  });

  it('runs the built CLI', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(CLI, manifest.bin.koppel ?? ''), '--help'],
      {
        cwd: ROOT,
      },
    );
    expect(stdout).toMatch(/^Usage: koppel /);
  });
});
