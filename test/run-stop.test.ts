import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAfasClient } from '@koppel/afas';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { createAfasSink, prepareJobRun, runSession } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';

/** seeds/demo.yaml: a token whose App Connector has no UpdateConnectors. */
const READONLY_TOKEN = '2d2e68941b7aba1431b632a40fb52536cc8e3400f75842255e1fcc33f9ce386a';

describe('a run that AFAS refuses', { timeout: 60_000 }, () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-stop-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops with what to fix when the connector is not in the App Connector, and resumes once fixed', async () => {
    const fixture = await writeEntriesFixture(dir, sim, {
      count: 40,
      batch: 1,
      concurrency: 2,
      invalid: false,
    });
    const env = { ...process.env, KOPPEL_RETRY_BASE_MS: '1' };
    const refused = await prepareJobRun(fixture.jobFile, { env });
    const readOnly = createAfasClient({
      environmentId: 0,
      url: sim.baseUrl(),
      auth: { type: 'token', token: READONLY_TOKEN },
    });
    refused.sink = createAfasSink({
      client: readOnly,
      root: 'FiEntryPar',
      build: (batch) => ({
        method: 'POST',
        path: '/connectors/FiEntries',
        body: { FiEntryPar: { Element: batch[0]?.element } },
      }),
    });
    const stopped = await runSession(refused, {
      stateDir: join(dir, '.koppel'),
      log: { plainIntervalMs: 60_000 },
    });
    expect(stopped.report.exitCode).toBe(1);
    expect(stopped.report.status).toBe('stopped');
    expect(stopped.report.stopReason).toMatch(
      /^FiEntries is not in the App Connector or its user lacks rights \(.*\): add it to the App Connector in Profit, then run the same command again to resume$/,
    );
    expect(stopped.summary).toContain('resume: run the same command again');
    expect(stopped.report.counts.done).toBe(0);
    expect(stopped.report.counts.uncertain).toBe(0);
    expect(storedEntries(sim).size).toBe(0);

    const resumed = await runSession(await prepareJobRun(fixture.jobFile, { env }), {
      stateDir: join(dir, '.koppel'),
      log: { plainIntervalMs: 60_000 },
    });
    expect(resumed.runId).toBe(stopped.runId);
    expect(resumed.report.exitCode).toBe(0);
    expect(resumed.report.counts).toEqual({ pending: 0, done: 40, rejected: 0, uncertain: 0, total: 40 });
    expect(storedEntries(sim).size).toBe(40);
  });
});
