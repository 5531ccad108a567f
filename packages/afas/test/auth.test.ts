import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AfasTokenError, classify, createAfasClient, ProfitError } from '../src/index.js';
import { clientFor, DEMO_HEX, TOKEN_FORMS, withSim } from './helpers.js';

let sim: Simulator;

beforeAll(async () => {
  sim = await withSim();
});
beforeEach(() => sim.control.reset());
afterAll(() => sim.close());

const count = (connector: string, status?: number) =>
  sim.control
    .stats()
    .requests.filter((r) => r.connector === connector && (status === undefined || r.status === status))
    .reduce((sum, r) => sum + r.count, 0);

describe('AfasToken', () => {
  it.each(Object.entries(TOKEN_FORMS))(
    'accepts the %s form and sends it as base64 XML',
    async (_form, token) => {
      const client = clientFor(sim, { auth: { type: 'token', token } });
      expect((await client.metainfo()).info?.appName).toBe('Koppel');
    },
  );

  it('gets 401 for a well-formed token the environment does not know -> stop', async () => {
    const client = clientFor(sim, { auth: { type: 'token', token: 'f'.repeat(64) } });
    const error = await client.metainfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect(error).toMatchObject({ status: 401, body: '' });
    expect(classify(error)).toEqual({ action: 'stop', reason: 'unauthorized' });
  });

  it('gets 403 when the App Connector is restricted to another IP -> stop', async () => {
    const office = '7f3c1e0a9b8d6c5e4f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e';
    const client = clientFor(sim, { auth: { type: 'token', token: office } });
    const error = await client.get('Profit_Administrations').catch((e: unknown) => e);
    expect(classify(error)).toEqual({ action: 'stop', reason: 'forbidden' });
  });

  it('rejects garbage before any I/O', () => {
    expect(() => clientFor(sim, { auth: { type: 'token', token: 'my-password-123' } })).toThrow(
      AfasTokenError,
    );
    expect(count('metainfo')).toBe(0);
  });
});

describe('OAuth client credentials', () => {
  it('fetches one bearer and reuses it until shortly before expiry', async () => {
    const client = clientFor(sim, {
      auth: { type: 'oauth', clientId: 'koppel-demo', clientSecret: 'demo-secret' },
    });
    await client.metainfo();
    await client.getMetainfo('Profit_Administrations');
    await client.get('Profit_Administrations');
    expect(count('oauth/token')).toBe(1);
    expect(count('Profit_Administrations', 200)).toBe(1);
  });

  it('refreshes once after a 401 (the server forgot the bearer)', async () => {
    const client = clientFor(sim, {
      auth: { type: 'oauth', clientId: 'koppel-demo', clientSecret: 'demo-secret' },
    });
    await client.get('Profit_Administrations');
    sim.control.reset(); // drops issued access tokens
    const page = await client.get('Profit_Journals');
    expect(page.rows.length).toBe(7);
    // after the reset: one 401 (labelled by endpoint, before the connector is known), one refresh, one 200
    expect(count('connectors', 401)).toBe(1);
    expect(count('oauth/token')).toBe(1);
    expect(count('Profit_Journals', 200)).toBe(1);
  });

  it('refreshes only once: an always-expired bearer ends in 401', async () => {
    const client = clientFor(sim, {
      auth: { type: 'oauth', clientId: 'koppel-expired', clientSecret: 'demo-secret' },
      readRetries: 0,
    });
    const error = await client.get('Profit_Administrations').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(count('oauth/token')).toBe(2);
    expect(count('connectors', 401)).toBe(2);
  });

  it('reports a refused client secret without echoing it', async () => {
    const client = clientFor(sim, {
      auth: { type: 'oauth', clientId: 'koppel-demo', clientSecret: 'wrong-secret-xyz' },
      readRetries: 0,
    });
    const error = await client.metainfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect((error as Error).message).toBe(
      `AFAS POST ${sim.baseUrl()}/oauth/token failed with 401: OAuth token request was refused; check clientId and clientSecret.`,
    );
    expect(JSON.stringify(error)).not.toContain('wrong-secret-xyz');
  });

  it('validates the options before any I/O', () => {
    expect(() => clientFor(sim, { auth: { type: 'oauth', clientId: '', clientSecret: 'x' } })).toThrow(
      'Expected `auth.clientId` to be a non-empty string, got string.',
    );
  });
});

describe('headers', () => {
  it('sends IntegrationId and Accept-Language', async () => {
    const client = clientFor(sim, { integrationId: '12345_678900', language: 'en-us' });
    const error = await client.get('Koppel_Bench_Rows', { orderBy: 'Nope' }).catch((e: unknown) => e);
    expect((error as ProfitError).externalMessage).toBe("Connector field 'Nope' not found");
    expect(sim.control.stats().integrationIds).toEqual(['12345_678900']);
  });

  it('caches metainfo per language', async () => {
    const nl = clientFor(sim);
    const en = clientFor(sim, { language: 'en-us' });
    const [a, b] = await Promise.all([nl.updateMetainfo('FiEntries'), en.updateMetainfo('FiEntries')]);
    expect(a.description).toBe('Financiële mutatie');
    expect(b.description).not.toBe('Financiële mutatie');
  });

  it('refuses plain http to a non-loopback host before any I/O', () => {
    expect(() =>
      createAfasClient({
        environmentId: '12345',
        url: 'http://192.168.1.10/ProfitRestServices',
        auth: { type: 'token', token: DEMO_HEX },
      }),
    ).toThrow(/plain http is allowed only for 127.0.0.0\/8, ::1 and localhost/);
  });
});
