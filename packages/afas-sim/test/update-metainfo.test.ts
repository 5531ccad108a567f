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
  it('lists the connectors with their descriptions', () => {
    expect(engine.connectors().map((connector) => connector.id)).toEqual([
      'KnPerson',
      'KnOrganisation',
      'KnSalesRelationOrg',
      'KnPurchaseRelationOrg',
      'KnSubject',
      'FiEntries',
    ]);
  });

  it('uses the exact key spellings and order of reference §2.3', () => {
    const meta = engine.metainfo('FiEntries', 'nl-nl');
    expect(meta && Object.keys(meta)).toEqual(['id', 'description', 'name', 'fields', 'objects']);
    expect(meta?.name).toBe('FiEntryPar');
    expect(meta?.fields[0]).toEqual({
      fieldId: 'Year',
      primaryKey: false,
      dataType: 'int',
      label: 'Boekjaar',
      mandatory: true,
      length: 4,
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
    expect(lines.objects.map((sub) => sub.name)).toEqual(['FiDimEntries', 'FiPrjEntries']);
  });

  it('nests KnContact -> KnPerson under KnOrganisation and KnOrganisation under KnSalesRelationOrg', () => {
    const org = engine.metainfo('KnOrganisation', 'en-us') as UpdateObjectMeta;
    expect(org.objects.map((sub) => sub.name)).toEqual([
      'KnBasicAddressAdr',
      'KnBasicAddressPad',
      'KnContact',
      'KnBankAccount',
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
    ['nl-nl', 'Geslacht', ['M', 'V', 'O'], ['Man', 'Vrouw', 'Onbekend']],
    ['nl-be', 'Geslacht', ['M', 'V', 'O'], ['Man', 'Vrouw', 'Onbekend']],
    ['en-us', 'Gender', ['M', 'V', 'O'], ['Male', 'Female', 'Unknown']],
    ['fr-fr', 'Sexe', ['H', 'F', 'I'], ['Homme', 'Femme', 'Inconnu']],
    ['de-de', 'Gender', ['M', 'V', 'O'], ['Male', 'Female', 'Unknown']],
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
