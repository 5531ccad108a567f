import { describe, expect, it } from 'vitest';
import { connectorPath, type DeleteLevel, deletePath } from './update-url.js';

describe('connectorPath', () => {
  it.each([
    [['FiEntries'], '/connectors/FiEntries'],
    [['KnPerson', 'KnBasicAddressAdr'], '/connectors/KnPerson/KnBasicAddressAdr'],
  ] as const)('%j', (args, path) => {
    expect(connectorPath(...(args as unknown as [string, string?]))).toBe(path);
  });

  it('rejects a connector id with a slash', () => {
    expect(() => connectorPath('Kn/Person')).toThrow(
      'Expected the connector id to be a name without "/", "?" or "#", got "Kn/Person".',
    );
  });
});

describe('deletePath', () => {
  it.for([
    {
      name: 'one key',
      connector: 'KnSubject',
      levels: [{ element: 'KnSubject', keys: { SbId: 123 } }],
      path: '/connectors/KnSubject/KnSubject/@SbId/123',
    },
    {
      name: 'two keys, comma-joined in order',
      connector: 'KnCurrencyRates',
      levels: [{ element: 'KnCurrencyRates', keys: { Cu: 'USD', '@Sn': 2 } }],
      path: '/connectors/KnCurrencyRates/KnCurrencyRates/@Cu,@Sn/USD,2',
    },
    {
      name: 'nested with mixed @ (OAS-fie)',
      connector: 'FiEntries',
      levels: [
        { element: 'FiEntryPar', keys: { UnId: 1, JoCo: '73' }, at: false },
        { element: 'FiEntries', keys: { EnNo: 70001 } },
      ],
      path: '/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,73/FiEntries/@EnNo/70001',
    },
    {
      name: 'values are percent-encoded',
      connector: 'KnSubject',
      levels: [{ element: 'KnSubject', keys: { Code: 'a b/é' } }],
      path: '/connectors/KnSubject/KnSubject/@Code/a%20b%2F%C3%A9',
    },
  ])('$name', ({ connector, levels, path }) => {
    expect(deletePath(connector, levels as DeleteLevel[])).toBe(path);
  });

  it.each([
    [[], 'Expected at least one element level for a DELETE, got none.'],
    [[{ element: 'X', keys: {} }], 'Expected key fields for element X of the DELETE, got none.'],
    [
      [{ element: 'X', keys: { A: 'a,b' } }],
      'Expected the DELETE key A to be non-empty and without ",", got "a,b".',
    ],
  ])('rejects %j', (levels, message) => {
    expect(() => deletePath('X', levels)).toThrow(message);
  });
});
