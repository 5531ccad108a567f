import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { afasTokenHeader, type Simulator, startSimulator } from '../src/index.js';
import { call, OTHER_ENV_TOKEN, raw, rows } from './helpers/http.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await raw(sim, '/__sim/faults', { method: 'PUT', body: '{"rules":[]}', anonymous: true });
  await raw(sim, '/__sim/reset', { method: 'POST', anonymous: true });
});

const postSubject = (ds: string) =>
  call(sim, '/connectors/KnSubject', {
    method: 'POST',
    body: JSON.stringify({ KnSubject: { Element: { Fields: { StId: 1, Ds: ds } } } }),
  });

describe('control API over HTTP (/__sim/)', () => {
  it('journal lists committed writes, filterable by connector and table', async () => {
    expect((await postSubject('one')).status).toBe(201);
    const all = (await raw(sim, '/__sim/journal', { anonymous: true })).json as {
      entries: Record<string, unknown>[];
    };
    expect(all.entries.map((e) => [e.environment, e.seq, e.connector, e.method, e.table, e.action])).toEqual([
      ['12345', 1, 'KnSubject', 'POST', 'subjects', 'insert'],
    ]);
    const none = (await raw(sim, '/__sim/journal?connector=FiEntries', { anonymous: true })).json;
    expect(none).toEqual({ entries: [] });
    const byTable = (await raw(sim, '/__sim/journal?table=subjects&environment=12345', { anonymous: true }))
      .json as { entries: unknown[] };
    expect(byTable.entries).toHaveLength(1);
  });

  it('reset puts tables back to the seed and clears journal and counters', async () => {
    await postSubject('temporary');
    expect(await rows(sim, 'Profit_Subjects', '')).toHaveLength(3);
    const reset = await raw(sim, '/__sim/reset', { method: 'POST', anonymous: true });
    expect([reset.status, reset.json]).toEqual([200, { ok: true }]);
    expect(sim.control.journal()).toEqual([]);
    expect(await rows(sim, 'Profit_Subjects', '')).toHaveLength(2);
    const stats = sim.control.stats();
    expect(stats.requests).toEqual([
      { environment: '12345', connector: 'Profit_Subjects', method: 'GET', status: 200, count: 1 },
    ]);
  });

  it('stats count requests per connector, method and status', async () => {
    await call(sim, '/profitversion');
    await call(sim, '/profitversion');
    await call(sim, '/connectors/Nope');
    await call(sim, '/metainfo', { anonymous: true });
    const stats = (await raw(sim, '/__sim/stats', { anonymous: true })).json as {
      requests: unknown[];
      total: number;
    };
    expect(stats.requests).toEqual([
      { environment: '12345', connector: 'profitversion', method: 'GET', status: 200, count: 2 },
      { environment: '12345', connector: 'Nope', method: 'GET', status: 500, count: 1 },
      { environment: '12345', connector: 'metainfo', method: 'GET', status: 401, count: 1 },
    ]);
    expect(stats.total).toBe(4);
  });

  it('faults can be read and replaced at runtime; invalid plans get 400 with problems', async () => {
    const plan = { seed: 7, rules: [{ kind: 'maintenance', connector: 'profitversion', nth: 1 }] };
    const put = await raw(sim, '/__sim/faults', {
      method: 'PUT',
      body: JSON.stringify(plan),
      anonymous: true,
    });
    expect([put.status, put.json]).toEqual([200, plan]);
    expect((await raw(sim, '/__sim/faults', { anonymous: true })).json).toEqual(plan);
    expect((await call(sim, '/profitversion')).status).toBe(503);
    const bad = await raw(sim, '/__sim/faults', {
      method: 'PUT',
      body: '{"rules":[{"kind":"latency","ms":-1}]}',
      anonymous: true,
    });
    expect([bad.status, bad.json]).toEqual([
      400,
      { error: 'invalid fault plan', problems: ['rules[0].ms: expected a number >= 0, got -1'] },
    ]);
    expect((await raw(sim, '/__sim/nope', { anonymous: true })).status).toBe(404);
  });
});

describe('in-flight counting', () => {
  it('records the exact high-water mark per environment under concurrency', async () => {
    sim.control.setFaults({ rules: [{ kind: 'latency', connector: 'profitversion', ms: 1000 }] });
    const other = afasTokenHeader(OTHER_ENV_TOKEN);
    await Promise.all([
      ...Array.from({ length: 8 }, () => call(sim, '/profitversion')),
      ...Array.from({ length: 3 }, () =>
        raw(sim, '/ProfitRestServices/profitversion', { headers: { authorization: other } }),
      ),
    ]);
    const { inFlight } = sim.control.stats();
    expect(inFlight['12345']).toEqual({ now: 0, max: 8 });
    expect(inFlight['54321']).toEqual({ now: 0, max: 3 });
  });

  it('decrements when the client goes away before the answer', async () => {
    sim.control.setFaults({ rules: [{ kind: 'reset', connector: 'profitversion' }] });
    await Promise.allSettled(Array.from({ length: 5 }, () => call(sim, '/profitversion')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stats = sim.control.stats();
    expect(stats.inFlight['12345']?.now).toBe(0);
    expect(stats.requests).toEqual([
      { environment: '12345', connector: 'profitversion', method: 'GET', status: 0, count: 5 },
    ]);
  });
});
