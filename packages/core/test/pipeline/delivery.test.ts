import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  type DeliveryRecord,
  deliveryVerdict,
  environmentIdentity,
  payloadHash,
} from '../../src/pipeline/delivery.js';

describe('payload hash', () => {
  it('is the sha256 of canonical JSON: key order and undefined members do not matter, values do', () => {
    const a = { Fields: { AcNr: '4000', AmDe: '12.50' }, Objects: { X: [{ b: 1, a: 2 }] } };
    const b = { Objects: { X: [{ a: 2, b: 1 }] }, Fields: { AmDe: '12.50', AcNr: '4000', Ds: undefined } };
    expect(canonicalJson(a)).toBe(
      '{"Fields":{"AcNr":"4000","AmDe":"12.50"},"Objects":{"X":[{"a":2,"b":1}]}}',
    );
    expect(payloadHash(a)).toBe(payloadHash(b));
    expect(payloadHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(payloadHash({ ...a, Fields: { AcNr: '4000', AmDe: '12.5' } })).not.toBe(payloadHash(a));
    expect(canonicalJson([1, undefined, null])).toBe('[1,null,null]');
  });
});

describe('environment identity', () => {
  it('is the normalised base URL plus the environment id, never anything else', () => {
    expect(environmentIdentity('https://12345.rest.afas.online/ProfitRestServices/')).toBe(
      'https://12345.rest.afas.online/profitrestservices#12345',
    );
    expect(environmentIdentity('http://127.0.0.1:8080/12345/ProfitRestServices')).toBe(
      'http://127.0.0.1:8080/12345/profitrestservices#12345',
    );
    expect(environmentIdentity('https://12345.resttest.afas.online/ProfitRestServices?x=1')).toBe(
      'https://12345.resttest.afas.online/profitrestservices#12345',
    );
    expect(environmentIdentity('https://profit.example/ProfitRestServices', 777)).toBe(
      'https://profit.example/profitrestservices#777',
    );
  });
});

describe('delivery verdict', () => {
  const record = (extra: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
    key: 'K',
    state: 'delivered',
    payloadHash: 'a'.repeat(64),
    sentAt: '2026-12-01T10:00:00.000Z',
    runId: 'r',
    ...extra,
  });
  it('sends the never delivered, skips the delivered (once, or changed and equal), sends the changed, looks up the unsettled', () => {
    expect(deliveryVerdict('once', undefined, 'x')).toBe('send');
    expect(deliveryVerdict('once', record(), 'b'.repeat(64))).toBe('skip');
    expect(deliveryVerdict('changed', record(), 'a'.repeat(64))).toBe('skip');
    expect(deliveryVerdict('changed', record(), 'b'.repeat(64))).toBe('changed');
    expect(deliveryVerdict('once', record({ state: 'inflight' }), 'a'.repeat(64))).toBe('uncertain');
    expect(deliveryVerdict('changed', record({ state: 'uncertain' }), 'b'.repeat(64))).toBe('uncertain');
    expect(deliveryVerdict('run', record(), 'a'.repeat(64))).toBe('send');
  });
});
