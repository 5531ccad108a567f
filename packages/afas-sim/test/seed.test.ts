import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN, loadFaultPlan, loadSeed, startSimulator } from '../src/index.js';
import { call, raw } from './helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'afas-sim-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yamlSeed = `
environments:
  - id: "777"
    envCode: T777XX
    defaultLanguage: en-us
    tokens: [{ data: ${DEMO_TOKEN}, user: 777.ME, appConnector: App }]
    appConnectors: [{ name: App, getConnectors: [Custom_Debtors], specialConnectors: [AppConnectorVersion] }]
    getConnectors: [{ id: Custom_Debtors, description: Custom_Debtors, table: debtors, columns: [DebtorName, DebtorId] }]
    tables:
      debtors: [{ DebtorId: "1", DebtorName: Één }]
`;

describe('seeds', () => {
  it('loads a YAML seed file with a custom GetConnector over a subset of columns', async () => {
    const path = join(dir, 'seed.yaml');
    writeFileSync(path, yamlSeed);
    const sim = await startSimulator({ seed: path });
    try {
      const reply = await raw(sim, '/777/ProfitRestServices/connectors/Custom_Debtors');
      expect(reply.text).toBe('{"skip":0,"take":100,"rows":[{"DebtorName":"Één","DebtorId":"1"}]}');
      expect(sim.baseUrl()).toBe(`${sim.url}/777/ProfitRestServices`);
    } finally {
      await sim.close();
    }
  });

  it('loads a JSON seed file', () => {
    const path = join(dir, 'seed.json');
    writeFileSync(path, JSON.stringify(loadSeed()));
    expect(loadSeed(path).environments.map((e) => e.id)).toEqual(['12345', '54321']);
  });

  it('reports every problem of an invalid seed with its path', () => {
    const bad = {
      environments: [
        {
          id: 'abc',
          envCode: 'X',
          tokens: [{ data: 'short', user: 'u', appConnector: 'Missing' }],
          tables: { nope: [], debtors: [{ DebtorId: '1', Colour: 'red' }] },
          generate: { bench_rows: -1 },
        },
      ],
    };
    expect(() => loadSeed(bad as never)).toThrow(
      'Invalid simulator seed object: environments[0].id: expected a numeric string such as "12345", got "abc"; environments[0].tokens[0].data: expected 64 hex characters; environments[0].tokens[0].appConnector: no App Connector named "Missing"; environments[0].tables.nope: unknown table, expected one of',
    );
    expect(() => loadSeed(bad as never)).toThrow(
      'environments[0].tables.debtors[0].Colour: unknown column; environments[0].generate.bench_rows: expected a whole number >= 0, got -1',
    );
    expect(() => loadSeed(join(dir, 'missing.yaml'))).toThrow(
      /Invalid simulator seed .*missing\.yaml: ENOENT/,
    );
  });

  it('loads a fault plan file', () => {
    const path = join(dir, 'faults.yaml');
    writeFileSync(
      path,
      'seed: 3\nrules:\n  - { kind: locked, connector: FiEntries, method: POST, nth: 2 }\n',
    );
    expect(loadFaultPlan(path)).toEqual({
      seed: 3,
      rules: [{ kind: 'locked', connector: 'FiEntries', method: 'POST', nth: 2 }],
    });
  });

  it('rejects a bad port before listening, and close() is idempotent', async () => {
    await expect(startSimulator({ port: 70000 })).rejects.toThrow(
      'Expected `port` to be an integer 0-65535, got `70000`',
    );
    const sim = await startSimulator();
    expect((await call(sim, '/profitversion')).status).toBe(200);
    await Promise.all([sim.close(), sim.close()]);
    await sim.close();
    await expect(call(sim, '/profitversion')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('reports a port in use as a user-facing error', async () => {
    const first = await startSimulator();
    try {
      await expect(startSimulator({ port: first.port })).rejects.toThrow(
        `Cannot listen on 127.0.0.1:${first.port}: EADDRINUSE; choose another port (0 picks a free one) or host`,
      );
    } finally {
      await first.close();
    }
  });
});
