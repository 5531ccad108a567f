import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { prepareAfasToAfasRun, runSession } from '@koppel/runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

/**
 * AFAS to AFAS: organisations read through a GetConnector of environment 12345 and inserted with
 * KnOrganisation into environment 67890 of the same simulator, through the runner's ledger.
 */
const JOBS = join(ROOT, 'jobs/afas-to-afas');

let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  sim = await startSimulator({
    port: 0,
    onError: () => undefined,
    seed: join(JOBS, 'two-environments.yaml'),
  });
  dir = await mkdtemp(join(tmpdir(), 'koppel-a2a-'));
  await cp(join(JOBS, 'organisations.yaml'), join(dir, 'organisations.yaml'));
  env = { ...process.env, KOPPEL_DEMO_URL: sim.baseUrl('12345'), KOPPEL_TARGET_URL: sim.baseUrl('67890') };
});
afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

const SOURCE = [
  ['1000801', 'Bakkerij De Korenschoof'],
  ['1000802', 'Jansen Installatietechniek'],
  ['1000803', 'Café Noël'],
  ['1000804', 'Stichting Groen Amersfoort'],
  ['1000805', 'Smit & Zonen, Loodgieters'],
  ['1000806', 'Bouwbedrijf De Vries'],
];

const inserted = () =>
  sim.control
    .journal({ environment: '67890', table: 'organisations' })
    .map((entry) => [entry.action, entry.row.BcCo, entry.row.Name]);

describe('AFAS to AFAS (GetConnector source, UpdateConnector target)', () => {
  it('inserts every organisation exactly once; a second run sends nothing', async () => {
    const state = join(dir, '.koppel');
    const first = await runSession(await prepareAfasToAfasRun(join(dir, 'organisations.yaml'), { env }), {
      stateDir: state,
      log: { format: 'json', stream: new PassThrough() },
    });
    expect(first.report.exitCode).toBe(0);
    expect(inserted()).toEqual(SOURCE.map(([code, name]) => ['insert', code, name]));
    expect(sim.control.journal({ environment: '12345' })).toEqual([]);
    const posts = () =>
      sim.control
        .stats()
        .requests.filter((r) => r.environment === '67890' && r.method === 'POST')
        .reduce((sum, r) => sum + r.count, 0);
    const sent = posts();
    expect(sent).toBe(1); // batch: 10 -> one request with six elements

    const second = await runSession(await prepareAfasToAfasRun(join(dir, 'organisations.yaml'), { env }), {
      stateDir: state,
      log: { format: 'json', stream: new PassThrough() },
    });
    expect(second.runId).toBe(first.runId);
    expect(posts()).toBe(sent);
    expect(inserted()).toHaveLength(6);
  });

  it('`koppel extract` runs it from the CLI and resumes on the second call', async () => {
    const first = await runCli(['extract', 'organisations.yaml'], { cwd: dir, env });
    expect(first.stderr).not.toContain('internal error');
    expect(first.code).toBe(0);
    expect(inserted()).toHaveLength(6);
    const second = await runCli(['extract', 'organisations.yaml'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('resuming run');
    expect(inserted()).toHaveLength(6);
    expect(`${first.stdout}${first.stderr}${second.stdout}${second.stderr}`).not.toContain(
      '0d1f7a3c5e9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f',
    );
  }, 60_000);
});
