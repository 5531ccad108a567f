import { describe, expect, it } from 'vitest';
import { parseUpdateResults } from './update-results.js';

describe('parseUpdateResults', () => {
  it.each([
    ['empty body', '', null],
    ['whitespace body', ' \r\n', null],
    [
      'results wrapper',
      '{"results":{"FiEntryPar":{"UnId":"4","EnNo":"54605"}}}',
      { FiEntryPar: { UnId: '4', EnNo: '54605' } },
    ],
    [
      'missing wrapper',
      '{"KnSalesRelationOrg":{"DbId":"49339","BcCo":"100172"}}',
      { KnSalesRelationOrg: { DbId: '49339', BcCo: '100172' } },
    ],
    [
      'numbers become strings',
      '{"results":{"KnSubject":{"SbId":999999,"X":null}}}',
      { KnSubject: { SbId: '999999', X: '' } },
    ],
    ['results null', '{"results":null}', null],
    ['results empty', '{"results":{}}', null],
    ['JSON null', 'null', null],
  ])('%s', (_name, text, expected) => {
    expect(parseUpdateResults(text)).toEqual(expected);
  });

  it('throws on non-JSON', () => {
    expect(() => parseUpdateResults('<html>')).toThrow(
      'Expected a JSON body (or none) from the UpdateConnector, got 6 characters of non-JSON.',
    );
  });
});
