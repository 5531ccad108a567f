import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AfasTimeoutError,
  AfasUnverifiedAnswerError,
  checkUpdateAnswer,
  classify,
  describeStalled,
  ProfitError,
  resultsPerElement,
} from '../src/index.js';
import { parseProfitError } from '../src/parse-profit-error.js';
import { clientFor, DEMO_HEX, salesEntry, withSim } from './helpers.js';

const URL_ = 'https://1.rest.afas.online/ProfitRestServices/connectors/KnPerson';
const answer = (status: number, text: string, type?: string) =>
  checkUpdateAnswer({
    method: 'POST',
    url: URL_,
    status,
    headers: new Headers(type ? { 'content-type': type } : {}),
    text,
  });
const failure = (status: number, text: string, type = 'text/html', headers: Record<string, string> = {}) =>
  parseProfitError({
    status,
    method: 'POST',
    url: URL_,
    headers: new Headers({ 'content-type': type, ...headers }),
    text,
  });

describe('checkUpdateAnswer (reference §4)', () => {
  it('accepts 201 with results, the unwrapped form, and an empty 200', () => {
    expect(
      answer(201, '{"results":{"KnPerson":{"BcCo":12,"BcId":"7"}}}', 'application/json').results,
    ).toEqual({
      KnPerson: { BcCo: '12', BcId: '7' },
    });
    expect(answer(201, '{"FiEntryPar":{"UnId":"1","EnNo":"48227"}}').results).toEqual({
      FiEntryPar: { UnId: '1', EnNo: '48227' },
    });
    expect(answer(200, '').results).toBeNull();
    expect(answer(201, '{"results":{}}').results).toBeNull();
  });

  it.each([
    [200, '<!DOCTYPE html><html><body>Sign in</body></html>', 'text/html', 'an HTML page'],
    [200, '{"results":{"KnPerson":{"BcCo":"1"}}}', 'text/html; charset=utf-8', 'an HTML page'],
    [200, 'OK', 'application/json', 'a body that is not JSON'],
    [201, '{}', 'application/json', 'JSON without results'],
    [201, '{"externalMessage":"Fout"}', 'application/json', 'JSON without results'],
    [201, '[1,2]', 'application/json', 'JSON that is not an object'],
    [201, '{"results":"ok"}', 'application/json', 'JSON whose results is not an object'],
    [202, '', undefined, 'a status AFAS does not send for POST'],
    [204, '', undefined, 'a status AFAS does not send for POST'],
  ])('%i %j (%s) is an unverified answer: %s', (status, text, type, problem) => {
    let error: unknown;
    try {
      answer(status, text, type);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AfasUnverifiedAnswerError);
    const message = (error as Error).message;
    expect(message).toContain(`AFAS POST /ProfitRestServices/connectors/KnPerson answered ${status} `);
    expect(message).toContain(problem);
    expect(classify(error)).toEqual({ action: 'uncertain', reason: 'unverified-answer-after-write' });
    expect(classify(error, { method: 'GET' }).action).toBe('retry');
  });

  it('bounds the excerpt to 200 characters and never shows the token', () => {
    const page = `<html><body>${'x'.repeat(500)} AfasToken ${Buffer.from(DEMO_HEX).toString('base64')} ${DEMO_HEX}</body></html>`;
    const thrown = (text: string): AfasUnverifiedAnswerError | undefined => {
      try {
        answer(200, text, 'text/html');
        return undefined;
      } catch (caught) {
        return caught as AfasUnverifiedAnswerError;
      }
    };
    const error = thrown(page);
    expect(error?.excerpt.length).toBeLessThanOrEqual(202);
    const loud = thrown(`<html>${DEMO_HEX}</html>`);
    expect(loud?.message).not.toContain(DEMO_HEX);
    expect(loud?.message).toContain('[redacted]');
  });

  it('gives per-element results of an array answer, and the one result of a single element', () => {
    const two = answer(201, '{"results":{"KnPerson":[{"BcCo":"1"},{"BcCo":"2"}]}}');
    expect(resultsPerElement(two, 'KnPerson', 2)).toEqual([{ BcCo: '1' }, { BcCo: '2' }]);
    const one = answer(201, '{"results":{"KnPerson":{"BcCo":"9"}}}');
    expect(resultsPerElement(one, 'KnPerson', 1)).toEqual([{ BcCo: '9' }]);
    expect(resultsPerElement(one, 'KnPerson', 2)).toEqual([{}, {}]);
    expect(resultsPerElement(answer(200, ''), 'KnPerson', 1)).toEqual([{}]);
  });
});

describe('5xx without AFAS error shape (a gateway in front of Profit)', () => {
  it.each([
    [502, '<html><head><title>502 Bad Gateway</title></head></html>', 'text/html'],
    [504, '<html><head><title>504 Gateway Time-out</title></head></html>', 'text/html'],
    [503, '<html><body>Service Unavailable</body></html>', 'text/html'],
    [500, '<html><body>Internal Server Error</body></html>', 'text/html'],
    [504, '', 'text/plain'],
    [502, '{"message":"Bad gateway"}', 'application/json'],
  ])('%i %j: uncertain after a write, retry for a GET, never a reject', (status, text, type) => {
    const error = failure(status, text, type);
    expect(error).toBeInstanceOf(ProfitError);
    expect(error).toMatchObject({ fromProfit: false, code: 'KOPPEL_AFAS_GATEWAY', contentType: type });
    expect(error.message).toMatch(
      new RegExp(
        `^AFAS POST /ProfitRestServices/connectors/KnPerson answered ${status} ${type.replace('/', '\\/')} without AFAS's error shape`,
      ),
    );
    expect(classify(error)).toEqual({ action: 'uncertain', reason: `gateway-${status}-after-send` });
    expect(classify(error, { method: 'GET' }).action).toBe('retry');
  });

  it("keeps AFAS's own answers: a 500 with externalMessage rejects (a lock retries), a 503 with its shape waits", () => {
    const validation = failure(
      500,
      '{"externalMessage":"Vul een waarde in bij \'Nummer\'.","errorNumber":-1}',
      'application/json',
    );
    expect(validation.fromProfit).toBe(true);
    expect(classify(validation).action).toBe('reject');
    const locked = failure(
      500,
      '{"externalMessage":"De boekingslay-out is geblokkeerd door een andere gebruiker."}',
      'application/json',
    );
    expect(classify(locked).action).toBe('retry');
    const maintenance = failure(
      503,
      '{"error":{"code":"503","message":"maintenance"},"retry_after":7200}',
      'application/json',
    );
    expect(classify(maintenance)).toMatchObject({ action: 'wait', delayMs: 7_200_000 });
    expect(classify(failure(503, '', 'text/plain')).action).toBe('wait');
    const header = failure(500, '<html>oops</html>', 'text/html', {
      'x-profit-error': Buffer.from('Fout in Profit').toString('base64'),
    });
    expect(header.fromProfit).toBe(true);
    expect(classify(header).action).toBe('reject');
  });
});

describe('answers and timeouts over HTTP against the simulator faults', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await withSim();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.control.reset());
  const journaled = () => sim.control.journal({ connector: 'FiEntries', table: 'entries' }).length;

  it.each([
    ['garbage200', 0, 'a body that is not JSON'],
    ['htmlLogin200', 0, 'an HTML page'],
    ['resultsMissing201', 3, 'JSON without results'],
  ] as const)(
    '%s: the insert throws an unverified answer (journal: %i lines)',
    async (kind, lines, problem) => {
      sim.control.setFaults({ rules: [{ kind, connector: 'FiEntries', times: 1 }] });
      const error = await clientFor(sim)
        .insert('FiEntries', { element: salesEntry() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AfasUnverifiedAnswerError);
      expect((error as Error).message).toContain(problem);
      expect(journaled()).toBe(lines);
    },
  );

  it.each([
    [true, 3],
    [false, 0],
  ])(
    'gatewayError 504 (commit %s): a gateway error, uncertain; the journal has %i lines',
    async (commit, lines) => {
      sim.control.setFaults({
        rules: [{ kind: 'gatewayError', status: 504, commit, connector: 'FiEntries', times: 1 }],
      });
      const error = await clientFor(sim)
        .insert('FiEntries', { element: salesEntry() })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 504,
        fromProfit: false,
        contentType: 'text/html; charset=utf-8',
      });
      expect(classify(error)).toEqual({ action: 'uncertain', reason: 'gateway-504-after-send' });
      expect(journaled()).toBe(lines);
    },
  );

  it('a hanging POST ends after the first-byte timeout, names the phase, and is listed as pending meanwhile', async () => {
    sim.control.setFaults({ rules: [{ kind: 'hang', connector: 'FiEntries', times: 1 }] });
    const client = clientFor(sim, { timeouts: { firstByteMs: 300, totalMs: 5000 } });
    const started = Date.now();
    const pending = client.insert('FiEntries', { element: salesEntry() }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(client.pending()).toEqual([
      expect.objectContaining({ method: 'POST', path: '/connectors/FiEntries', phase: 'first-byte' }),
    ]);
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(AfasTimeoutError);
    expect(error).toMatchObject({ phase: 'first-byte', limitMs: 300, requestMayHaveBeenSent: true });
    expect((error as Error).message).toContain(
      'no answer within 300 ms (timeouts.firstByteMs, first byte); AFAS may still be processing it',
    );
    expect(classify(error)).toEqual({ action: 'uncertain', reason: 'network-timeout-after-send' });
    expect(client.pending()).toEqual([]);
  });

  it('a GET uses the read first-byte timeout', async () => {
    sim.control.setFaults({ rules: [{ kind: 'hang', connector: 'metainfo', times: 1 }] });
    const client = clientFor(sim, {
      timeouts: { readFirstByteMs: 200, firstByteMs: 60_000 },
      readRetries: 0,
    });
    const error = await client.updateMetainfo('FiEntries').catch((e: unknown) => e);
    expect(error).toMatchObject({ phase: 'first-byte', limitMs: 200 });
    expect((error as Error).message).toContain(
      'no answer within 200 ms (timeouts.readFirstByteMs, first byte)',
    );
    expect((error as Error).message).not.toContain('may still be processing');
  });

  it('a slow body runs into the whole-request timeout while reading the answer', async () => {
    sim.control.setFaults({ rules: [{ kind: 'slowBody', connector: 'FiEntries', ms: 2000, times: 1 }] });
    const error = await clientFor(sim, { timeouts: { totalMs: 400 } })
      .insert('FiEntries', { element: salesEntry() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', phase: 'body', limitMs: 400 });
    expect((error as Error).message).toContain(
      'no complete answer within 400 ms (timeouts.totalMs, while reading the answer)',
    );
    expect(journaled()).toBe(3);
  });

  it('slow first byte and slow body within the timeouts are plain successes', async () => {
    sim.control.setFaults({
      rules: [
        { kind: 'slowFirstByte', connector: 'FiEntries', ms: 150, nth: 1 },
        { kind: 'slowBody', connector: 'FiEntries', ms: 150, nth: 2 },
      ],
    });
    const client = clientFor(sim);
    const first = await client.insert('FiEntries', { element: salesEntry('Een') });
    const second = await client.insert('FiEntries', { element: salesEntry('Twee') });
    expect(first?.FiEntryPar?.EnNo).toMatch(/^\d+$/);
    expect(second?.FiEntryPar?.EnNo).toMatch(/^\d+$/);
  });

  it('a connection refused is not sent (retry), with the phase connect', async () => {
    const closed = await withSim();
    const url = closed.baseUrl();
    await closed.close();
    const error = await clientFor({ baseUrl: () => url } as Simulator)
      .insert('FiEntries', { element: salesEntry() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'refused', phase: 'connect', requestMayHaveBeenSent: false });
    expect(classify(error).action).toBe('retry');
  });
});

describe('describeStalled (for the progress line)', () => {
  const request = { method: 'POST' as const, path: '/connectors/FiEntries', phase: 'first-byte' as const };
  it('names the oldest request pending past its time, how long it waited and when it gives up', () => {
    const pending = [
      { ...request, startedAt: 50_000, deadline: 110_000 },
      { ...request, path: '/connectors/KnPerson', startedAt: 40_000, deadline: 100_000 },
    ];
    expect(describeStalled(pending, { now: 85_000 })).toBe(
      'waiting 45 s on POST /connectors/KnPerson (first byte, gives up in 15 s) (+1 more in flight)',
    );
  });
  it('says nothing while every request is young', () => {
    expect(
      describeStalled([{ ...request, startedAt: 80_000, deadline: 140_000 }], { now: 85_000 }),
    ).toBeUndefined();
    expect(describeStalled([], { now: 85_000 })).toBeUndefined();
  });
});
