import { describe, expect, it } from 'vitest';
import { createUpdateEngine } from '../src/update/index.js';
import type { UpdateObjectMeta } from '../src/update-engine.js';

const engine = createUpdateEngine();

const object = (meta: UpdateObjectMeta, ...path: string[]): UpdateObjectMeta => {
  let current = meta;
  for (const name of path) {
    const next = current.objects.find((candidate) => candidate.name === name);
    if (!next) throw new Error(`no object ${name} under ${current.name}`);
    current = next;
  }
  return current;
};
const field = (meta: UpdateObjectMeta, id: string) =>
  meta.fields.find((candidate) => candidate.fieldId === id);

describe('update metainfo', () => {
  it('lists every catalogued connector, the plug-ins among them', () => {
    const ids = engine.connectors().map((connector) => connector.id);
    expect(ids).toHaveLength(169);
    expect(ids).toEqual([...ids].sort());
    for (const id of [
      'KnPerson',
      'KnOrganisation',
      'KnSalesRelationOrg',
      'KnPurchaseRelationOrg',
      'KnSubject',
      'FiEntries',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('uses the exact key spellings and order of reference §2.3', () => {
    const meta = engine.metainfo('FiEntries', 'nl-nl');
    expect(meta && Object.keys(meta)).toEqual(['id', 'description', 'name', 'fields', 'objects']);
    expect(meta?.name).toBe('FiEntryPar');
    expect(meta?.fields[0]).toEqual({
      fieldId: 'Year',
      // Reference §2.3: Year is sent in Fields (primaryKey false), although AFAS's DELETE path
      // /connectors/FiEntries/FiEntryPar/@Year/{Year} names it as that path's key.
      primaryKey: false,
      dataType: 'int',
      label: 'Boekjaar',
      mandatory: true,
      // AFAS publishes no length for integers.
      length: 0,
      decimals: 0,
      decimalFieldId: '',
      notzero: false,
      controlType: 1,
      values: null,
    });
    const lines = object(meta as UpdateObjectMeta, 'FiEntries');
    expect(Object.keys(lines)).toEqual(['name', 'fields', 'objects']);
    expect(field(lines, 'VaAs')?.values).toEqual([
      { id: '1', description: 'Grootboekrekening' },
      { id: '2', description: 'Debiteur' },
      { id: '3', description: 'Crediteur' },
    ]);
    expect(field(lines, 'EnNo')?.primaryKey).toBe(true);
    expect(field(lines, 'AmDe')).toMatchObject({ dataType: 'decimal', decimals: 2 });
    expect(field(lines, 'Rate')?.notzero).toBe(true);
    expect(lines.objects.map((sub) => sub.name)).toEqual(['FiDimEntries', 'FiPrjEntries', 'FiTransEntries']);
  });

  it('nests KnContact -> KnPerson under KnOrganisation and KnOrganisation under KnSalesRelationOrg', () => {
    const org = engine.metainfo('KnOrganisation', 'en-us') as UpdateObjectMeta;
    expect(org.objects.map((sub) => sub.name)).toEqual([
      'KnBankAccount',
      'KnBasicAddressAdr',
      'KnBasicAddressPad',
      'KnContact',
    ]);
    expect(field(object(org, 'KnContact', 'KnPerson'), 'LaNm')?.label).toBe('Last name');
    const sales = engine.metainfo('KnSalesRelationOrg', 'nl-nl') as UpdateObjectMeta;
    expect(field(sales, 'DbId')).toMatchObject({ primaryKey: true, label: 'Nummer debiteur' });
    expect(object(sales, 'KnOrganisation').name).toBe('KnOrganisation');
    const subject = engine.metainfo('KnSubject', 'nl-nl') as UpdateObjectMeta;
    expect(field(subject, 'SbId')?.primaryKey).toBe(true);
    expect(field(object(subject, 'KnSubjectAttachment'), 'FileStream')?.dataType).toBe('blob');
  });

  it.each([
    // AFAS's code list (one for every language; its English spec keeps the Dutch meanings).
    ['nl-nl', 'Geslacht', ['M', 'O', 'V', 'X'], ['Man', 'Onbekend', 'Vrouw', 'Non-binair']],
    ['nl-be', 'Geslacht', ['M', 'O', 'V', 'X'], ['Man', 'Onbekend', 'Vrouw', 'Non-binair']],
    ['en-us', 'Gender', ['M', 'O', 'V', 'X'], ['Man', 'Onbekend', 'Vrouw', 'Non-binair']],
    ['fr-fr', 'Sexe', ['M', 'O', 'V', 'X'], ['Man', 'Onbekend', 'Vrouw', 'Non-binair']],
    ['de-de', 'Gender', ['M', 'O', 'V', 'X'], ['Man', 'Onbekend', 'Vrouw', 'Non-binair']],
  ] as const)('localises labels and gender codes in %s', (language, label, ids, descriptions) => {
    const gender = field(engine.metainfo('KnPerson', language) as UpdateObjectMeta, 'ViGe');
    expect(gender?.label).toBe(label);
    expect(gender?.values?.map((value) => value.id)).toEqual(ids);
    expect(gender?.values?.map((value) => value.description)).toEqual(descriptions);
  });

  it('describes connectors per language and answers undefined for an unknown one', () => {
    expect(engine.metainfo('FiEntries', 'en-us')?.description).toBe('Financial entry');
    expect(engine.metainfo('FiEntries', 'fr-fr')?.description).toBe('Écriture financière');
    expect(engine.metainfo('KnPerson', 'nl-nl')?.description).toBe('Persoon');
    expect(engine.metainfo('PtRealisation', 'nl-nl')).toBeUndefined();
  });
});
