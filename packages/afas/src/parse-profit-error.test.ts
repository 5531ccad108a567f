import { describe, expect, it } from 'vitest';
import { MAX_ERROR_BODY_BYTES } from './errors.js';
import { parseProfitError, parseRetryAfterHeader } from './parse-profit-error.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const make = (status: number, text: string, headers: Record<string, string> = {}) =>
  parseProfitError({
    status,
    method: 'POST',
    url: 'https://1.rest.afas.online/ProfitRestServices/connectors/FiEntries',
    headers: new Headers(headers),
    text,
  });

describe('parseProfitError', () => {
  it('reads a functional 500', () => {
    const error = make(
      500,
      '{"externalMessage":"The entered value for \'Employee\' does not exist.","errorNumber":-2147220469,"profitLogReference":"B8213AF1C3C54E579686406A8DE71C6C"}',
      {
        'X-Profit-Error': b64("The entered value for 'Employee' does not exist."),
      },
    );
    expect(error).toMatchObject({
      status: 500,
      method: 'POST',
      url: 'https://1.rest.afas.online/ProfitRestServices/connectors/FiEntries',
      externalMessage: "The entered value for 'Employee' does not exist.",
      errorNumber: -2147220469,
      profitLogReference: 'B8213AF1C3C54E579686406A8DE71C6C',
      headerMessage: "The entered value for 'Employee' does not exist.",
      retryAfter: undefined,
      code: 'KOPPEL_AFAS_PROFIT',
    });
    expect(error.message).toBe(
      "AFAS POST https://1.rest.afas.online/ProfitRestServices/connectors/FiEntries failed with 500: The entered value for 'Employee' does not exist. (profitLogReference B8213AF1C3C54E579686406A8DE71C6C)",
    );
  });

  it('falls back to the decoded X-Profit-Error header when the body has no message', () => {
    const error = make(500, '', { 'X-Profit-Error': b64('Deze regel is geblokkeerd door gebruiker Jan.') });
    expect(error.externalMessage).toBe('Deze regel is geblokkeerd door gebruiker Jan.');
  });

  it.for<{
    name: string;
    text: string;
    headers: Record<string, string>;
    retryAfter: number | undefined;
    message: string | undefined;
  }>([
    {
      name: '503 body retry_after',
      text: '{"error":{"code":"503","message":"Service temporarily unavailable"},"retry_after":7200}',
      headers: {},
      retryAfter: 7200,
      message: 'Service temporarily unavailable',
    },
    {
      name: 'Retry-After header without body',
      text: '',
      headers: { 'Retry-After': '30' },
      retryAfter: 30,
      message: undefined,
    },
    {
      name: 'body wins over header',
      text: '{"retry_after":5}',
      headers: { 'Retry-After': '30' },
      retryAfter: 5,
      message: undefined,
    },
    { name: 'neither', text: '', headers: {}, retryAfter: undefined, message: undefined },
  ])('503: $name', ({ text, headers, retryAfter, message }) => {
    const error = make(503, text, headers);
    expect(error.retryAfter).toBe(retryAfter);
    expect(error.externalMessage).toBe(message);
  });

  it('reads the {message} shape and an empty 401', () => {
    expect(make(400, '{"message":"Invalid json"}').externalMessage).toBe('Invalid json');
    const unauthorized = make(401, '');
    expect(unauthorized.externalMessage).toBeUndefined();
    expect(unauthorized.message).toBe(
      'AFAS POST https://1.rest.afas.online/ProfitRestServices/connectors/FiEntries failed with 401: the token was refused (wrong, expired or of another environment)',
    );
  });

  it('bounds the body to 2 KB without splitting a character', () => {
    const error = make(500, 'é'.repeat(5000));
    expect(Buffer.byteLength(error.body)).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
    expect(error.body.endsWith('é…')).toBe(true);
  });
});

describe('parseRetryAfterHeader', () => {
  it.each([
    ['120', 120],
    [' 7 ', 7],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30],
    ['soon', undefined],
  ])('%j', (value, seconds) => {
    expect(parseRetryAfterHeader(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(seconds);
  });
});

describe('ProfitError rendering', () => {
  it('serialises to JSON with name, code, message and fields', () => {
    const error = make(500, '{"externalMessage":"Fout","errorNumber":-1,"profitLogReference":"AB"}');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ProfitError',
      code: 'KOPPEL_AFAS_PROFIT',
      message:
        'AFAS POST https://1.rest.afas.online/ProfitRestServices/connectors/FiEntries failed with 500: Fout (profitLogReference AB)',
      status: 500,
      method: 'POST',
      url: 'https://1.rest.afas.online/ProfitRestServices/connectors/FiEntries',
      externalMessage: 'Fout',
      errorNumber: -1,
      profitLogReference: 'AB',
      body: '{"externalMessage":"Fout","errorNumber":-1,"profitLogReference":"AB"}',
      fromProfit: true,
    });
  });
});
