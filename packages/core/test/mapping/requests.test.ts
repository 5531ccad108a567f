import { describe, expect, it } from 'vitest';
import { ColumnMissingError } from '../../src/job/errors.js';
import { buildRequest } from '../../src/plan/build-request.js';
import { mapRecords } from '../../src/plan/map-records.js';
import { planJob } from '../../src/plan/plan-job.js';
import { compileText, fieldsOf, jobText, mapAll, rec, rejectOf } from './helpers.js';
import { recordedMetainfo } from './recorded-metainfo.js';

const subject = (method: string, fields: string, extra = '') =>
  compileText(
    jobText(`  update_connector: KnSubject\n  method: ${method}\n${extra}  element:\n    fields:\n${fields}`),
    recordedMetainfo('KnSubject', 'nl-nl'),
  );

const documentsOf = async (job: ReturnType<typeof subject>, records: ReturnType<typeof rec>[]) =>
  (await mapAll(job, records)).map((item) => {
    if (!('document' in item)) throw new Error(item.reject.message);
    return item.document;
  });

describe('payload shape from metainfo', () => {
  it('primary keys become @attributes, the rest goes into Fields, the root comes from metainfo', async () => {
    const job = subject('update', '      SbId: { column: id, type: int }\n      Ds: text');
    const documents = await documentsOf(job, [rec({ id: '123', text: 'Nieuw' }, 2)]);
    expect(buildRequest(job, documents)).toEqual({
      method: 'PUT',
      path: '/connectors/KnSubject',
      body: { KnSubject: { Element: { '@SbId': 123, Fields: { Ds: 'Nieuw' } } } },
    });
  });

  it('several documents go into one Element array', async () => {
    const job = subject('update', '      SbId: id\n      Ds: text');
    const documents = await documentsOf(job, [
      rec({ id: '1', text: 'a' }, 2),
      rec({ id: '2', text: 'b' }, 3),
    ]);
    expect(buildRequest(job, documents).body).toEqual({
      KnSubject: {
        Element: [
          { '@SbId': 1, Fields: { Ds: 'a' } },
          { '@SbId': 2, Fields: { Ds: 'b' } },
        ],
      },
    });
  });

  it('delete puts the keys in the URL and sends no body', async () => {
    const job = subject('delete', '      SbId: id');
    const documents = await documentsOf(job, [rec({ id: '123' }, 2)]);
    expect(buildRequest(job, documents)).toEqual({
      method: 'DELETE',
      path: '/connectors/KnSubject/KnSubject/@SbId/123',
    });
  });

  it('insert_sub posts to /connectors/{connector}/{sub_object} with @Action where the job asks for it', async () => {
    const job = subject(
      'insert_sub',
      '      SbId: id\n    objects:\n      KnSubjectLink:\n        action: insert\n        fields: { ToBC: { const: true } }',
      '  sub_object: KnSubjectLink\n',
    );
    const documents = await documentsOf(job, [rec({ id: '5' }, 2)]);
    const request = buildRequest(job, documents);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/connectors/KnSubject/KnSubjectLink');
    expect(request.body).toEqual({
      KnSubject: {
        Element: {
          '@SbId': 5,
          Objects: { KnSubjectLink: { Element: { Fields: { ToBC: true, '@Action': 'insert' } } } },
        },
      },
    });
  });
});

describe('pre-validation against metainfo', () => {
  const fi = (fields: string) =>
    compileText(
      jobText(`  update_connector: FiEntries
  element:
    fields: { Year: 2024, Peri: 1, JoCo: { const: "20" } }
    objects:
      FiEntries:
        fields:
          VaAs: { const: "1" }
          AcNr: account
          EnDa: { const: "2024-01-02" }
          BpDa: { const: "2024-01-02" }
${fields}`),
      recordedMetainfo('FiEntries', 'nl-nl'),
    );
  const lineFields = (item: Awaited<ReturnType<typeof mapAll>>[number] | undefined) => {
    if (!item || !('document' in item)) throw new Error(JSON.stringify(item));
    return (
      item.document.element as { Objects: { FiEntries: { Element: { Fields: Record<string, unknown> } } } }
    ).Objects.FiEntries.Element.Fields;
  };

  it('infers types from metainfo: ints, exact decimals, ISO dates', async () => {
    const job = fi('          AmDe: debit\n          DaEx: due');
    const [item] = await mapAll(job, [
      rec({ id: '1', account: '4000', debit: '12.50', due: '2024-02-01' }, 2),
    ]);
    expect(fieldsOf(item)).toEqual({ Year: 2024, Peri: 1, JoCo: '20' });
    expect(lineFields(item)).toEqual({
      VaAs: '1',
      AcNr: '4000',
      EnDa: '2024-01-02',
      BpDa: '2024-01-02',
      AmDe: '12.5',
      DaEx: '2024-02-01',
    });
  });

  it('rejects a value longer than the metainfo length, with the label', async () => {
    const [item] = await mapAll(fi(''), [rec({ id: 'k1', account: '12345678901234567' }, 4)]);
    expect(rejectOf(item)).toBe(
      'record k1: in.csv:4: Rekeningnummer (FiEntries.AcNr): "12345678901234567" is 17 characters, at most 16 allowed; shorten it or set on_overflow: truncate',
    );
  });

  it('rejects zero in a notzero field', async () => {
    const [item] = await mapAll(fi('          Rate: rate'), [
      rec({ id: 'k2', account: '4000', rate: '0.000' }, 5),
    ]);
    expect(rejectOf(item)).toBe('record k2: in.csv:5: Koers (FiEntries.Rate) must not be 0');
  });

  it('rejects more decimals than metainfo allows', async () => {
    const [item] = await mapAll(fi('          AmDe: debit'), [
      rec({ id: 'k3', account: '4000', debit: '1.005' }, 6),
    ]);
    expect(rejectOf(item)).toBe(
      'record k3: in.csv:6: Bedrag debet (FiEntries.AmDe): 1.005 has 3 decimals, at most 2 allowed',
    );
  });

  it('rejects an empty mandatory field on insert', async () => {
    const [item] = await mapAll(fi(''), [rec({ id: 'k4', account: ' ' }, 7)]);
    expect(rejectOf(item)).toBe('record k4: in.csv:7: Rekeningnummer (FiEntries.AcNr) is required but empty');
  });

  it('rejects a record whose key template is empty', async () => {
    const [item] = await mapAll(fi(''), [rec({ id: '', account: '4000' }, 8)]);
    expect(rejectOf(item)).toBe('in.csv:8: the key template `{id}` gives an empty key');
  });
});

describe('streaming helpers', () => {
  it('checks the columns of the first CSV record and names where the job uses a missing one', async () => {
    const job = subject('update', '      SbId: id\n      Ds: descripton');
    const run = async () => {
      for await (const _ of mapRecords(job, [rec({ id: '1', description: 'x' }, 2)], {
        checkColumns: true,
      })) {
        // drain
      }
    };
    await expect(run()).rejects.toThrow(ColumnMissingError);
    await expect(run()).rejects.toThrow(
      '/jobs/test.yaml:12:11: column `descripton` is not in in.csv; did you mean `description`?',
    );
  });

  it('planJob yields requests and rejects in input order and honours the limit', async () => {
    const job = subject('update', '      SbId: { column: id, type: int }\n      Ds: text');
    const entries = [];
    for await (const entry of planJob(
      job,
      [rec({ id: '1', text: 'a' }, 2), rec({ id: 'x', text: 'b' }, 3), rec({ id: '3', text: 'c' }, 4)],
      { limit: 2 },
    )) {
      entries.push(
        'reject' in entry
          ? `reject ${entry.reject.message}`
          : `${entry.request.method} ${entry.keys.join(',')}`,
      );
    }
    expect(entries).toEqual([
      'PUT 1',
      'reject record x: in.csv:3: Dossieritem (KnSubject.SbId): expected a whole number, got "x"',
    ]);
  });
});
