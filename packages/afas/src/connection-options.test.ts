import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { buildBaseUrl, checkBaseUrl, resolveConnection } from './connection-options.js';

describe('buildBaseUrl', () => {
  it.each([
    ['production', 'https://12345.rest.afas.online/ProfitRestServices'],
    ['test', 'https://12345.resttest.afas.online/ProfitRestServices'],
    ['accept', 'https://12345.restaccept.afas.online/ProfitRestServices'],
    ['cursus', 'https://12345.restcursus.afas.online/ProfitRestServices'],
  ] as const)('%s', (type, url) => {
    expect(buildBaseUrl('12345', type)).toBe(url);
    expect(buildBaseUrl(12345, type)).toBe(url);
  });

  it.each([['T12345AA'], ['12 345'], [''], ['12345/x']])('rejects environment id %j', (id) => {
    expect(() => buildBaseUrl(id)).toThrow(/Expected `environmentId` to be the environment number/);
  });

  it('rejects an unknown type', () => {
    expect(() => buildBaseUrl('1', 'staging' as never)).toThrow(
      'Expected `environmentType` to be one of production, test, accept, cursus, got "staging".',
    );
  });
});

describe('checkBaseUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/12345/ProfitRestServices', 'http://127.0.0.1:8080/12345/ProfitRestServices'],
    ['http://127.1.2.3:80/', 'http://127.1.2.3/ProfitRestServices'],
    ['http://[::1]:9000', 'http://[::1]:9000/ProfitRestServices'],
    ['http://localhost:9000/ProfitRestServices/', 'http://localhost:9000/ProfitRestServices'],
    ['https://proxy.example.com/afas', 'https://proxy.example.com/afas'],
  ])('accepts %s', (url, base) => {
    expect(checkBaseUrl(url)).toBe(base);
  });

  it.each([
    ['http://10.0.0.1/ProfitRestServices', /plain http is allowed only for 127.0.0.0\/8, ::1 and localhost/],
    ['http://localhost.evil.com/', /plain http is allowed only/],
    ['http://128.0.0.1/', /plain http is allowed only/],
    ['ftp://127.0.0.1/', /to use https/],
    ['not a url', /absolute http\(s\) URL/],
    ['https://user:pw@example.com/', /without credentials/],
  ])('rejects %s', (url, message) => {
    expect(() => checkBaseUrl(url)).toThrow(message);
  });
});

describe('resolveConnection', () => {
  it('applies defaults', () => {
    expect(resolveConnection({ environmentId: '12345' })).toEqual({
      baseUrl: 'https://12345.rest.afas.online/ProfitRestServices',
      language: 'nl-nl',
      integrationId: undefined,
      timeoutMs: 120_000,
      timeouts: { connectMs: 10_000, firstByteMs: 60_000, readFirstByteMs: 30_000, totalMs: 120_000 },
      maxInFlight: 8,
    });
  });

  it('caps the phase defaults at a shorter whole-request timeout, and takes each phase', () => {
    expect(resolveConnection({ environmentId: '12345', timeoutMs: 5000 }).timeouts).toEqual({
      connectMs: 5000,
      firstByteMs: 5000,
      readFirstByteMs: 5000,
      totalMs: 5000,
    });
    expect(
      resolveConnection({ environmentId: '12345', timeouts: { firstByteMs: 800, totalMs: 9000 } }).timeouts,
    ).toEqual({ connectMs: 9000, firstByteMs: 800, readFirstByteMs: 9000, totalMs: 9000 });
  });

  it.each([
    [{ timeoutMs: 0 }, 'Expected `timeoutMs` to be an integer >= 1, got 0.'],
    [{ timeouts: { firstByteMs: -1 } }, 'Expected `timeouts.firstByteMs` to be an integer >= 1, got -1.'],
    [{ maxInFlight: 2.5 }, 'Expected `maxInFlight` to be an integer >= 1, got 2.5.'],
    [{ language: 'en' }, 'Expected `language` to be one of nl-nl, en-us, nl-be, fr-fr, de-de, got "en".'],
    [{ integrationId: 'a b' }, 'Expected `integrationId` to look like 12345_678900, got "a b".'],
    [{ environmentId: undefined }, /Expected `environmentId`/],
  ])('rejects %j', (extra, message) => {
    expect(() => resolveConnection({ environmentId: '12345', ...extra } as never)).toThrow(message);
  });
});

describe('TLS', () => {
  it('refuses https when Node allows TLS below 1.2', () => {
    const before = tls.DEFAULT_MIN_VERSION;
    tls.DEFAULT_MIN_VERSION = 'TLSv1.1';
    try {
      expect(() => resolveConnection({ environmentId: '1' })).toThrow(
        "Expected Node's minimum TLS version to be TLSv1.2 or higher (AFAS requires it), got TLSv1.1; remove --tls-min-v1.x.",
      );
      expect(resolveConnection({ environmentId: '1', url: 'http://127.0.0.1:1/x' }).baseUrl).toBe(
        'http://127.0.0.1:1/x',
      );
    } finally {
      tls.DEFAULT_MIN_VERSION = before;
    }
  });
});
