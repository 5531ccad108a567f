import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { call, raw } from './helpers/http.js';

let sim: Simulator;
const errors: unknown[] = [];
beforeAll(async () => {
  sim = await startSimulator({ onError: (error) => errors.push(error) });
});
afterAll(() => sim.close());

const subjectBody = (ds: Buffer) =>
  Buffer.concat([
    Buffer.from('{"KnSubject":{"Element":{"Fields":{"StId":1,"Ds":"'),
    ds,
    Buffer.from('"}}}}'),
  ]);
const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  call(sim, path, { method: 'POST', body, headers });

describe('bad requests never crash the simulator', () => {
  it.each([
    ['/', 404],
    ['/foo', 404],
    ['/ProfitRestServices', 404],
    ['/12345/ProfitRestServices', 404],
    ['/12345/ProfitRestServices/nope', 404],
    ['/12345/ProfitRestServices/connectors', 404],
    ['/12345/ProfitRestServices/connectors/Profit_Debtor/extra/segments', 404],
    ['/12345/ProfitRestServices/metainfo/get', 404],
    ['/12345/ProfitRestServices/metainfo/what/ever', 404],
    ['/12345/PROFITRESTSERVICES/%E0%A4%A', 404],
    ['//..//%00', 404],
    ['/12345/profitrestservices/METAINFO', 200],
  ])('GET %s -> %i', async (path, status) => {
    expect((await raw(sim, path)).status).toBe(status);
  });

  it.each([
    ['PATCH', '/connectors/KnSubject', 405],
    ['DELETE', '/metainfo', 405],
    ['PUT', '/profitversion', 405],
    ['GET', '/oauth/token', 405],
    ['GET', '/otprequest', 405],
  ])('%s %s -> %i with a Web API message', async (method, path, status) => {
    const reply = await call(sim, path, { method });
    expect([reply.status, reply.json]).toEqual([
      status,
      { message: `The requested resource does not support http method '${method}'.` },
    ]);
  });

  it('answers OPTIONS with the CORS headers', async () => {
    const reply = await call(sim, '/connectors/KnSubject', { method: 'OPTIONS', anonymous: true });
    expect([reply.status, reply.headers['access-control-allow-methods']]).toEqual([
      200,
      'GET, POST, PUT, DELETE, OPTIONS',
    ]);
  });

  it('answers 404 for a 200 kB query string', async () => {
    expect((await call(sim, `/connectors/Profit_Debtor?filtervalues=${'x'.repeat(200_000)}`)).status).toBe(
      404,
    );
  });

  it('answers invalid JSON with 400 {"message":"Invalid json"}', async () => {
    for (const body of ['{nope', '', '{"KnSubject":']) {
      const reply = await post('/connectors/KnSubject', body);
      expect([reply.status, reply.text]).toEqual([400, '{"message":"Invalid json"}']);
    }
  });

  it('answers invalid JSON as configured', async () => {
    const strict = await startSimulator({
      fidelity: { invalidJson: { status: 500, body: { externalMessage: 'Invalid json' } } },
    });
    try {
      const reply = await call(strict, '/connectors/KnSubject', { method: 'POST', body: '{' });
      expect([reply.status, reply.text]).toEqual([500, '{"externalMessage":"Invalid json"}']);
    } finally {
      await strict.close();
    }
  });

  it('stores invalid UTF-8 bytes as ? (not U+FFFD) and keeps valid UTF-8 and a BOM-prefixed body', async () => {
    await raw(sim, '/__sim/reset', { method: 'POST', anonymous: true });
    const invalid = Buffer.from([
      0x43, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x20, 0xe2, 0x82, 0x20, 0x6f, 0x6b,
    ]);
    expect((await post('/connectors/KnSubject', subjectBody(invalid))).status).toBe(201);
    expect((await post('/connectors/KnSubject', subjectBody(Buffer.from('Café – ok')))).status).toBe(201);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), subjectBody(Buffer.from('bom'))]);
    expect((await post('/connectors/KnSubject', bom)).status).toBe(201);
    expect(sim.control.journal({ table: 'subjects' }).map((e) => e.row.Description)).toEqual([
      'Caf? ?? ? ok',
      'Café – ok',
      'bom',
    ]);
  });

  it('answers 413 past the request size limit (75 MB by default)', async () => {
    const huge = await call(sim, '/connectors/KnSubject', {
      method: 'POST',
      body: Buffer.alloc(75 * 1024 * 1024 + 1, 0x20),
    });
    expect([huge.status, huge.text]).toEqual([413, '']);
    const small = await startSimulator({ fidelity: { maxRequestBytes: 100 } });
    try {
      const reply = await call(small, '/connectors/KnSubject', {
        method: 'POST',
        body: subjectBody(Buffer.alloc(200, 0x61)),
      });
      expect(reply.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('renders engine faults as §5.2 bodies with X-Profit-Error, switchable off', async () => {
    const reply = await post(
      '/connectors/KnSubject',
      '{"KnSubject":{"Element":{"Fields":{"Ds":"no type"}}}}',
    );
    expect(reply.status).toBe(500);
    const body = reply.json as { externalMessage: string; errorNumber: number; profitLogReference: string };
    expect(Object.keys(body)).toEqual(['externalMessage', 'errorNumber', 'profitLogReference']);
    expect(body.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
    expect(Buffer.from(String(reply.headers['x-profit-error']), 'base64').toString('utf8')).toBe(
      body.externalMessage,
    );
    const quiet = await startSimulator({ fidelity: { profitErrorHeader: false } });
    try {
      const other = await call(quiet, '/connectors/KnSubject', {
        method: 'POST',
        body: '{"KnSubject":{"Element":{"Fields":{"Ds":"x"}}}}',
      });
      expect([other.status, other.headers['x-profit-error']]).toEqual([500, undefined]);
    } finally {
      await quiet.close();
    }
  });

  it('answers an UpdateConnector outside the App Connector with the §5.3 text', async () => {
    // Every connector AFAS documents is in the demo App Connector; PtRealisation is a misspelling.
    const reply = await post('/connectors/PtRealisation', '{}');
    expect([reply.status, (reply.json as { externalMessage: string }).externalMessage]).toEqual([
      500,
      'General message: Deze UpdateConnector wordt niet ondersteund of de gebruiker is niet geautoriseerd.',
    ]);
  });

  it('resets requests sent with Connection: close when configured', async () => {
    const picky = await startSimulator({ fidelity: { connectionCloseResets: true } });
    try {
      await expect(call(picky, '/profitversion', { headers: { connection: 'close' } })).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      expect((await call(picky, '/profitversion', { headers: { connection: 'keep-alive' } })).status).toBe(
        200,
      );
    } finally {
      await picky.close();
    }
  });

  it('is still alive and logged no internal errors', async () => {
    expect((await call(sim, '/profitversion')).status).toBe(200);
    expect(errors).toEqual([]);
  });
});
