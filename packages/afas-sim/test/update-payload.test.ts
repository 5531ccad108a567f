import { describe, expect, it } from 'vitest';
import { SALES_WITH_VAT } from './helpers/bodies.js';
import { bench, faultOf } from './helpers/engine.js';

// Verbatim body of reference §3.4.
const CREATE_PERSON = {
  KnPerson: {
    Element: {
      Fields: {
        PadAdr: '1',
        AutoNum: '1',
        MatchPer: '6',
        SeNm: 'ZOEKNAAM',
        CaNm: 'Jan',
        FiNm: 'Jan',
        In: 'J.A.',
        Is: 'van',
        LaNm: 'Jansen',
        SpNm: '0',
        ViGe: 'M',
        PsNa: 'NL',
        DaBi: '1967-04-07',
        CoBi: 'NL',
        RsBi: 'Utrecht',
        ViCs: 'GH',
        DaMa: '2002-02-02',
      },
      Objects: {
        KnBasicAddressAdr: {
          Element: {
            Fields: {
              PbAd: '0',
              Ad: 'Raadhuislaan',
              HmNr: '105',
              ZpCd: '3833LC',
              CoId: 'NL',
              Rs: 'Leusden',
              AdAd: 'A-1',
              ResZip: '0',
            },
          },
        },
      },
    },
  },
};

const CREATE_ORGANISATION = {
  KnOrganisation: {
    Element: {
      Fields: { PadAdr: '1', AutoNum: '0', MatchOga: '0', BcCo: '1000812', SeNm: 'ZOEKNAAM', Nm: 'Jansen' },
      Objects: {
        KnBankAccount: {
          Element: { Fields: { CoId: 'NL', IbCk: 'false', BaAc: '849835607', AcGa: 'false', AcCk: 'false' } },
        },
        KnBasicAddressAdr: {
          Element: {
            Fields: {
              PbAd: '0',
              Ad: 'Teststraat',
              HmNr: '105',
              ZpCd: '3833LC',
              CoId: 'NL',
              Rs: 'Leusden',
              ResZip: '0',
            },
          },
        },
        KnBasicAddressPad: {
          Element: {
            Fields: {
              PbAd: '0',
              Ad: 'Teststraat',
              HmNr: '105',
              ZpCd: '3833LC',
              CoId: 'NL',
              Rs: 'Leusden',
              ResZip: '0',
            },
          },
        },
      },
    },
  },
};

const SALES_RELATION_MINIMAL = {
  KnSalesRelationOrg: {
    Element: {
      '@DbId': '20010',
      Fields: { CuId: 'EUR', InPv: 'E' },
      Objects: {
        KnOrganisation: {
          Element: {
            Fields: { PadAdr: true, AutoNum: true, MatchOga: '6', SeNm: 'ZOEKNAAM', Nm: 'Jansen' },
            Objects: {
              KnBasicAddressAdr: {
                Element: {
                  Fields: {
                    PbAd: false,
                    Ad: 'Haarlemseweg',
                    HmNr: '105',
                    ZpCd: '3833LC',
                    CoId: 'NL',
                    Rs: 'Leusden',
                    ResZip: false,
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const SUBJECT_WITH_ATTACHMENT = {
  KnSubject: {
    Element: {
      Fields: { StId: 5, Ds: 'Invoice VK004979 [VKF]', Da: '2024-03-21T13:42:59' },
      Objects: [
        {
          KnSubjectLink: {
            Element: { Fields: { DoCRM: true, SfTp: 4, SfId: '49299', SiUn: 1, SiTp: 1, SiId: 'VK004979' } },
          },
        },
        {
          KnSubjectAttachment: {
            Element: { Fields: { FileName: 'example.png', FileStream: 'iVBORw0KGgo=' } },
          },
        },
      ],
    },
  },
};

describe('verbatim reference bodies', () => {
  it('POST KnPerson "create person" -> 201 with BcCo and BcId; person and address stored', () => {
    const { db, exec } = bench();
    expect(exec('KnPerson', 'POST', CREATE_PERSON)).toEqual({
      status: 201,
      body: { results: { KnPerson: { BcCo: '100001', BcId: '1' } } },
    });
    expect(db.rows('persons')).toEqual([
      {
        BcId: 1,
        BcCo: '100001',
        SearchName: 'ZOEKNAAM',
        Initials: 'J.A.',
        FirstName: 'Jan',
        Prefix: 'van',
        LastName: 'Jansen',
        Gender: 'M',
        BirthDate: '1967-04-07',
        Nationality: 'NL',
        SocialSecurityNumber: null,
        Email: null,
        Mobile: null,
        Phone: null,
        CreateDate: '2024-03-01T09:00:00',
        ModifiedDate: '2024-03-01T09:00:00',
      },
    ]);
    expect(db.rows('addresses')).toEqual([
      {
        AddressId: 1,
        BcId: 1,
        Kind: 'ADR',
        PoBox: false,
        Address: 'Raadhuislaan',
        Number: 105,
        NumberAdd: null,
        ZipCode: '3833LC',
        Recidence: 'Leusden',
        Country: 'NL',
        CreateDate: '2024-03-01T09:00:00',
        ModifiedDate: '2024-03-01T09:00:00',
      },
    ]);
  });

  it('POST KnOrganisation with bank account, visit and postal address', () => {
    const { db, exec } = bench();
    expect(exec('KnOrganisation', 'POST', CREATE_ORGANISATION)).toEqual({
      status: 201,
      body: { results: { KnOrganisation: { BcCo: '1000812', BcId: '1' } } },
    });
    expect(db.rows('organisations')).toMatchObject([
      { BcId: 1, BcCo: '1000812', Name: 'Jansen', SearchName: 'ZOEKNAAM' },
    ]);
    expect(db.rows('addresses').map((row) => row.Kind)).toEqual(['ADR', 'PAD']);
  });

  it('POST KnSalesRelationOrg "Minimaal" with native booleans -> DbId and BcCo', () => {
    const { db, exec } = bench();
    expect(exec('KnSalesRelationOrg', 'POST', SALES_RELATION_MINIMAL)).toEqual({
      status: 201,
      body: { results: { KnSalesRelationOrg: { DbId: '20010', BcCo: '100001' } } },
    });
    expect(db.rows('debtors').at(-1)).toMatchObject({
      DebtorId: '20010',
      DebtorName: 'Jansen',
      BcCo: '100001',
      CurrencyId: 'EUR',
      InvoiceChannel: 'E',
    });
  });

  it('POST FiEntries "sales with VAT" -> root FiEntryPar with UnId, EnNo and the generated InId', () => {
    const { db, exec } = bench();
    expect(exec('FiEntries', 'POST', SALES_WITH_VAT)).toEqual({
      status: 201,
      body: { results: { FiEntryPar: { UnId: '1', EnNo: '70001', InId: 'IH000001' } } },
    });
    expect(
      db
        .rows('entries')
        .map((row) => [row.LineNo, row.AccountNo, row.AmountDebit, row.AmountCredit, row.InvoiceId]),
    ).toEqual([
      [1, '10004', 12100, 0, 'IH000001'],
      [2, '8010', 0, 10000, null],
      [3, '1510', 0, 2100, null],
    ]);
  });

  it('POST KnSubject with link and attachment (Objects as an array) -> SbId', () => {
    const { db, exec } = bench();
    expect(exec('KnSubject', 'POST', SUBJECT_WITH_ATTACHMENT)).toEqual({
      status: 201,
      body: { results: { KnSubject: { SbId: '1' } } },
    });
    expect(db.rows('subject_attachments')).toEqual([
      {
        SbId: 1,
        FileId: '00000000000000000000000000000001',
        FileName: 'example.png',
        MimeType: 'image/png',
        Data: 'iVBORw0KGgo=',
      },
    ]);
  });
});

describe('payload forms', () => {
  const person = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    KnPerson: { Element: { Fields: { AutoNum: true, LaNm: 'Smit', ViGe: 'V', ...fields }, ...extra } },
  });

  it('accepts an Element array and answers per multiElementResults', () => {
    const body = {
      KnPerson: { Element: [person({}).KnPerson.Element, person({ LaNm: 'Bakker' }).KnPerson.Element] },
    };
    expect(bench().exec('KnPerson', 'POST', body).body).toEqual({
      results: { KnPerson: { BcCo: '100002', BcId: '2' } },
    });
    expect(bench({ multiElementResults: 'first' }).exec('KnPerson', 'POST', body).body).toEqual({
      results: { KnPerson: { BcCo: '100001', BcId: '1' } },
    });
    expect(bench({ multiElementResults: 'array' }).exec('KnPerson', 'POST', person({})).body).toEqual({
      results: { KnPerson: { BcCo: '100001', BcId: '1' } },
    });
    expect(bench({ multiElementResults: 'array' }).exec('KnPerson', 'POST', body).body).toEqual({
      results: {
        KnPerson: [
          { BcCo: '100001', BcId: '1' },
          { BcCo: '100002', BcId: '2' },
        ],
      },
    });
  });

  it('rolls back the first element when the second fails, counters included', () => {
    const { db, exec } = bench();
    const first = person({}).KnPerson.Element;
    const second = person({ AutoNum: false, BcCo: '100001' }).KnPerson.Element;
    expect(faultOf(() => exec('KnPerson', 'POST', { KnPerson: { Element: [first, second] } })).texts.en).toBe(
      "(AntaObject) The primary key already exists for field 'Number'",
    );
    expect(db.rows('persons')).toEqual([]);
    expect(db.journal()).toEqual([]);
    expect(exec('KnPerson', 'POST', { KnPerson: { Element: first } }).body).toEqual({
      results: { KnPerson: { BcCo: '100001', BcId: '1' } },
    });
  });

  it.each([
    ['Element', { '@Action': 'update' }, {}],
    ['Element, lower case', { '@action': 'UPDATE' }, {}],
    ['Fields', {}, { '@Action': 'Update' }],
  ])('takes @Action on the %s', (_where, onElement, inFields) => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: 'P1', AutoNum: false }));
    const body = {
      KnPerson: { Element: { ...onElement, Fields: { BcCo: 'P1', FiNm: 'Anna', ...inFields } } },
    };
    expect(exec('KnPerson', 'POST', body).status).toBe(201);
    expect(db.rows('persons')).toMatchObject([{ BcCo: 'P1', FirstName: 'Anna', LastName: 'Smit' }]);
  });

  it.each([
    ['strings', { HmNr: '7', PbAd: 'false' }],
    ['native JSON', { HmNr: 7, PbAd: false }],
    ['0/1', { HmNr: 7, PbAd: '0' }],
  ])('accepts scalars as %s', (_kind, fields) => {
    const { db, exec } = bench();
    const address = { Ad: 'Dorpsstraat', Rs: 'Ede', CoId: 'NL', ...fields };
    exec(
      'KnPerson',
      'POST',
      person({}, { Objects: [{ KnBasicAddressAdr: { Element: { Fields: address } } }] }),
    );
    expect(db.rows('addresses')).toMatchObject([{ Number: 7, PoBox: false, Address: 'Dorpsstraat' }]);
  });

  it('treats null and "" as empty', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ FiNm: null, In: '' }));
    expect(db.rows('persons')).toMatchObject([{ FirstName: null, Initials: null }]);
  });

  it.each<[string, unknown, string, string]>([
    [
      'a non-object body',
      [1, 2],
      'General message: Ongeldig verzoek: de body moet een JSON-object zijn.',
      'General message: Invalid request: the body must be a JSON object.',
    ],
    [
      'an empty body',
      {},
      "General message: Ongeldig verzoek: het object 'KnPerson' ontbreekt.",
      "General message: Invalid request: the object 'KnPerson' is missing.",
    ],
    [
      'no Element',
      { KnPerson: { Fields: {} } },
      "General message: Ongeldig verzoek: het object 'KnPerson' bevat geen 'Element'.",
      "General message: Invalid request: the object 'KnPerson' has no 'Element'.",
    ],
    [
      'a string Element',
      { KnPerson: { Element: 'x' } },
      "General message: Ongeldig verzoek: 'KnPerson.Element[0]' moet een object zijn.",
      "General message: Invalid request: 'KnPerson.Element[0]' must be an object.",
    ],
    [
      'Fields as an array',
      { KnPerson: { Element: { Fields: [] } } },
      "General message: Ongeldig verzoek: 'KnPerson.Element[0].Fields' moet een object zijn.",
      "General message: Invalid request: 'KnPerson.Element[0].Fields' must be an object.",
    ],
    [
      'an empty Element array',
      { KnPerson: { Element: [] } },
      "General message: Ongeldig verzoek: 'KnPerson.Element' is leeg.",
      "General message: Invalid request: 'KnPerson.Element' is empty.",
    ],
    [
      'a wrong root',
      { FiEntries: { Element: {} } },
      "General message: Het object 'FiEntries' wordt niet ondersteund door deze UpdateConnector; verwacht 'KnPerson'.",
      "General message: The object 'FiEntries' is not supported by this UpdateConnector; expected 'KnPerson'.",
    ],
    [
      'an unknown property',
      { KnPerson: { Element: { Velden: {} } } },
      "General message: Ongeldig verzoek: onbekende eigenschap 'Velden' in 'KnPerson.Element[0]'.",
      "General message: Invalid request: unknown property 'Velden' in 'KnPerson.Element[0]'.",
    ],
    [
      'a bad action',
      { KnPerson: { Element: { '@Action': 'upsert' } } },
      "General message: De actie 'upsert' is ongeldig; gebruik insert, update of delete.",
      "General message: The action 'upsert' is invalid; use insert, update or delete.",
    ],
  ])('answers %s with a General message', (_case, body, nl, en) => {
    expect(faultOf(() => bench().exec('KnPerson', 'POST', body)).texts).toMatchObject({ nl, en });
  });

  it('uses the root name, not the connector id, for FiEntries', () => {
    const { texts } = faultOf(() => bench().exec('FiEntries', 'POST', { FiEntries: { Element: {} } }));
    expect(texts.en).toBe(
      "General message: The object 'FiEntries' is not supported by this UpdateConnector; expected 'FiEntryPar'.",
    );
  });

  it('answers an unknown connector like Profit', () => {
    expect(faultOf(() => bench().exec('PtRealisation', 'POST', {})).texts.nl).toBe(
      'General message: Deze UpdateConnector wordt niet ondersteund of de gebruiker is niet geautoriseerd.',
    );
  });
});
