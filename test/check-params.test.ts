/**
 * scripts/check-params.ts (run by `pnpm lint`) on a fixture tree: it names exactly the function-like
 * declarations over three parameters under packages/<pkg>/src, skips *.generated.ts, lets an
 * ALLOWED entry suppress one and reports an ALLOWED entry that matches nothing. Whether the real
 * repository is clean is the lint step's business, not this test's.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkParams, type Offender } from '../scripts/check-params.js';
import { ROOT } from './helpers/cli.js';

const A_TS = `export function four(a: number, b: number, c: number, d: number): number {
  return a + b + c + d;
}

export class Holder {
  constructor(private readonly x: number) {}
  method(a: string, b: string, c: string, d: string): string {
    return a + b + c + d + this.x;
  }
}

export const arrow = (a: number, b: number, c: number, d: number, e: number): number => a + b + c + d + e;

export function three(a: number, b: number, c: number): number {
  return a + b + c;
}

export function withThis(this: unknown, a: number, b: number, c: number): number {
  return a + b + c;
}

export type Callback = (a: number, b: number, c: number, d: number) => void;

export const sums = [[1, 2, 3, 4]].map(function (row, i, all, extra?: unknown) {
  return row.length + i + all.length + (extra ? 1 : 0);
});
`;

const GENERATED_TS = `export function generated(a: number, b: number, c: number, d: number): number {
  return a + b + c + d;
}
`;

let root: string;
let clean: string;

function write(base: string, path: string, text: string): void {
  mkdirSync(dirname(join(base, path)), { recursive: true });
  writeFileSync(join(base, path), text);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'koppel-check-params-'));
  write(root, 'packages/x/src/a.ts', A_TS);
  write(root, 'packages/x/src/b.generated.ts', GENERATED_TS);
  write(root, 'packages/x/test/outside-src.ts', GENERATED_TS.replace('generated', 'outside'));
  mkdirSync(join(root, 'packages/no-src'), { recursive: true });
  clean = mkdtempSync(join(tmpdir(), 'koppel-check-params-clean-'));
  write(
    clean,
    'packages/x/src/a.ts',
    'export const three = (a: number, b: number, c: number) => a + b + c;\n',
  );
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(clean, { recursive: true, force: true });
});

const EXPECTED: Offender[] = [
  { file: 'packages/x/src/a.ts', line: 1, name: 'four', count: 4 },
  { file: 'packages/x/src/a.ts', line: 7, name: 'Holder.method', count: 4 },
  { file: 'packages/x/src/a.ts', line: 12, name: 'arrow', count: 5 },
  { file: 'packages/x/src/a.ts', line: 24, name: '(anon)', count: 4 },
];

describe('check-params', () => {
  it('names exactly the declarations over three parameters under packages/*/src, *.generated.ts excluded', () => {
    expect(checkParams(root, {})).toEqual({ offenders: EXPECTED, unused: [] });
  });

  it('lets an ALLOWED entry suppress one offender and reports an entry that matches nothing', () => {
    const allowed = {
      'packages/x/src/a.ts Holder.method': 'fixture: allowed on purpose',
      'packages/x/src/a.ts gone': 'fixture: names nothing',
    };
    expect(checkParams(root, allowed)).toEqual({
      offenders: EXPECTED.filter((o) => o.name !== 'Holder.method'),
      unused: ['packages/x/src/a.ts gone'],
    });
  });

  it('prints one `file:line name count` line per offender and exits 1; exits 0 on a clean tree', async () => {
    const run = promisify(execFile);
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const script = join(ROOT, 'scripts/check-params.ts');
    const failed = await run(tsx, [script, root]).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout.trim().split('\n')).toEqual(
      EXPECTED.map((o) => `${o.file}:${o.line} ${o.name} ${o.count}`),
    );
    expect(failed?.stderr).toContain('4 function(s) take more than 3 positional parameters');
    const passed = await run(tsx, [script, clean]);
    expect(passed.stdout).toBe('');
  });
});
