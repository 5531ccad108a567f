import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AfasClient,
  AfasConnectionResetError,
  AfasNetworkError,
  AfasTimeoutError,
  classify,
  ProfitError,
} from '../src/index.js';
import { clientFor, salesEntry, withSim } from './helpers.js';

let sim: Simulator;
let client: AfasClient;

beforeAll(async () => {
  sim = await withSim();
  client = clientFor(sim, { readRetries: 0 });
});
beforeEach(() => {
  sim.control.reset();
  sim.control.setFaults({ rules: [] });
});
afterAll(() => sim.close());

const committedEntries = () => sim.control.journal({ connector: 'FiEntries', table: 'entries' }).length;

describe('faults over HTTP', () => {
  it('503 with retry_after in the body -> wait for that long', async () => {
    sim.control.setFaults({
      rules: [{ kind: 'maintenance', connector: 'FiEntries', retryAfter: 7200, times: 1 }],
    });
    const error = await client.insert('FiEntries', { element: salesEntry() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect(error).toMatchObject({ status: 503, retryAfter: 7200 });
    expect((error as ProfitError).externalMessage).toMatch(/maintenance|onderhoud/i);
    expect(classify(error)).toEqual({ action: 'wait', reason: 'unavailable', delayMs: 7_200_000 });
    expect(committedEntries()).toBe(0);
  });

  it('503 without a body -> retryAfter from the Retry-After header', async () => {
    sim.control.setFaults({
      rules: [{ kind: 'maintenance', retryAfter: 42, body: false, retryAfterHeader: true, times: 1 }],
    });
    const error = await client.get('Profit_Administrations').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, retryAfter: 42, body: '' });
  });

  it('a GET that meets a short 503 is retried by the client', async () => {
    const retrying = clientFor(sim, { readRetries: 2 });
    sim.control.setFaults({
      rules: [{ kind: 'maintenance', connector: 'Profit_Administrations', retryAfter: 0, times: 1 }],
    });
    const page = await retrying.get('Profit_Administrations', { orderBy: 'AdminId' });
    expect(page.rows.map((r) => r.AdminId)).toEqual([1, 2]);
    const statuses = sim.control
      .stats()
      .requests.filter((r) => r.connector === 'Profit_Administrations')
      .map((r) => [r.status, r.count]);
    expect(statuses).toEqual([
      [503, 1],
      [200, 1],
    ]);
  });

  it.each([
    ['locked', /boekingslay-out is geblokkeerd door een andere gebruiker/],
    ['rowLock', /Deze regel is geblokkeerd door gebruiker AFAS/],
  ] as const)('%s 500 -> retry', async (kind, text) => {
    sim.control.setFaults({ rules: [{ kind, connector: 'FiEntries', times: 1 }] });
    const error = await client.insert('FiEntries', { element: salesEntry() }).catch((e: unknown) => e);
    expect((error as ProfitError).externalMessage).toMatch(text);
    expect(classify(error)).toMatchObject({ action: 'retry', reason: 'locked' });
    expect(committedEntries()).toBe(0);
    // the retry the classifier asks for goes through
    await client.insert('FiEntries', { element: salesEntry() });
    expect(committedEntries()).toBe(3);
  });

  it('connection reset on POST -> uncertain (nothing committed here, but the client cannot know)', async () => {
    sim.control.setFaults({ rules: [{ kind: 'reset', connector: 'FiEntries', method: 'POST', times: 1 }] });
    const error = await client.insert('FiEntries', { element: salesEntry() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfasConnectionResetError);
    expect(error).toMatchObject({
      kind: 'reset',
      method: 'POST',
      requestMayHaveBeenSent: true,
      code: 'KOPPEL_AFAS_NETWORK',
    });
    expect(classify(error)).toEqual({ action: 'uncertain', reason: 'network-reset-after-send' });
  });

  it('reset after the commit -> uncertain while the journal shows the write', async () => {
    sim.control.setFaults({
      rules: [{ kind: 'commitThenDelay', connector: 'FiEntries', ms: 0, destroy: true, times: 1 }],
    });
    const error = await client.insert('FiEntries', { element: salesEntry() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfasNetworkError);
    expect(classify(error).action).toBe('uncertain');
    expect(committedEntries()).toBe(3);
  });

  it('a response delayed past the timeout -> uncertain while the journal shows the write committed', async () => {
    const impatient = clientFor(sim, { timeoutMs: 200 });
    sim.control.setFaults({
      rules: [{ kind: 'commitThenDelay', connector: 'FiEntries', ms: 3000, times: 1 }],
    });
    const error = await impatient.insert('FiEntries', { element: salesEntry() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfasTimeoutError);
    expect(error).toMatchObject({
      kind: 'timeout',
      code: 'KOPPEL_AFAS_TIMEOUT',
      requestMayHaveBeenSent: true,
      phase: 'first-byte',
      limitMs: 200,
    });
    expect((error as Error).message).toMatch(
      /no complete answer within 200 ms \(timeouts\.totalMs, while waiting for the answer\); AFAS may still be processing it/,
    );
    expect(classify(error)).toEqual({ action: 'uncertain', reason: 'network-timeout-after-send' });
    expect(committedEntries()).toBe(3);
  });

  it('a reset on GET is retried by the client', async () => {
    const retrying = clientFor(sim, { readRetries: 2, retryBaseDelayMs: 10 });
    sim.control.setFaults({ rules: [{ kind: 'reset', connector: 'Profit_Journals', times: 1 }] });
    const page = await retrying.get('Profit_Journals', { orderBy: ['UnitId', 'JournalId'] });
    expect(page.rows).toHaveLength(7);
  });

  it('a refused connection before a POST -> retry (the request never left)', async () => {
    const closed = await withSim();
    const url = closed.baseUrl();
    await closed.close();
    const error = await clientFor(closed, { url })
      .insert('KnSubject', { body: { KnSubject: { Element: { Fields: { StId: 1 } } } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AfasNetworkError);
    expect(error).toMatchObject({ kind: 'refused', requestMayHaveBeenSent: false });
    expect((error as Error).message).toBe(
      `AFAS POST ${url}/connectors/KnSubject got no answer: connection refused (ECONNREFUSED); check the URL and that the service is running`,
    );
    expect(classify(error)).toMatchObject({ action: 'retry', reason: 'network-refused' });
  });

  it('a caller abort is combined with the timeout', async () => {
    sim.control.setFaults({ rules: [{ kind: 'latency', connector: 'Profit_Journals', ms: 2000 }] });
    const controller = new AbortController();
    const pending = client.get('Profit_Journals', { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    const error = await pending;
    expect(error).toBeInstanceOf(AfasNetworkError);
    expect(error).toMatchObject({ kind: 'aborted' });
  });
});

describe('in-flight cap', () => {
  it('holds 8 requests in flight for 30 concurrent callers across client instances', async () => {
    const own = await withSim();
    try {
      own.control.setFaults({ rules: [{ kind: 'latency', connector: 'Profit_Administrations', ms: 100 }] });
      const clients = [clientFor(own), clientFor(own), clientFor(own)];
      const pages = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          clients[i % 3]!.get('Profit_Administrations', { orderBy: 'AdminId' }),
        ),
      );
      expect(pages.every((p) => p.rows.length === 2)).toBe(true);
      expect(own.control.stats().inFlight['12345']?.max).toBe(8);
    } finally {
      await own.close();
    }
  });

  it('honours a smaller maxInFlight', async () => {
    const own = await withSim();
    try {
      own.control.setFaults({ rules: [{ kind: 'latency', connector: 'Profit_Administrations', ms: 50 }] });
      const small = clientFor(own, { maxInFlight: 3 });
      await Promise.all(Array.from({ length: 30 }, () => small.get('Profit_Administrations')));
      expect(own.control.stats().inFlight['12345']?.max).toBe(3);
    } finally {
      await own.close();
    }
  });
});
