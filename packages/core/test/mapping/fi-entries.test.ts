import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/plan/build-request.js';
import { compileText, jobText, mapAll, rec, rejectOf } from './helpers.js';
import { recordedMetainfo } from './recorded-metainfo.js';

const target = `  update_connector: FiEntries
  group_by: entry
  element:
    fields: { Year: year, Peri: period, UnId: 1, JoCo: journal }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: kind
          AcNr: account
          EnDa: { column: date, date: dd-MM-yyyy }
          BpDa: { column: date, date: dd-MM-yyyy }
          AmDe: debit
          AmCr: credit
  checks: [balanced]`;

const compiled = () =>
  compileText(jobText(target, { decimal: ',', key: '{entry}' }), recordedMetainfo('FiEntries', 'nl-nl'));

const line = (entry: string, n: number, kind: string, account: string, debit: string, credit: string) =>
  rec(
    { entry, year: '2024', period: '1', journal: '20', kind, account, date: '02-01-2024', debit, credit },
    n,
    'entries.csv',
  );

describe('FiEntries documents', () => {
  it('groups contiguous rows into one entry: header from the first row, one line per row', async () => {
    const job = compiled();
    const items = await mapAll(job, [
      line('1001', 2, '2', '10001', '1.210,00', ''),
      line('1001', 3, '1', '8010', '', '1.000,00'),
      line('1001', 4, '1', '1510', '', '210,00'),
      line('1002', 5, '1', '4000', '10,5', ''),
      line('1002', 6, '1', '1100', '', '10,50'),
    ]);
    expect(items.map((item) => ('document' in item ? item.document.key : item.reject.message))).toEqual([
      '1001',
      '1002',
    ]);
    const first = items[0];
    if (!first || !('document' in first)) throw new Error('expected a document');
    expect(first.document.records.map((r) => r.origin.line)).toEqual([2, 3, 4]);
    expect(buildRequest(job, [first.document])).toEqual({
      method: 'POST',
      path: '/connectors/FiEntries',
      body: {
        FiEntryPar: {
          Element: {
            Fields: { Year: 2024, Peri: 1, UnId: 1, JoCo: '20' },
            Objects: {
              FiEntries: {
                Element: [
                  {
                    Fields: {
                      VaAs: '2',
                      AcNr: '10001',
                      EnDa: '2024-01-02',
                      BpDa: '2024-01-02',
                      AmDe: '1210',
                    },
                  },
                  {
                    Fields: { VaAs: '1', AcNr: '8010', EnDa: '2024-01-02', BpDa: '2024-01-02', AmCr: '1000' },
                  },
                  {
                    Fields: { VaAs: '1', AcNr: '1510', EnDa: '2024-01-02', BpDa: '2024-01-02', AmCr: '210' },
                  },
                ],
              },
            },
          },
        },
      },
    });
  });

  it('rejects an unbalanced entry with the exact difference', async () => {
    const items = await mapAll(compiled(), [
      line('1003', 8, '1', '4000', '1.500,00', ''),
      line('1003', 9, '1', '1100', '', '1.499,99'),
    ]);
    expect(rejectOf(items[0])).toBe(
      'record 1003 (entries.csv:8-9): entry is not balanced: debit 1500.00 != credit 1499.99 (difference 0.01); debit and credit must be equal',
    );
  });

  it('sums exactly: 0,1 + 0,2 balances 0,3 and a difference of 0,000001 is caught', async () => {
    const metainfo = structuredClone(recordedMetainfo('FiEntries', 'nl-nl'));
    for (const field of metainfo.objects[0]?.fields ?? [])
      if (field.dataType === 'decimal') field.decimals = 6;
    const job = compileText(jobText(target, { decimal: ',', key: '{entry}' }), metainfo);
    const items = await mapAll(job, [
      line('1', 2, '1', '4000', '0,1', ''),
      line('1', 3, '1', '4000', '0,2', ''),
      line('1', 4, '1', '1100', '', '0,3'),
      line('2', 5, '1', '4000', '0,1', ''),
      line('2', 6, '1', '4000', '0,2', ''),
      line('2', 7, '1', '1100', '', '0,300001'),
    ]);
    expect('document' in (items[0] ?? {})).toBe(true);
    expect(rejectOf(items[1])).toBe(
      'record 2 (entries.csv:5-7): entry is not balanced: debit 0.300000 != credit 0.300001 (difference -0.000001); debit and credit must be equal',
    );
  });

  it('rejects a group key that reappears later, naming both lines', async () => {
    const items = await mapAll(compiled(), [
      line('1001', 2, '1', '4000', '5', ''),
      line('1001', 3, '1', '1100', '', '5'),
      line('1002', 4, '1', '4000', '7', ''),
      line('1002', 5, '1', '1100', '', '7'),
      line('1001', 6, '1', '4000', '1', ''),
      line('1001', 7, '1', '1100', '', '1'),
    ]);
    expect(items.map((item) => ('document' in item ? item.document.key : 'reject'))).toEqual([
      '1001',
      '1002',
      'reject',
    ]);
    expect(rejectOf(items[2])).toBe(
      'record 1001: group entry = 1001 reappears at entries.csv:6-7 after its rows at line 2 ended; sort the input by entry so the rows of one document are contiguous',
    );
  });

  it('rejects the whole entry when one line has a bad value, naming the line and the label', async () => {
    const items = await mapAll(compiled(), [
      line('1004', 10, '9', '4000', '10', ''),
      line('1004', 11, '1', '1100', '', '10,001'),
    ]);
    expect(rejectOf(items[0])).toBe(
      'record 1004: entries.csv:10: Kenmerk rekening (FiEntries.VaAs): "9" is not an allowed value; allowed: 1 (Grootboekrekening), 2 (Debiteur), 3 (Crediteur); entries.csv:11: Bedrag credit (FiEntries.AmCr): 10.001 has 3 decimals, at most 2 allowed',
    );
  });
});
