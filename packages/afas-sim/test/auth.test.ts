import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { call, DEMO_TOKEN, OFFICE_TOKEN, OTHER_ENV_TOKEN, raw } from './helpers/http.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const xml = (data: string) => `<token><version>1</version><data>${data}</data></token>`;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const get = (
  authorization: string | undefined,
  path = '/profitversion',
  prefix = '/12345/ProfitRestServices',
) =>
  raw(sim, `${prefix}${path}`, {
    anonymous: true,
    headers: authorization === undefined ? {} : { authorization },
  });

describe('classic token', () => {
  it('accepts AfasToken base64(<token> XML)', async () => {
    const reply = await get(`AfasToken ${b64(xml(DEMO_TOKEN))}`);
    expect([reply.status, reply.text]).toEqual([200, '{"version":"22.22.5"}']);
  });

  it('accepts upper-case hex and whitespace inside the XML', async () => {
    const reply = await get(
      `AfasToken ${b64(`<token>\n <version>1</version>\n <data>${DEMO_TOKEN.toUpperCase()}</data>\n</token>`)}`,
    );
    expect(reply.status).toBe(200);
  });

  it('resolves the environment from the token without a path prefix', async () => {
    const reply = await get(`AfasToken ${b64(xml(DEMO_TOKEN))}`, '/profitversion', '/profitrestservices');
    expect(reply.status).toBe(200);
  });

  const rejected: [name: string, header: string | undefined, status: number][] = [
    ['missing header', undefined, 401],
    ['empty header', '', 401],
    ['base64 of the bare hex (no XML)', `AfasToken ${b64(DEMO_TOKEN)}`, 401],
    ['base64 of an unknown token', `AfasToken ${b64(xml('a'.repeat(64)))}`, 401],
    ['base64 of garbage', `AfasToken ${b64('hello world')}`, 401],
    ['not base64 at all', 'AfasToken !!!', 401],
    ['unknown scheme', `Basic ${b64(xml(DEMO_TOKEN))}`, 401],
    ['unknown Bearer token', 'Bearer abc', 401],
  ];
  it.each(rejected)('%s -> %i with an empty body', async (_name, header, status) => {
    const reply = await get(header);
    expect([reply.status, reply.text, reply.headers['content-length']]).toEqual([status, '', '0']);
  });

  it('rejects a plain-text token with 500 (Profit 6+)', async () => {
    for (const header of [`AfasToken ${xml(DEMO_TOKEN)}`, `AfasToken ${DEMO_TOKEN}`]) {
      const reply = await get(header);
      expect(reply.status).toBe(500);
      expect(reply.json).toMatchObject({ errorNumber: -2147180996 });
    }
  });

  it('rejects a plain-text token with 401 when configured like older Profit', async () => {
    const old = await startSimulator({ fidelity: { plainTextTokenStatus: 401 } });
    try {
      const reply = await raw(old, '/12345/ProfitRestServices/profitversion', {
        anonymous: true,
        headers: { authorization: `AfasToken ${xml(DEMO_TOKEN)}` },
      });
      expect([reply.status, reply.text]).toEqual([401, '']);
    } finally {
      await old.close();
    }
  });

  it('rejects a token of another environment with 401, and an unknown environment with 404', async () => {
    const other = await get(
      `AfasToken ${b64(xml(DEMO_TOKEN))}`,
      '/profitversion',
      '/54321/ProfitRestServices',
    );
    expect([other.status, other.text]).toEqual([401, '']);
    const own = await get(
      `AfasToken ${b64(xml(OTHER_ENV_TOKEN))}`,
      '/profitversion',
      '/54321/ProfitRestServices',
    );
    expect([own.status, own.text]).toEqual([200, '{"version":"22.23.1"}']);
    const unprefixed = await get(
      `AfasToken ${b64(xml(OTHER_ENV_TOKEN))}`,
      '/profitversion',
      '/ProfitRestServices',
    );
    expect([unprefixed.status, unprefixed.text]).toEqual([200, '{"version":"22.23.1"}']);
    expect(
      (await get(`AfasToken ${b64(xml(DEMO_TOKEN))}`, '/profitversion', '/99999/ProfitRestServices')).status,
    ).toBe(404);
  });

  it('answers 403 with an empty body when the App Connector has an IP restriction', async () => {
    const reply = await get(`AfasToken ${b64(xml(OFFICE_TOKEN))}`, '/connectors/Profit_Administrations');
    expect([reply.status, reply.text]).toEqual([403, '']);
  });
});

describe('OAuth client credentials', () => {
  const token = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    raw(sim, '/12345/ProfitRestServices/oauth/token', {
      method: 'POST',
      anonymous: true,
      body,
      headers: { 'content-type': contentType },
    });

  it('issues a Bearer token (form-encoded) that authenticates requests', async () => {
    const reply = await token(
      'grant_type=client_credentials&client_id=koppel-demo&client_secret=demo-secret',
    );
    expect(reply.status).toBe(200);
    const body = reply.json as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f]{64}$/),
      refresh_token: null,
      token_type: 'Bearer',
      expires_in: 3600,
    });
    const version = await get(`Bearer ${body.access_token}`);
    expect(version.status).toBe(200);
    const unprefixed = await get(`Bearer ${body.access_token}`, '/metainfo', '/ProfitRestServices');
    expect((unprefixed.json as { info: { envid: string } }).info.envid).toBe('T12345AA');
  });

  it('accepts a JSON body too', async () => {
    const reply = await token(
      JSON.stringify({
        grant_type: 'client_credentials',
        client_id: 'koppel-demo',
        client_secret: 'demo-secret',
      }),
      'application/json',
    );
    expect(reply.status).toBe(200);
  });

  it('rejects wrong credentials and other grants', async () => {
    expect(
      (await token('grant_type=client_credentials&client_id=koppel-demo&client_secret=nope')).json,
    ).toEqual({ error: 'invalid_client' });
    const grant = await token('grant_type=password&client_id=koppel-demo&client_secret=demo-secret');
    expect([grant.status, grant.json]).toEqual([400, { error: 'unsupported_grant_type' }]);
  });

  it('answers 401 for an expired access token', async () => {
    const reply = await token(
      'grant_type=client_credentials&client_id=koppel-expired&client_secret=demo-secret',
    );
    const expired = await get(`Bearer ${(reply.json as { access_token: string }).access_token}`);
    expect([expired.status, expired.text]).toEqual([401, '']);
  });
});

describe('OTP', () => {
  const post = (path: string, body: unknown) =>
    raw(sim, `/12345/ProfitRestServices${path}`, {
      method: 'POST',
      anonymous: true,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it('otprequest answers 201 without a useful body, even for wrong keys', async () => {
    for (const apiKey of ['DEMO-API-KEY', 'WRONG']) {
      const reply = await post('/otprequest', { apiKey, apiToken: 'DEMO-ENV-KEY', userid: '12345.koppel' });
      expect([reply.status, reply.text]).toEqual([201, '']);
    }
  });

  it('otpvalidation returns the token XML with a trailing CRLF; userid and userId both work', async () => {
    for (const key of ['userid', 'userId']) {
      const reply = await post('/otpvalidation', {
        apiKey: 'DEMO-API-KEY',
        apiToken: 'DEMO-ENV-KEY',
        [key]: '12345.koppel',
        otp: '34264813',
      });
      expect([reply.status, reply.text]).toEqual([200, JSON.stringify({ token: `${xml(DEMO_TOKEN)}\r\n` })]);
    }
  });

  it('otpvalidation answers 204 for a wrong code', async () => {
    const reply = await post('/otpvalidation', {
      apiKey: 'DEMO-API-KEY',
      apiToken: 'DEMO-ENV-KEY',
      userid: '12345.koppel',
      otp: '00000000',
    });
    expect([reply.status, reply.text]).toEqual([204, '']);
  });
});

describe('IntegrationId and Accept-Language', () => {
  it('records IntegrationId headers in the stats', async () => {
    await call(sim, '/profitversion', { headers: { IntegrationId: '12345_678900' } });
    expect(sim.control.stats().integrationIds).toContain('12345_678900');
  });

  it('falls back to the environment language for unknown languages', async () => {
    const reply = await call(sim, '/connectors/Nope', { headers: { 'accept-language': 'es-es' } });
    expect((reply.json as { externalMessage: string }).externalMessage).toBe(
      'GetConnector niet ondersteund voor deze app of de gebruiker is niet geautoriseerd',
    );
  });
});
