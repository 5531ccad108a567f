import { describe, expect, it } from 'vitest';
import { buildUpdateBody } from './update-payload.js';

describe('buildUpdateBody', () => {
  it('builds FiEntryPar with lines as an Element array', () => {
    expect(
      buildUpdateBody('FiEntryPar', {
        fields: { Year: 2024, Peri: 1, UnId: 1, JoCo: '20' },
        objects: {
          FiEntries: [
            { fields: { VaAs: '1', AcNr: '8010', EnDa: '2024-01-01', AmDe: 100 } },
            { fields: { VaAs: '1', AcNr: '1510', EnDa: '2024-01-01', AmCr: 100 } },
          ],
        },
      }),
    ).toEqual({
      FiEntryPar: {
        Element: {
          Fields: { Year: 2024, Peri: 1, UnId: 1, JoCo: '20' },
          Objects: {
            FiEntries: {
              Element: [
                { Fields: { VaAs: '1', AcNr: '8010', EnDa: '2024-01-01', AmDe: 100 } },
                { Fields: { VaAs: '1', AcNr: '1510', EnDa: '2024-01-01', AmCr: 100 } },
              ],
            },
          },
        },
      },
    });
  });

  it('puts keys as @attributes and the action in Fields.@Action', () => {
    expect(
      buildUpdateBody('KnSubject', {
        keys: { SbId: 1, '@Other': 'x' },
        action: 'update',
        objects: { KnSubjectAttachment: { action: 'insert', fields: { FileName: 'a.pdf' } } },
      }),
    ).toEqual({
      KnSubject: {
        Element: {
          '@SbId': 1,
          '@Other': 'x',
          Fields: { '@Action': 'update' },
          Objects: {
            KnSubjectAttachment: { Element: { Fields: { FileName: 'a.pdf', '@Action': 'insert' } } },
          },
        },
      },
    });
  });

  it('makes several elements an array and one element an object', () => {
    expect(buildUpdateBody('KnPerson', [{ fields: { A: 1 } }, { fields: { A: 2 } }])).toEqual({
      KnPerson: { Element: [{ Fields: { A: 1 } }, { Fields: { A: 2 } }] },
    });
    expect(buildUpdateBody('KnPerson', [{ fields: { A: 1 } }])).toEqual({
      KnPerson: { Element: { Fields: { A: 1 } } },
    });
  });

  it('sends Dates as Amsterdam local time without Z, and null as null', () => {
    expect(
      buildUpdateBody('KnSubject', { fields: { Da: new Date('2024-03-21T12:42:59Z'), Ds: null } }),
    ).toEqual({
      KnSubject: { Element: { Fields: { Da: '2024-03-21T13:42:59', Ds: null } } },
    });
  });

  it.each([
    [() => buildUpdateBody('', { fields: {} }), 'Expected a root object name, got "".'],
    [() => buildUpdateBody('X', []), 'Expected at least one element at X, got an empty array.'],
    [
      () => buildUpdateBody('X', { action: 'upsert' as never }),
      'Expected the action of X to be insert, update or delete, got "upsert".',
    ],
  ])('rejects bad input %#', (build, message) => {
    expect(build).toThrow(message);
  });
});
