import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, type FaultPlan, type Simulator, startSimulator } from '../src/index.js';
import { call, raw } from './helpers/http.js';

let now = '2025-03-01T03:00:00';
const clock: Clock = { now: () => now };
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ clock });
});
afterAll(() => sim.close());
afterEach(() => {
  sim.control.setFaults({ rules: [] });
  sim.control.reset();
});

const MAINTENANCE =
  '{"error":{"code":"503","message":"Service temporarily unavailable due to scheduled maintenance. Please check afasstatus.nl for details."},"retry_after":7200}';
const subject = (ds: string) => JSON.stringify({ KnSubject: { Element: { Fields: { StId: 1, Ds: ds } } } });
const postSubject = (ds = 'test', language = 'nl-nl') =>
  call(sim, '/connectors/KnSubject', {
    method: 'POST',
    body: subject(ds),
    headers: { 'accept-language': language },
  });
const statuses = async (count: number, send: () => Promise<{ status: number }>) => {
  const result: number[] = [];
  for (let i = 0; i < count; i++) result.push((await send()).status);
  return result;
};

describe('fault plan', () => {
  it('503 maintenance for a number of requests, with the exact body', async () => {
    sim.control.setFaults({ rules: [{ kind: 'maintenance', connector: 'profitversion', times: 2 }] });
    const first = await call(sim, '/profitversion');
    expect([first.status, first.text]).toEqual([503, MAINTENANCE]);
    expect(await statuses(2, () => call(sim, '/profitversion'))).toEqual([503, 200]);
  });

  it('503 maintenance inside a clock window only, with retry_after and an optional header', async () => {
    sim.control.setFaults({
      rules: [
        {
          kind: 'maintenance',
          window: { from: '2025-03-01T02:00:00', to: '2025-03-01T04:00:00' },
          retryAfter: 60,
          retryAfterHeader: true,
        },
      ],
    });
    const inside = await call(sim, '/metainfo');
    expect([
      inside.status,
      (inside.json as { retry_after: number }).retry_after,
      inside.headers['retry-after'],
    ]).toEqual([503, 60, '60']);
    now = '2025-03-01T04:00:00';
    expect((await call(sim, '/metainfo')).status).toBe(200);
    now = '2025-03-01T03:00:00';
  });

  it('locks the booking layout on the 3rd POST only (nl and en texts)', async () => {
    sim.control.setFaults({ rules: [{ kind: 'locked', connector: 'KnSubject', method: 'POST', nth: 3 }] });
    expect(await statuses(2, () => postSubject())).toEqual([201, 201]);
    const nl = await postSubject();
    expect([nl.status, (nl.json as { externalMessage: string }).externalMessage]).toEqual([
      500,
      'De boekingslay-out is geblokkeerd door een andere gebruiker.',
    ]);
    expect(Buffer.from(String(nl.headers['x-profit-error']), 'base64').toString()).toBe(
      'De boekingslay-out is geblokkeerd door een andere gebruiker.',
    );
    expect((await postSubject()).status).toBe(201);
    expect(sim.control.journal({ table: 'subjects' })).toHaveLength(3);

    sim.control.setFaults({ rules: [{ kind: 'locked', nth: 1 }] });
    const en = await postSubject('x', 'en-us');
    expect((en.json as { externalMessage: string }).externalMessage).toBe(
      'The booking layout is locked by another user.',
    );
  });

  it('fails POSTs 5-9 with the generic row lock', async () => {
    sim.control.setFaults({ rules: [{ kind: 'rowLock', method: 'POST', from: 5, to: 9, user: 'JANSEN' }] });
    expect(await statuses(11, () => postSubject())).toEqual([
      201, 201, 201, 201, 500, 500, 500, 500, 500, 201, 201,
    ]);
    sim.control.setFaults({ rules: [{ kind: 'rowLock', nth: 1, user: 'JANSEN' }] });
    expect(((await postSubject()).json as { externalMessage: string }).externalMessage).toBe(
      'Deze regel is geblokkeerd door gebruiker JANSEN.',
    );
  });

  it('does not fire for other connectors or methods', async () => {
    sim.control.setFaults({ rules: [{ kind: 'maintenance', connector: 'FiEntries', method: 'POST' }] });
    expect((await postSubject()).status).toBe(201);
    expect((await call(sim, '/connectors/Profit_Debtor')).status).toBe(200);
  });

  it('random faults replay identically with the same seed', async () => {
    const plan: FaultPlan = {
      seed: 42,
      rules: [{ kind: 'locked', connector: 'profitversion', probability: 0.5 }],
    };
    sim.control.setFaults(plan);
    const first = await statuses(30, () => call(sim, '/profitversion'));
    sim.control.setFaults(plan);
    const second = await statuses(30, () => call(sim, '/profitversion'));
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500]));
    sim.control.setFaults({ ...plan, seed: 43 });
    expect(await statuses(30, () => call(sim, '/profitversion'))).not.toEqual(first);
  });

  it('resets the connection before processing: nothing is committed', async () => {
    sim.control.setFaults({ rules: [{ kind: 'reset', connector: 'KnSubject', nth: 1 }] });
    await expect(postSubject()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.control.journal()).toEqual([]);
    expect((await postSubject()).status).toBe(201);
  });

  it('commits, then destroys the socket after a delay: the write is journaled', async () => {
    sim.control.setFaults({
      rules: [{ kind: 'commitThenDelay', connector: 'KnSubject', ms: 50, destroy: true }],
    });
    await expect(postSubject('late')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.control.journal({ table: 'subjects' }).map((e) => e.row.Description)).toEqual(['late']);
  });

  it('commits, then answers late', async () => {
    sim.control.setFaults({ rules: [{ kind: 'commitThenDelay', connector: 'KnSubject', ms: 50 }] });
    const reply = await postSubject('slow');
    expect(reply.status).toBe(201);
    expect(sim.control.journal({ table: 'subjects' })).toHaveLength(1);
  });

  it('adds latency without changing the answer (requests overlap while they wait)', async () => {
    sim.control.setFaults({ rules: [{ kind: 'latency', connector: 'profitversion', ms: 1000 }] });
    const replies = await Promise.all([1, 2, 3, 4].map(() => call(sim, '/profitversion')));
    expect(replies.map((r) => r.text)).toEqual(Array(4).fill('{"version":"22.22.5"}'));
    expect(sim.control.stats().inFlight['12345']?.max).toBe(4);
  });

  it('rejects an invalid plan with every problem listed', () => {
    expect(() => sim.control.setFaults({ rules: [{ kind: 'explode' as 'reset', nth: 0 }] })).toThrow(
      'Invalid simulator fault plan object: rules[0].kind: expected one of latency, maintenance, locked, rowLock, reset, commitThenDelay, garbage200, htmlLogin200, resultsMissing201, gatewayError, hang, slowFirstByte, slowBody, got "explode"; rules[0].nth: expected a whole number >= 1, got 0',
    );
  });

  it('loads a plan at start from options', async () => {
    const faulty = await startSimulator({
      faults: { rules: [{ kind: 'maintenance', nth: 1, body: false }] },
    });
    try {
      const reply = await raw(faulty, '/12345/ProfitRestServices/profitversion');
      expect([reply.status, reply.text]).toEqual([503, '']);
    } finally {
      await faulty.close();
    }
  });
});
