import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader, type Simulator, startSimulator } from '../src/index.js';
import { call, READONLY_TOKEN } from './helpers/http.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe('GET /metainfo', () => {
  it('has exactly updateConnectors, getConnectors and info, blocked GetConnectors included', async () => {
    const reply = await call(sim, '/metainfo', { headers: { 'accept-language': 'en-us' } });
    const body = reply.json as Record<string, { id: string; description: string }[]> & { info: unknown };
    expect(Object.keys(body)).toEqual(['updateConnectors', 'getConnectors', 'info']);
    expect(body.info).toEqual({
      envid: 'T12345AA',
      appName: 'Koppel',
      group: 'AuthorizationGroup 101 (12345.KOPPEL)',
      tokenExpiry: '0',
    });
    // `updateConnectors: all` in the demo seed: every connector AFAS documents.
    expect(body.updateConnectors).toHaveLength(169);
    expect(body.updateConnectors?.find((c) => c.id === 'KnPerson')).toEqual({
      id: 'KnPerson',
      description: 'Person',
    });
    expect(body.getConnectors?.find((c) => c.id === 'Profit_Accounts')).toEqual({
      id: 'Profit_Accounts',
      description: 'Ledger accounts (Finance)',
    });
    expect(body.getConnectors?.find((c) => c.id === 'Profit_Heavy_Report')).toEqual({
      id: 'Profit_Heavy_Report',
      description: 'Profit_Heavy_Report',
    });
    for (const entry of [...(body.updateConnectors ?? []), ...(body.getConnectors ?? [])]) {
      expect(Object.keys(entry)).toEqual(['id', 'description']);
    }
    expect(reply.text).not.toContain('\n');
  });

  it('lists only the App Connector of the token', async () => {
    const reply = await call(sim, '/metainfo', {
      headers: { authorization: afasTokenHeader(READONLY_TOKEN) },
    });
    expect(reply.json).toEqual({
      updateConnectors: [],
      getConnectors: [
        { id: 'Profit_Administrations', description: 'Administraties' },
        { id: 'Profit_Debtor', description: 'Debiteuren' },
      ],
      info: {
        envid: 'T12345AA',
        appName: 'Koppel Read-only',
        group: 'AuthorizationGroup 101 (12345.READER)',
        tokenExpiry: '0',
      },
    });
  });
});

describe('GET /metainfo/get/{id}', () => {
  it('has the exact keys, decimalsFieldId included, in the request language', async () => {
    const nl = (await call(sim, '/metainfo/get/Profit_Administrations')).json;
    expect(nl).toEqual({
      name: 'Profit_Administrations',
      description: 'Administraties',
      fields: [
        {
          id: 'AdminId',
          fieldId: 'U001',
          dataType: 'int',
          label: 'Nummer administratie',
          length: 3,
          controlType: 5,
          decimals: 0,
          decimalsFieldId: '',
        },
        {
          id: 'AdminNm',
          fieldId: 'U002',
          dataType: 'string',
          label: 'Naam administratie',
          length: 80,
          controlType: 1,
          decimals: 0,
          decimalsFieldId: '',
        },
        {
          id: 'AdminCd',
          fieldId: 'U003',
          dataType: 'string',
          label: 'Code administratie',
          length: 10,
          controlType: 1,
          decimals: 0,
          decimalsFieldId: '',
        },
      ],
    });
    const en = (await call(sim, '/metainfo/get/Profit_VAT_code', { headers: { 'accept-language': 'en-us' } }))
      .json as {
      fields: Record<string, unknown>[];
    };
    expect(en.fields[2]).toEqual({
      id: 'Percentage',
      fieldId: 'U003',
      dataType: 'decimal',
      label: 'Percentage',
      length: 5,
      controlType: 1,
      decimals: 2,
      decimalsFieldId: '',
    });
  });

  it('answers 500 for a GetConnector outside the App Connector', async () => {
    const reply = await call(sim, '/metainfo/get/Nope', { headers: { 'accept-language': 'en-us' } });
    expect([reply.status, (reply.json as { externalMessage: string }).externalMessage]).toEqual([
      500,
      'GetConnector not supported for this app or the user is not authorized',
    ]);
  });
});

describe('GET /metainfo/update/{id}', () => {
  it('returns the engine document with the §2.3 keys', async () => {
    const body = (await call(sim, '/metainfo/update/FiEntries')).json as {
      id: string;
      name: string;
      fields: Record<string, unknown>[];
    };
    expect([body.id, body.name]).toEqual(['FiEntries', 'FiEntryPar']);
    expect(Object.keys(body.fields[0] ?? {})).toEqual([
      'fieldId',
      'primaryKey',
      'dataType',
      'label',
      'mandatory',
      'length',
      'decimals',
      'decimalFieldId',
      'notzero',
      'controlType',
      'values',
    ]);
  });

  it.each([
    ['nl-nl', 'Deze connector wordt niet ondersteund of de gebruiker is niet geautoriseerd.'],
    ['en-us', 'This connector is not supported or the user is not authorized.'],
  ])('answers 500 for an unknown connector (%s)', async (language, message) => {
    const reply = await call(sim, '/metainfo/update/PtRealisation', {
      headers: { 'accept-language': language },
    });
    expect([reply.status, (reply.json as { externalMessage: string }).externalMessage]).toEqual([
      500,
      message,
    ]);
  });

  it('answers 500 for a connector the engine knows but the App Connector lacks', async () => {
    const reply = await call(sim, '/metainfo/update/FiEntries', {
      headers: { authorization: afasTokenHeader(READONLY_TOKEN) },
    });
    expect(reply.status).toBe(500);
  });
});
