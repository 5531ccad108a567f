import { describe, expect, it } from 'vitest';
import { resultsPerDocument } from './afas-sink.js';

describe('resultsPerDocument', () => {
  it('gives a single element the root keys as strings', () => {
    expect(
      resultsPerDocument('{"results":{"FiEntryPar":{"UnId":1,"EnNo":"70001"}}}', 'FiEntryPar', 1),
    ).toEqual([{ UnId: '1', EnNo: '70001' }]);
  });
  it('maps an array answer onto the batch in order', () => {
    const text = '{"results":{"KnPerson":[{"BcCo":"1"},{"BcCo":"2"}]}}';
    expect(resultsPerDocument(text, 'KnPerson', 2)).toEqual([{ BcCo: '1' }, { BcCo: '2' }]);
  });
  it('gives no keys when the answer cannot be matched to the documents', () => {
    expect(resultsPerDocument('', 'KnPerson', 1)).toEqual([{}]);
    expect(resultsPerDocument('{"results":{"KnPerson":{"BcCo":"9"}}}', 'KnPerson', 2)).toEqual([{}, {}]);
    expect(resultsPerDocument('not json', 'KnPerson', 1)).toEqual([{}]);
  });
});
