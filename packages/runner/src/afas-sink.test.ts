import { AfasUnverifiedAnswerError, createAfasClient } from '@koppel/afas';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import type { Batch, SinkResult } from '@koppel/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAfasSink } from './afas-sink.js';

const subject = (subject: string) => ({
  Fields: { StId: 1, Ds: subject },
});

describe('createAfasSink against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, onError: () => undefined });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.control.reset());

  const sink = () =>
    createAfasSink({
      client: createAfasClient({
        environmentId: 0,
        url: sim.baseUrl(),
        auth: { type: 'token', token: DEMO_TOKEN },
      }),
      root: 'KnSubject',
      build: (batch) => ({
        method: 'POST',
        path: '/connectors/KnSubject',
        body: { KnSubject: { Element: batch.map((doc) => doc.element) } },
      }),
    });
  const batch = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ key: String(i), element: subject(`s${i}`) })) as unknown as Batch;

  it('gives a single element the root keys from the checked answer', async () => {
    const [result] = (await sink().send(batch(1))) as SinkResult[];
    expect(Object.keys(result ?? {})).toContain('SbId');
  });

  it.each([
    ['garbage200', 'a body that is not JSON'],
    ['htmlLogin200', 'an HTML page'],
    ['resultsMissing201', 'JSON without results'],
  ] as const)('%s is an unverified answer, never a result', async (kind, problem) => {
    sim.control.setFaults({ rules: [{ kind, connector: 'KnSubject', times: 1 }] });
    const error = await sink()
      .send(batch(1))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfasUnverifiedAnswerError);
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).toMatch(
      /^AFAS POST \S*\/ProfitRestServices\/connectors\/KnSubject answered 20[01] /,
    );
  });
});
