import { inspect } from 'node:util';
import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AfasClientOptions, AfasError, createAfasClient } from '../src/index.js';
import { DEMO_HEX, salesEntry, withSim } from './helpers.js';

let sim: Simulator;

beforeAll(async () => {
  sim = await withSim();
});
beforeEach(() => {
  sim.control.reset();
  sim.control.setFaults({ rules: [] });
});
afterAll(() => sim.close());

function forms(hex: string): Record<string, string> {
  const xml = `<token><version>1</version><data>${hex}</data></token>`;
  const b64 = Buffer.from(xml).toString('base64');
  return { hex, 'upper-case hex': hex.toUpperCase(), xml, base64: b64, 'base64 with CRLF': ` ${b64}\r\n` };
}

/** Every string a user, log or snapshot could see of an error, including its cause chain. */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = current as Error;
    out.push(
      e.message,
      String(e.stack),
      String(e),
      JSON.stringify(e),
      inspect(e, { depth: 10, showHidden: true }),
    );
    current = (e as { cause?: unknown }).cause;
  }
  return out;
}

function expectClean(error: unknown, token: string): void {
  expect(error).toBeInstanceOf(AfasError);
  const hex = /[0-9a-f]{64}/i.exec(
    token.includes('<') || /^[0-9a-f]+$/i.test(token.trim())
      ? token
      : Buffer.from(token.trim(), 'base64').toString(),
  )?.[0];
  const xml = hex ? `<token><version>1</version><data>${hex}</data></token>` : undefined;
  const needles = [
    token.trim(),
    hex,
    hex?.toLowerCase(),
    hex?.toUpperCase(),
    xml,
    xml && Buffer.from(xml).toString('base64'),
  ].filter((n): n is string => typeof n === 'string' && n.length > 0);
  for (const text of renderings(error)) {
    for (const needle of needles)
      expect(text.includes(needle), `found the token in: ${text.slice(0, 200)}`).toBe(false);
    expect(text).not.toMatch(/AfasToken\s+[A-Za-z0-9+/=]{20,}/);
  }
}

const client = (token: string, extra: Partial<AfasClientOptions> = {}) =>
  createAfasClient({
    environmentId: '12345',
    url: sim.baseUrl(),
    auth: { type: 'token', token },
    readRetries: 0,
    ...extra,
  });

const UNKNOWN_HEX = '0123456789abcdef'.repeat(4);

describe('the token never appears in an error', () => {
  it.each(Object.entries(forms(DEMO_HEX)))('nor in util.inspect of the client (%s)', (_form, token) => {
    const text = inspect(client(token), { depth: 10, showHidden: true });
    expect(text).not.toContain(DEMO_HEX);
    expect(text).not.toContain(
      Buffer.from(`<token><version>1</version><data>${DEMO_HEX}</data></token>`).toString('base64'),
    );
  });

  it.each(Object.entries(forms(UNKNOWN_HEX)))('401 (%s)', async (_form, token) => {
    const error = await client(token)
      .metainfo()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expectClean(error, token);
  });

  it.each(Object.entries(forms(DEMO_HEX)))('500 (%s)', async (_form, token) => {
    const bad = salesEntry();
    bad.fields!.JoCo = 'XX';
    const error = await client(token)
      .insert('FiEntries', { element: bad })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500 });
    expectClean(error, token);
  });

  it.each(Object.entries(forms(DEMO_HEX)))('connection reset (%s)', async (_form, token) => {
    sim.control.setFaults({ rules: [{ kind: 'reset', connector: 'FiEntries', times: 1 }] });
    const error = await client(token)
      .insert('FiEntries', { element: salesEntry() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'reset' });
    expectClean(error, token);
  });

  it.each(Object.entries(forms(DEMO_HEX)))('timeout (%s)', async (_form, token) => {
    sim.control.setFaults({ rules: [{ kind: 'latency', connector: 'Profit_Journals', ms: 1000 }] });
    const error = await client(token, { timeoutMs: 50 })
      .get('Profit_Journals')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expectClean(error, token);
  });

  it.each(Object.entries(forms(`${DEMO_HEX.slice(0, 63)}z`)))('invalid token (%s)', (_form, token) => {
    let error: unknown;
    try {
      client(token);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'KOPPEL_AFAS_TOKEN' });
    expectClean(error, token);
    expect(renderings(error).join('\n')).not.toContain(DEMO_HEX.slice(0, 63));
  });
});
