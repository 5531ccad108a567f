import { describe, expect, it } from 'vitest';
import type { Language, Texts } from '../src/language.js';
import { bench, faultOf } from './helpers/engine.js';

const person = (fields: Record<string, unknown>, objects?: Record<string, unknown>) => ({
  KnPerson: {
    Element: {
      Fields: { AutoNum: true, LaNm: 'Smit', ViGe: 'V', ...fields },
      ...(objects ? { Objects: objects } : {}),
    },
  },
});
const address = (fields: Record<string, unknown>) => ({
  KnBasicAddressAdr: {
    Element: { Fields: { Ad: 'Dorpsstraat', HmNr: 1, Rs: 'Ede', CoId: 'NL', ...fields } },
  },
});

describe('field validation (KnPerson)', () => {
  it.each<[string, unknown, Texts]>([
    [
      'a missing mandatory field on insert',
      person({ LaNm: undefined }),
      {
        nl: "Vul een waarde in bij 'Achternaam'.",
        en: "Enter a value for 'Last name'.",
        fr: "Saisissez une valeur pour 'Nom'.",
      },
    ],
    [
      'an empty mandatory field on insert',
      person({ LaNm: '' }),
      {
        nl: "Vul een waarde in bij 'Achternaam'.",
        en: "Enter a value for 'Last name'.",
        fr: "Saisissez une valeur pour 'Nom'.",
      },
    ],
    [
      'a missing gender',
      person({ ViGe: null }),
      {
        nl: 'General message: Bij een persoon is het geslacht verplicht.',
        en: 'General message: Gender is mandatory for a person.',
      },
    ],
    [
      'an unknown code (AFAS lists M, O, V and X = non-binary)',
      person({ ViGe: 'Q' }),
      {
        nl: "De ingevulde waarde bij 'Geslacht' bestaat niet.",
        en: "The entered value for 'Gender' does not exist.",
        fr: "La valeur saisie pour 'Sexe' n'existe pas.",
      },
    ],
    [
      'an unknown country in an address',
      person({}, address({ CoId: 'XX' })),
      {
        nl: "De ingevulde waarde bij 'Land' bestaat niet.",
        en: "The entered value for 'Country' does not exist.",
        fr: "La valeur saisie pour 'Pays' n'existe pas.",
      },
    ],
    [
      'a missing country in an address',
      person({}, address({ CoId: undefined })),
      {
        nl: "Vul een waarde in bij 'Land'.",
        en: "Enter a value for 'Country'.",
        fr: "Saisissez une valeur pour 'Pays'.",
      },
    ],
    [
      'a string one character too long',
      person({ SeNm: 'ABCDEFGHIJK' }),
      {
        nl: "General message: De waarde bij 'Zoeknaam' is te lang (maximaal 10 tekens).",
        en: "General message: The value for 'Search name' is too long (at most 10 characters).",
      },
    ],
    [
      'a non-integer',
      person({}, address({ HmNr: '12a' })),
      {
        nl: "General message: De waarde '12a' bij 'Huisnummer' is geen geldige geheel getal.",
        en: "General message: The value '12a' for 'House number' is not a valid integer.",
      },
    ],
    [
      'a boolean that is not one',
      person({ AutoNum: 'yes' }),
      {
        nl: "General message: De waarde 'yes' bij 'Autonummering' is geen geldige ja/nee-waarde.",
        // AFAS's English spec labels AutoNum in Dutch too.
        en: "General message: The value 'yes' for 'Autonummering' is not a valid boolean.",
      },
    ],
    [
      'a date with a Z',
      person({ DaBi: '1967-04-07T00:00:00Z' }),
      {
        nl: "General message: De waarde '1967-04-07T00:00:00Z' bij 'Geboortedatum' is geen geldige datum.",
        en: "General message: The value '1967-04-07T00:00:00Z' for 'Date of birth' is not a valid date.",
      },
    ],
    [
      'an impossible date',
      person({ DaBi: '2023-02-29' }),
      {
        nl: "General message: De waarde '2023-02-29' bij 'Geboortedatum' is geen geldige datum.",
        en: "General message: The value '2023-02-29' for 'Date of birth' is not a valid date.",
      },
    ],
    [
      'a date in another format',
      person({ DaBi: '07-04-1967' }),
      {
        nl: "General message: De waarde '07-04-1967' bij 'Geboortedatum' is geen geldige datum.",
        en: "General message: The value '07-04-1967' for 'Date of birth' is not a valid date.",
      },
    ],
    [
      'an object as a value',
      person({ FiNm: { first: 'Jan' } }),
      {
        nl: 'General message: De waarde \'{"first":"Jan"}\' bij \'Voornaam\' is geen geldige tekst.',
        en: 'General message: The value \'{"first":"Jan"}\' for \'First name\' is not a valid text.',
      },
    ],
    [
      'an unknown field',
      person({ Shoe: 42 }),
      {
        nl: "General message: Het veld 'Shoe' bestaat niet in het object 'KnPerson'.",
        en: "General message: The field 'Shoe' does not exist in the object 'KnPerson'.",
        fr: "General message: Le champ 'Shoe' n'existe pas dans l'objet 'KnPerson'.",
      },
    ],
    [
      'an unknown sub-object',
      person({}, { KnSubjectLink: { Element: {} } }),
      {
        nl: "General message: Het object 'KnSubjectLink' bestaat niet in het object 'KnPerson'.",
        en: "General message: The object 'KnSubjectLink' does not exist in the object 'KnPerson'.",
      },
    ],
    [
      'two bank accounts',
      person(
        {},
        {
          KnBankAccount: {
            Element: [{ Fields: { CoId: 'NL', BaAc: '1' } }, { Fields: { CoId: 'NL', BaAc: '2' } }],
          },
        },
      ),
      {
        nl: "General message: Het object 'KnBankAccount' accepteert maar 1 regel per aanroep.",
        en: "General message: The object 'KnBankAccount' accepts only 1 line per call.",
      },
    ],
    [
      'an incomplete address',
      person({}, address({ Ad: undefined })),
      {
        nl: 'General message: Een onvolledig adres mag niet geïmporteerd worden.',
        en: 'General message: An incomplete address may not be imported.',
      },
    ],
    [
      'a PO box with a house number addition',
      person({}, address({ PbAd: true, HmAd: 'A' })),
      {
        nl: "General message: Als het veld 'Postbusadres' is aangevinkt, mag 'Toevoeging aan huisnummer' niet ingevuld zijn.",
        en: "General message: If the field 'PO box address' is checked, 'House number addition' must not be filled.",
      },
    ],
    [
      'a BSN failing the 11-test',
      person({ SoSe: '123456780' }),
      { nl: 'Het nummer voldoet niet aan de 11-proef', en: "The number didn't pass the mod 11 check" },
    ],
  ])('rejects %s', (_case, body, texts) => {
    const { db, exec } = bench();
    expect(faultOf(() => exec('KnPerson', 'POST', body)).texts).toEqual(texts);
    expect(db.rows('persons')).toEqual([]);
    expect(db.journal()).toEqual([]);
  });

  it('counts length in characters, not bytes', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ SeNm: 'ÉÉÉÉÉÉÉÉÉ😀' }));
    expect(db.rows('persons')[0]?.SearchName).toBe('ÉÉÉÉÉÉÉÉÉ😀');
  });

  it('accepts a BSN that passes the 11-test', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ SoSe: '111222333' }));
    expect(db.rows('persons')[0]?.SocialSecurityNumber).toBe('111222333');
  });

  it('uses the configured text for a second line of a one-line sub-object', () => {
    const { exec } = bench({ singleLineError: { nl: 'Te veel {object}', en: 'Too many {object}' } });
    const body = person(
      {},
      {
        KnBasicAddressAdr: {
          Element: [address({}).KnBasicAddressAdr.Element, address({}).KnBasicAddressAdr.Element],
        },
      },
    );
    expect(faultOf(() => exec('KnPerson', 'POST', body)).texts).toEqual({
      nl: 'Te veel KnBasicAddressAdr',
      en: 'Too many KnBasicAddressAdr',
    });
  });

  it('uses errorNumber -2147220469 for a value that does not exist', () => {
    expect(faultOf(() => bench().exec('KnPerson', 'POST', person({ ViGe: 'Q' }))).errorNumber).toBe(
      -2147220469,
    );
  });

  it('does not require mandatory fields on update', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ AutoNum: false, BcCo: 'P1' }));
    expect(
      exec('KnPerson', 'PUT', {
        KnPerson: { Element: { Fields: { MatchPer: '0', BcCo: 'P1', FiNm: 'Els' } } },
      }),
    ).toEqual({ status: 200 });
    expect(db.rows('persons')).toMatchObject([
      { BcCo: 'P1', FirstName: 'Els', LastName: 'Smit', Gender: 'V' },
    ]);
  });
});

describe('codes per language', () => {
  it.each<[Language, string, string]>([
    ['nl-nl', 'V', 'V'],
    ['nl-be', 'O', 'O'],
    ['en-us', 'M', 'M'],
    ['en-us', 'X', 'X'],
    // AFAS publishes one code list for every language: no French H/F/I codes.
    ['fr-fr', 'V', 'V'],
    ['fr-fr', 'O', 'O'],
    ['de-de', 'V', 'V'],
  ])('%s accepts gender %s and stores %s', (language, sent, stored) => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ ViGe: sent }), { language });
    expect(db.rows('persons')[0]?.Gender).toBe(stored);
  });

  it.each<[Language, string]>([
    ['fr-fr', 'F'],
    ['fr-fr', 'H'],
    ['nl-nl', 'H'],
    ['en-us', 'F'],
  ])('%s rejects gender %s', (language, sent) => {
    expect(
      faultOf(() => bench().exec('KnPerson', 'POST', person({ ViGe: sent }), { language })).localized(
        language,
      ),
    ).toBe(
      {
        'nl-nl': "De ingevulde waarde bij 'Geslacht' bestaat niet.",
        'en-us': "The entered value for 'Gender' does not exist.",
        'fr-fr': "La valeur saisie pour 'Sexe' n'existe pas.",
      }[language as 'nl-nl' | 'en-us' | 'fr-fr'],
    );
  });
});
