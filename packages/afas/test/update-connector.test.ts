import type { Simulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AfasClient, classify, type ElementSpec, ProfitError, where } from '../src/index.js';
import { clientFor, salesEntry, withSim } from './helpers.js';

let sim: Simulator;
let client: AfasClient;

beforeAll(async () => {
  sim = await withSim();
  client = clientFor(sim);
});
beforeEach(() => sim.control.reset());
afterAll(() => sim.close());

describe('insert', () => {
  it('posts FiEntries under the FiEntryPar root and returns the generated keys', async () => {
    const results = await client.insert('FiEntries', { element: salesEntry() });
    expect(Object.keys(results ?? {})).toEqual(['FiEntryPar']);
    const keys = results!.FiEntryPar!;
    expect(keys.UnId).toBe('1');
    expect(keys.EnNo).toMatch(/^\d+$/);
    const journal = sim.control.journal({ connector: 'FiEntries', table: 'entries' });
    expect(journal.map((e) => [e.method, e.action, e.row.EntryNo])).toEqual([
      ['POST', 'insert', Number(keys.EnNo)],
      ['POST', 'insert', Number(keys.EnNo)],
      ['POST', 'insert', Number(keys.EnNo)],
    ]);
    const back = await client.get('Profit_Fin_Entries', {
      filter: where('EntryNo', 'eq', keys.EnNo!),
      orderBy: 'LineNo',
    });
    expect(back.rows.map((r) => r.AccountNo)).toEqual(['10004', '8010', '1510']);
  });

  it('sends several elements as one array in one request', async () => {
    const results = await client.insert('KnSubject', {
      element: [{ fields: { StId: 1, Ds: 'Een' } }, { fields: { StId: 1, Ds: 'Twee' } }],
    });
    expect(Object.keys(results ?? {})).toEqual(['KnSubject']);
    expect(
      sim.control.journal({ connector: 'KnSubject', table: 'subjects' }).map((e) => e.row.Description),
    ).toEqual(['Een', 'Twee']);
    expect(
      sim.control
        .stats()
        .requests.filter((r) => r.connector === 'KnSubject' && r.method === 'POST')
        .map((r) => r.count),
    ).toEqual([1]);
  });

  it('accepts a ready-made body', async () => {
    const results = await client.insert('KnSubject', {
      body: { KnSubject: { Element: { Fields: { StId: 1, Ds: 'Ready body' } } } },
    });
    expect(results?.KnSubject?.SbId).toMatch(/^\d+$/);
  });

  it('rejects a validation error with externalMessage and profitLogReference', async () => {
    const bad = salesEntry();
    (bad.objects!.FiEntries as ElementSpec[])[1]!.fields!.AcNr = '0000';
    const error = await client.insert('FiEntries', { element: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    const profit = error as ProfitError;
    expect(profit.status).toBe(500);
    expect(profit.method).toBe('POST');
    expect(profit.url).toBe(`${sim.baseUrl()}/connectors/FiEntries`);
    expect(profit.externalMessage).toMatch(/bestaat niet/);
    expect(profit.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
    expect(profit.headerMessage).toBe(profit.externalMessage);
    expect(classify(profit)).toEqual({ action: 'reject', reason: 'validation' });
    expect(sim.control.journal()).toEqual([]);
  });

  it('stops on an UpdateConnector that is not in the App Connector', async () => {
    const error = await client
      .insert('KnEmployee', { body: { AfasEmployee: { Element: { Fields: {} } } } })
      .catch((e: unknown) => e);
    expect(classify(error)).toEqual({ action: 'stop', reason: 'connector-not-authorized' });
  });
});

describe('update, insertSub and delete', () => {
  it('runs a subject through PUT, POST /KnSubject/KnSubjectAttachment and DELETE', async () => {
    const created = await client.insert('KnSubject', {
      element: { fields: { StId: 1, Ds: 'Eerste versie' } },
    });
    const sbId = Number(created!.KnSubject!.SbId);

    const updated = await client.update('KnSubject', {
      element: { keys: { SbId: sbId }, fields: { Ds: 'Tweede versie' } },
    });
    expect(updated === null || updated.KnSubject?.SbId === String(sbId)).toBe(true);
    expect(
      sim.control
        .db()
        .rows('subjects')
        .find((r) => r.SbId === sbId)?.Description,
    ).toBe('Tweede versie');

    await client.insertSub('KnSubject', 'KnSubjectAttachment', {
      element: {
        keys: { SbId: sbId },
        objects: {
          KnSubjectAttachment: {
            fields: { FileName: 'notitie.txt', FileStream: Buffer.from('hallo').toString('base64') },
          },
        },
      },
    });
    const attachment = sim.control
      .db()
      .rows('subject_attachments')
      .find((r) => r.SbId === sbId);
    expect(attachment?.FileName).toBe('notitie.txt');
    const file = await client.subjectFile(sbId, String(attachment?.FileId));
    expect(file.data.toString()).toBe('hallo');

    expect(await client.delete('KnSubject', { SbId: sbId })).toBeNull();
    expect(
      sim.control
        .db()
        .rows('subjects')
        .some((r) => r.SbId === sbId),
    ).toBe(false);
    expect(
      sim.control.journal({ connector: 'KnSubject', table: 'subjects' }).map((e) => [e.method, e.action]),
    ).toEqual([
      ['POST', 'insert'],
      ['PUT', 'update'],
      ['DELETE', 'delete'],
    ]);
  });

  it('deletes a journal entry with the nested URL form', async () => {
    const created = await client.insert('FiEntries', { element: salesEntry() });
    const enNo = created!.FiEntryPar!.EnNo!;
    await client.delete(
      'FiEntries',
      { UnId: 1, JoCo: '20' },
      { at: false, nested: [{ element: 'FiEntries', keys: { EnNo: enNo } }] },
    );
    const left = await client.get('Profit_Fin_Entries', { filter: where('EntryNo', 'eq', enNo) });
    expect(left.rows).toEqual([]);
  });

  it('classifies deleting a record that does not exist as a rejection', async () => {
    const error = await client.delete('KnSubject', { SbId: 987654 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect(classify(error).action).toBe('reject');
  });
});
