import { readFileSync } from 'node:fs';
import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as afas from '../src/index.js';
import { withSim } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await withSim();
});
afterAll(() => sim.close());

it('runs the README example against the simulator', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const lines = code.trim().split('\n');
  expect(lines[0]).toBe("import { createAfasClient, where } from '@koppel/afas';");
  expect(lines.length).toBeLessThanOrEqual(12);
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  const run = new AsyncFunction('createAfasClient', 'where', 'process', 'console', lines.slice(1).join('\n'));
  const printed: unknown[] = [];
  await run(
    afas.createAfasClient,
    afas.where,
    { env: { AFAS_URL: sim.baseUrl() } },
    { log: (value: unknown) => printed.push(value) },
  );
  expect(printed[0]).toEqual(['Bakkerij De Korenschoof', 'Jansen Installatietechniek', 'Café Noël']);
  expect(printed[1]).toEqual({ KnSubject: { SbId: expect.stringMatching(/^\d+$/) } });
  expect(sim.control.journal({ connector: 'KnSubject' }).map((e) => e.row.Description)).toEqual([
    'Hello from Koppel',
  ]);
});
