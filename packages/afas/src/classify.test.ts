import { describe, expect, it } from 'vitest';
import { backoff, classify } from './classify.js';
import {
  AfasNetworkError,
  AfasOptionsError,
  AfasOtpInvalidError,
  AfasQueryError,
  AfasResponseError,
  AfasTimeoutError,
  AfasTokenError,
  ProfitError,
} from './errors.js';

const profit = (status: number, externalMessage?: string, retryAfter?: number) =>
  new ProfitError({ status, method: 'POST', url: 'http://127.0.0.1/x', externalMessage, retryAfter });
const network = (kind: 'timeout' | 'reset' | 'refused', method: string, sent: boolean) =>
  new (kind === 'timeout' ? AfasTimeoutError : AfasNetworkError)({
    kind,
    method,
    url: 'u',
    requestMayHaveBeenSent: sent,
    detail: 'd',
  });

describe('classify', () => {
  // Rows: name, error, expected action, expected reason.
  it.for<[string, Error, string, string]>([
    ['503 with retry_after', profit(503, 'maintenance', 7200), 'wait', 'unavailable'],
    [
      'nl booking layout lock',
      profit(500, 'De boekingslay-out is geblokkeerd door een andere gebruiker.'),
      'retry',
      'locked',
    ],
    ['nl row lock', profit(500, 'Deze regel is geblokkeerd door gebruiker AFAS.'), 'retry', 'locked'],
    ['en lock', profit(500, 'The booking layout is LOCKED BY ANOTHER USER.'), 'retry', 'locked'],
    ['en blocked by another user', profit(500, 'Record blocked by another user'), 'retry', 'locked'],
    [
      'server timeout nl',
      profit(500, 'De maximale tijdsduur voor het uitvoeren van de opdracht is verstreken.'),
      'retry',
      'temporary',
    ],
    [
      'server timeout en',
      profit(500, 'The maximum duration for performing the assignment has been exceeded.'),
      'retry',
      'temporary',
    ],
    ['out of memory', profit(500, 'System.OutOfMemoryException'), 'retry', 'temporary'],
    ['tempdb', profit(500, 'tempdb is probably out of space'), 'retry', 'temporary'],
    ['validation', profit(500, "Vul een waarde in bij 'Nummer'."), 'reject', 'validation'],
    ['blocked period', profit(500, "Date '1-11-2024' belongs to a blocked period"), 'reject', 'validation'],
    [
      'unknown value',
      profit(500, "De ingevulde waarde bij 'Medewerker' bestaat niet."),
      'reject',
      'validation',
    ],
    ['401', profit(401), 'stop', 'unauthorized'],
    ['403', profit(403), 'stop', 'forbidden'],
    ['413', profit(413), 'reject', 'too-large'],
    [
      'not in app connector nl',
      profit(
        500,
        'General message: Deze UpdateConnector wordt niet ondersteund of de gebruiker is niet geautoriseerd.',
      ),
      'stop',
      'connector-not-authorized',
    ],
    [
      'not in app connector en',
      profit(500, 'GetConnector not supported for this app or the user is not authorized'),
      'stop',
      'connector-not-authorized',
    ],
    [
      'blocked GetConnector nl',
      profit(500, 'Deze GetConnector (definitie) is geblokkeerd'),
      'stop',
      'getconnector-blocked',
    ],
    [
      'blocked GetConnector en',
      profit(500, 'This GetConnector (definition) is blocked'),
      'stop',
      'getconnector-blocked',
    ],
    ['network error on GET', network('reset', 'GET', true), 'retry', 'network-reset'],
    ['timeout on GET', network('timeout', 'GET', true), 'retry', 'network-timeout'],
    ['reset after POST', network('reset', 'POST', true), 'uncertain', 'network-reset-after-send'],
    ['timeout after PUT', network('timeout', 'PUT', true), 'uncertain', 'network-timeout-after-send'],
    ['refused before POST', network('refused', 'POST', false), 'retry', 'network-refused'],
    ['token error', new AfasTokenError('bad'), 'stop', 'invalid-token'],
    ['options error', new AfasOptionsError('bad'), 'stop', 'invalid-options'],
    ['query error', new AfasQueryError('bad'), 'reject', 'invalid-query'],
    ['otp error', new AfasOtpInvalidError('bad'), 'reject', 'otp-invalid'],
    ['unreadable 2xx after a write', new AfasResponseError('bad'), 'uncertain', 'bad-response-after-write'],
    ['unknown error', new Error('x'), 'reject', 'unknown-error'],
  ])('%s', ([, error, action, reason]) => {
    expect(classify(error)).toMatchObject({ action, reason });
  });

  it('uses retry_after for the delay of a 503', () => {
    expect(classify(profit(503, undefined, 7200)).delayMs).toBe(7_200_000);
  });

  it('retries an unreadable 2xx on GET', () => {
    expect(classify(new AfasResponseError('bad'), { method: 'GET' })).toMatchObject({
      action: 'retry',
      reason: 'bad-response',
    });
  });

  it('uses the method option over the error method', () => {
    expect(classify(network('reset', 'POST', true), { method: 'get' }).action).toBe('retry');
  });

  it('accepts overridden patterns', () => {
    const error = profit(500, 'Tabel vergrendeld');
    expect(classify(error).action).toBe('reject');
    expect(classify(error, { patterns: { locked: [/vergrendeld/] } })).toMatchObject({
      action: 'retry',
      reason: 'locked',
    });
  });
});

describe('backoff', () => {
  it.each([
    [1, 0.999, 999],
    [2, 0.5, 1000],
    [4, 0.999, 7992],
    [20, 0.5, 30000],
    [3, 0, 0],
  ])('attempt %d with random %d -> %d ms', (attempt, random, ms) => {
    expect(backoff(attempt, { random: () => random })).toBe(ms);
  });

  it('respects base and cap', () => {
    expect(backoff(10, { baseMs: 100, capMs: 500, random: () => 0.999 })).toBe(499);
  });
});
