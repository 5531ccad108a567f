import { AfasNetworkError, ProfitError } from '@koppel/afas';
import { describe, expect, it } from 'vitest';
import { afasClassify } from './afas-classify.js';

const classify = afasClassify({ connector: 'FiEntries', method: 'POST' });
const profit = (
  status: number,
  externalMessage?: string,
  extra: Partial<{ retryAfter: number; profitLogReference: string }> = {},
) =>
  new ProfitError({
    status,
    method: 'POST',
    url: 'http://127.0.0.1/12345/ProfitRestServices/connectors/FiEntries',
    externalMessage,
    ...extra,
  });

describe('afasClassify', () => {
  it('waits out a 503 for its retry_after, in ms', () => {
    expect(classify(profit(503, 'Service temporarily unavailable', { retryAfter: 2 }))).toEqual({
      action: 'wait',
      message: 'Service temporarily unavailable',
      delayMs: 2000,
    });
  });

  it('retries a locked booking layout with the pipeline backoff', () => {
    expect(classify(profit(500, 'De boekingslay-out is geblokkeerd door een andere gebruiker.'))).toEqual({
      action: 'retry',
      message: 'De boekingslay-out is geblokkeerd door een andere gebruiker.',
    });
  });

  it('rejects a validation error with its message and log reference', () => {
    expect(
      classify(
        profit(500, 'Voor deze administratie is periode 8 van het jaar 2024 geblokkeerd.', {
          profitLogReference: 'ABCDEF0123456789ABCDEF0123456789',
        }),
      ),
    ).toEqual({
      action: 'reject',
      message: 'Voor deze administratie is periode 8 van het jaar 2024 geblokkeerd.',
      profitLogReference: 'ABCDEF0123456789ABCDEF0123456789',
    });
  });

  it('stops on 401 and on a connector missing from the App Connector, saying what to fix', () => {
    const unauthorized = classify(profit(401));
    expect(unauthorized.action).toBe('stop');
    expect(unauthorized.message).toMatch(
      /^AFAS refused the token \(.*401.*\): check connection.token .*, then run the same command again to resume$/,
    );
    const missing = classify(
      profit(
        500,
        'General message: Deze UpdateConnector wordt niet ondersteund of de gebruiker is niet geautoriseerd.',
      ),
    );
    expect(missing.action).toBe('stop');
    expect(missing.message).toMatch(
      /^FiEntries is not in the App Connector or its user lacks rights \(.*\): add it to the App Connector in Profit, then run the same command again to resume$/,
    );
  });

  it('marks a write that may have reached AFAS uncertain, and retries one that never left', () => {
    const sent = new AfasNetworkError({
      kind: 'timeout',
      method: 'POST',
      url: 'u',
      requestMayHaveBeenSent: true,
      detail: 'no response within 300 ms',
    });
    expect(classify(sent).action).toBe('uncertain');
    const refused = new AfasNetworkError({
      kind: 'refused',
      method: 'POST',
      url: 'u',
      requestMayHaveBeenSent: false,
      detail: 'ECONNREFUSED',
    });
    expect(classify(refused).action).toBe('retry');
  });

  it('follows the job overrides of run.retry before the default patterns', () => {
    const tuned = afasClassify({
      connector: 'FiEntries',
      method: 'POST',
      retryOn: [/tijdelijk/i],
      rejectOn: [/geblokkeerd door/i],
    });
    expect(tuned(profit(500, 'Tijdelijk niet beschikbaar')).action).toBe('retry');
    expect(tuned(profit(500, 'De boekingslay-out is geblokkeerd door een andere gebruiker.')).action).toBe(
      'reject',
    );
    expect(tuned(profit(503, 'tijdelijk', { retryAfter: 1 })).action).toBe('wait');
  });
});
