import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { SALES_WITH_VAT } from './helpers/bodies.js';
import { call, rows } from './helpers/http.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe('UpdateConnector through HTTP', () => {
  it('a FiEntries POST shows up in the journal and in Profit_Fin_Entries', async () => {
    const reply = await call(sim, '/connectors/FiEntries', {
      method: 'POST',
      body: JSON.stringify(SALES_WITH_VAT),
    });
    expect([reply.status, reply.json]).toEqual([
      201,
      { results: { FiEntryPar: { UnId: '1', EnNo: '70002', InId: 'IH000001' } } },
    ]);
    const journal = sim.control.journal({ connector: 'FiEntries', table: 'entries' });
    expect(journal.map((e) => [e.method, e.action, e.row.AccountNo])).toEqual([
      ['POST', 'insert', '10004'],
      ['POST', 'insert', '8010'],
      ['POST', 'insert', '1510'],
    ]);
    const lines = await rows(
      sim,
      'Profit_Fin_Entries',
      'filterfieldids=EntryNo&filtervalues=70002&operatortypes=1&orderbyfieldids=LineNo',
    );
    expect(lines.map((l) => [l.AccountNo, l.AmountDebit, l.AmountCredit, l.EntryDate])).toEqual([
      ['10004', 12100, 0, '2024-01-01T00:00:00Z'],
      ['8010', 0, 10000, '2024-01-01T00:00:00Z'],
      ['1510', 0, 2100, '2024-01-01T00:00:00Z'],
    ]);
  });

  it('an unbalanced entry is a 500 and leaves nothing behind', async () => {
    const before = sim.control.journal().length;
    const unbalanced = structuredClone(SALES_WITH_VAT);
    unbalanced.FiEntryPar.Element.Objects.FiEntries.Element[0]!.Fields.AmDe = '1';
    const reply = await call(sim, '/connectors/FiEntries', {
      method: 'POST',
      body: JSON.stringify(unbalanced),
    });
    expect(reply.status).toBe(500);
    expect(sim.control.journal()).toHaveLength(before);
  });
});
