import { describe, expect, it } from 'vitest';
import { bench, faultOf } from './helpers/engine.js';

const org = (fields: Record<string, unknown>, objects?: unknown) => ({
  KnOrganisation: {
    Element: { Fields: { Nm: 'Acme', ...fields }, ...(objects ? { Objects: objects } : {}) },
  },
});
const person = (fields: Record<string, unknown>, objects?: unknown) => ({
  KnPerson: {
    Element: { Fields: { LaNm: 'Smit', ViGe: 'V', ...fields }, ...(objects ? { Objects: objects } : {}) },
  },
});
const adr = (fields: Record<string, unknown> = {}) => ({
  KnBasicAddressAdr: {
    Element: { Fields: { Ad: 'Dorpsstraat', HmNr: 1, ZpCd: '1234AB', Rs: 'Ede', CoId: 'NL', ...fields } },
  },
});

describe('MatchOga', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['0 (BcCo)', { MatchOga: '0', BcCo: 'O1' }, undefined],
    ['1 (KvK)', { MatchOga: '1', CcNr: '12345678' }, undefined],
    ['2 (fiscal number)', { MatchOga: '2', FiNr: 'NL001' }, undefined],
    ['3 (name)', { MatchOga: '3', Nm: 'Acme' }, undefined],
    ['4 (address)', { MatchOga: '4' }, adr()],
  ])('%s updates the one match', (_code, fields, objects) => {
    const { db, exec } = bench();
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1', CcNr: '12345678', FiNr: 'NL001' }, adr()));
    const answer = exec('KnOrganisation', 'POST', org({ ...fields, EmAd: 'info@acme.nl' }, objects));
    expect(answer.body).toEqual({ results: { KnOrganisation: { BcCo: 'O1', BcId: '1' } } });
    expect(db.rows('organisations')).toMatchObject([{ BcCo: 'O1', Email: 'info@acme.nl' }]);
  });

  it('inserts when nothing matches and always with 6', () => {
    const { db, exec } = bench();
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }));
    exec('KnOrganisation', 'POST', org({ MatchOga: '3', Nm: 'Other', AutoNum: true }));
    exec('KnOrganisation', 'POST', org({ MatchOga: '6', AutoNum: true }));
    expect(db.rows('organisations').map((row) => [row.BcCo, row.Name])).toEqual([
      ['O1', 'Acme'],
      ['100001', 'Other'],
      ['100002', 'Acme'],
    ]);
  });

  it('fails on several matches with the Profit text', () => {
    const { db, exec } = bench();
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }));
    exec('KnOrganisation', 'POST', org({ BcCo: 'O2' }));
    expect(
      faultOf(() => exec('KnOrganisation', 'POST', org({ MatchOga: '3', EmAd: 'x@y.nl' }))).texts,
    ).toEqual({
      nl: 'General message: Er is meer dan 1 organisatie gevonden die voldoet aan het zoekprofiel.',
      en: 'General message: More than 1 organisation was found that matches the search profile.',
    });
    expect(db.rows('organisations').map((row) => row.Email)).toEqual([null, null]);
  });

  it('refuses an existing BcCo on a plain insert', () => {
    const { exec } = bench();
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }));
    expect(faultOf(() => exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }))).texts).toEqual({
      nl: "(AntaObject) De primaire sleutel bestaat al voor veld 'Nummer'",
      en: "(AntaObject) The primary key already exists for field 'Number'",
    });
  });

  it('requires BcCo without AutoNum', () => {
    expect(faultOf(() => bench().exec('KnOrganisation', 'POST', org({}))).localized('en-us')).toBe(
      "Enter a value for 'Number'.",
    );
  });
});

describe('MatchPer', () => {
  it.each<[string, Record<string, unknown>]>([
    ['0 (BcCo)', { MatchPer: '0', BcCo: 'P1' }],
    ['1 (BSN)', { MatchPer: '1', SoSe: '111222333' }],
    ['2 (name, prefix, initials, gender)', { MatchPer: '2', Is: 'de', In: 'A.' }],
    ['3 (… + work e-mail)', { MatchPer: '3', Is: 'de', In: 'A.', EmAd: 'a@smit.nl' }],
    ['6 (… + birth date)', { MatchPer: '6', Is: 'de', In: 'A.', DaBi: '1980-01-31' }],
  ])('%s updates the one match', (_code, fields) => {
    const { db, exec } = bench();
    exec(
      'KnPerson',
      'POST',
      person({ BcCo: 'P1', Is: 'de', In: 'A.', SoSe: '111222333', EmAd: 'a@smit.nl', DaBi: '1980-01-31' }),
    );
    expect(exec('KnPerson', 'POST', person({ ...fields, TeNr: '0301234567' })).body).toEqual({
      results: { KnPerson: { BcCo: 'P1', BcId: '1' } },
    });
    expect(db.rows('persons')).toMatchObject([{ BcCo: 'P1', Phone: '0301234567' }]);
  });

  it('7 always inserts; a name match with another gender inserts', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: 'P1' }));
    exec('KnPerson', 'POST', person({ MatchPer: '7', AutoNum: true }));
    exec('KnPerson', 'POST', person({ MatchPer: '2', ViGe: 'M', AutoNum: true }));
    expect(db.rows('persons').map((row) => [row.BcCo, row.Gender])).toEqual([
      ['P1', 'V'],
      ['100001', 'V'],
      ['100002', 'M'],
    ]);
  });

  it('fails on several matches', () => {
    const { exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: 'P1' }));
    exec('KnPerson', 'POST', person({ BcCo: 'P2' }));
    expect(faultOf(() => exec('KnPerson', 'POST', person({ MatchPer: '2' }))).localized('nl-nl')).toBe(
      'General message: Er is meer dan 1 persoon gevonden die voldoet aan het zoekprofiel.',
    );
  });

  it('AutoNum continues after the highest seeded number of persons and organisations', () => {
    const { db, exec } = bench();
    db.seed('organisations', [{ BcId: 40, BcCo: '100500', Name: 'Seeded' }]);
    expect(exec('KnPerson', 'POST', person({ AutoNum: true })).body).toEqual({
      results: { KnPerson: { BcCo: '100501', BcId: '41' } },
    });
  });
});

describe('PUT, sub-object POST and DELETE on relations', () => {
  it('PUT KnPerson by MatchPer 0 + BcCo updates fields and the address, answers 200 empty', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: '1234568774' }, adr()));
    const answer = exec('KnPerson', 'PUT', {
      KnPerson: {
        Element: { Fields: { MatchPer: '0', BcCo: '1234568774', FiNm: 'Jan', In: '' }, Objects: {} },
      },
    });
    expect(answer).toEqual({ status: 200 });
    exec('KnPerson', 'PUT', {
      KnPerson: { Element: { Fields: { BcCo: '1234568774' }, Objects: adr({ Ad: 'Kerkstraat' }) } },
    });
    expect(db.rows('persons')).toMatchObject([
      { FirstName: 'Jan', Initials: null, ModifiedDate: '2024-03-01T09:00:03' },
    ]);
    expect(db.rows('addresses')).toMatchObject([{ AddressId: 1, Address: 'Kerkstraat' }]);
  });

  it('PUT answers 201 results with putResponse results201', () => {
    const { exec } = bench({ putResponse: 'results201' });
    exec('KnPerson', 'POST', person({ BcCo: 'P1' }));
    expect(
      exec('KnPerson', 'PUT', { KnPerson: { Element: { Fields: { MatchPer: '0', BcCo: 'P1' } } } }),
    ).toEqual({
      status: 201,
      body: { results: { KnPerson: { BcCo: 'P1', BcId: '1' } } },
    });
  });

  it('PUT of a missing person is a Profit 500', () => {
    const fault = faultOf(() =>
      bench().exec('KnPerson', 'PUT', { KnPerson: { Element: { Fields: { MatchPer: '0', BcCo: 'NOPE' } } } }),
    );
    expect(fault.texts).toEqual({
      nl: "General message: Het record met Nummer 'NOPE' bestaat niet.",
      en: "General message: The record with Number 'NOPE' does not exist.",
    });
    expect(fault.status).toBe(500);
  });

  it('POST /KnPerson/KnBasicAddressAdr updates the person and inserts the address (reference §3.4)', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: '1000780' }));
    const body = {
      KnPerson: {
        Element: {
          Fields: { MatchPer: '0', BcCo: '1000780' },
          Objects: {
            KnBasicAddressAdr: {
              Element: {
                Fields: {
                  PbAd: '0',
                  Ad: 'Stationsstraat',
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
    expect(exec('KnPerson', 'POST', body, { rest: ['KnBasicAddressAdr'] })).toEqual({
      status: 201,
      body: { results: { KnPerson: { BcCo: '1000780', BcId: '1' } } },
    });
    expect(db.rows('addresses')).toMatchObject([{ BcId: 1, Kind: 'ADR', Address: 'Stationsstraat' }]);
    expect(
      faultOf(() => exec('KnPerson', 'POST', body, { rest: ['KnSubjectLink'] })).localized('en-us'),
    ).toBe("General message: The object 'KnSubjectLink' does not exist in the object 'KnPerson'.");
    const missing = { KnPerson: { Element: { Fields: { MatchPer: '0', BcCo: 'X' }, Objects: adr() } } };
    expect(
      faultOf(() => exec('KnPerson', 'POST', missing, { rest: ['KnBasicAddressAdr'] })).localized('en-us'),
    ).toBe("General message: The record with Number 'X' does not exist.");
  });

  it('POST /KnOrganisation/KnContact adds a contact person to an existing organisation', () => {
    const { db, exec } = bench();
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }));
    const body = org(
      { MatchOga: '0', BcCo: 'O1', Nm: undefined },
      {
        KnContact: {
          Element: {
            Fields: { ViKc: 'PRS' },
            Objects: { KnPerson: person({ AutoNum: true, MatchPer: '7' }).KnPerson },
          },
        },
      },
    );
    exec('KnOrganisation', 'POST', body, { rest: ['KnContact'] });
    expect(db.rows('contacts')).toMatchObject([{ ContactId: 1, OrgBcId: 1, PersonBcId: 2, Kind: 'PRS' }]);
    expect(db.rows('persons')).toMatchObject([{ BcId: 2, BcCo: '100001', LastName: 'Smit' }]);
  });

  it('DELETE removes a person with its addresses; a second delete is a Profit 500', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: 'P1' }, adr()));
    expect(exec('KnPerson', 'DELETE', undefined, { rest: ['KnPerson', '@BcCo', 'P1'] })).toEqual({
      status: 200,
    });
    expect(db.rows('persons')).toEqual([]);
    expect(db.rows('addresses')).toEqual([]);
    expect(
      faultOf(() => exec('KnPerson', 'DELETE', undefined, { rest: ['KnPerson', 'BcCo', 'P1'] })).localized(
        'nl-nl',
      ),
    ).toBe("General message: Het record met Nummer 'P1' bestaat niet.");
  });

  it('refuses DELETE …/KnOrganisation/@BcCo/O1/KnContact/@CdId/1: AFAS lists no CdId in KnOrganisation.KnContact', () => {
    const { db, exec } = bench();
    const contact = { KnContact: { Element: { Fields: { ViKc: 'AFD' } } } };
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }, contact));
    expect(
      faultOf(() =>
        exec('KnOrganisation', 'DELETE', undefined, {
          rest: ['KnOrganisation', '@BcCo', 'O1', 'KnContact', '@CdId', '1'],
        }),
      ).localized('en-us'),
    ).toBe("General message: The field 'CdId' does not exist in the object 'KnContact'.");
    expect(db.rows('contacts')).toHaveLength(1);
  });

  it.each<[string, string[], string]>([
    [
      'KnPerson',
      ['KnPerson', '@BcCo', 'P1', 'KnBasicAddressAdr', '@CoId', 'NL'],
      "General message: Invalid delete request: deleting 'KnBasicAddressAdr' through the URL is not supported.",
    ],
    [
      'KnPerson',
      ['KnPerson', '@BcId', '1'],
      'General message: Invalid delete request: delete a relation by @BcCo/{number}.',
    ],
    [
      'KnPerson',
      ['KnPerson', '@BcCo', 'P1', 'KnContact', '@CdId', '1'],
      "General message: The field 'CdId' does not exist in the object 'KnContact'.",
    ],
    [
      'KnOrganisation',
      ['KnOrganisation', '@BcCo', 'O1', 'KnContact', '@ContactId', '1'],
      "General message: The field 'ContactId' does not exist in the object 'KnContact'.",
    ],
  ])('refuses DELETE on %s %j', (connector, rest, message) => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: 'P1' }, adr()));
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }));
    expect(faultOf(() => exec(connector, 'DELETE', undefined, { rest })).localized('en-us')).toBe(message);
    expect(db.rows('addresses')).toHaveLength(1);
    expect(db.rows('persons')).toHaveLength(1);
  });

  it('an element with @Action delete removes an organisation', () => {
    const { db, exec } = bench();
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1' }));
    expect(
      exec('KnOrganisation', 'POST', {
        KnOrganisation: { Element: { Fields: { '@Action': 'delete', BcCo: 'O1' } } },
      }).status,
    ).toBe(201);
    expect(db.rows('organisations')).toEqual([]);
  });
});

describe('KnSalesRelationOrg', () => {
  it('creates a debtor on an existing organisation (MatchOga 0 + BcCo)', () => {
    const { db, exec } = bench();
    exec('KnOrganisation', 'POST', org({ BcCo: 'O1', Nm: 'Bestaand BV' }));
    const body = {
      KnSalesRelationOrg: {
        Element: {
          '@DbId': '40999',
          Fields: { CuId: 'EUR', InPv: 'P' },
          Objects: { KnOrganisation: { Element: { Fields: { MatchOga: '0', BcCo: 'O1' } } } },
        },
      },
    };
    expect(exec('KnSalesRelationOrg', 'POST', body).body).toEqual({
      results: { KnSalesRelationOrg: { DbId: '40999', BcCo: 'O1' } },
    });
    expect(db.rows('debtors').at(-1)).toMatchObject({
      DebtorId: '40999',
      DebtorName: 'Bestaand BV',
      InvoiceChannel: 'P',
    });
    expect(db.rows('organisations')).toHaveLength(1);
  });

  it('generates DbId when absent and refuses a duplicate one', () => {
    const { exec } = bench();
    const body = (dbId?: string) => ({
      KnSalesRelationOrg: {
        Element: {
          ...(dbId ? { '@DbId': dbId } : {}),
          Fields: { CuId: 'EUR' },
          Objects: { KnOrganisation: { Element: { Fields: { MatchOga: '6', AutoNum: true, Nm: 'N' } } } },
        },
      },
    });
    expect(exec('KnSalesRelationOrg', 'POST', body()).body).toEqual({
      results: { KnSalesRelationOrg: { DbId: '10006', BcCo: '100001' } },
    });
    expect(faultOf(() => exec('KnSalesRelationOrg', 'POST', body('10004'))).localized('en-us')).toBe(
      "(AntaObject) The primary key already exists for field 'Debtor number'",
    );
  });

  it('PUT by @DbId updates the debtor; an unknown currency or DbId fails', () => {
    const { db, exec } = bench();
    expect(
      exec('KnSalesRelationOrg', 'PUT', {
        KnSalesRelationOrg: { Element: { '@DbId': '10004', Fields: { InPv: 'B', EmId: 'E1', PfId: 3 } } },
      }),
    ).toEqual({
      status: 200,
    });
    expect(db.rows('debtors')[0]).toMatchObject({
      DebtorId: '10004',
      InvoiceChannel: 'B',
      ModifiedDate: '2024-03-01T09:00:00',
    });
    expect(
      faultOf(() =>
        exec('KnSalesRelationOrg', 'PUT', {
          KnSalesRelationOrg: { Element: { '@DbId': '10004', Fields: { CuId: 'XYZ' } } },
        }),
      ).localized('en-us'),
    ).toBe("The entered value for 'Currency' does not exist.");
    expect(
      faultOf(() =>
        exec('KnSalesRelationOrg', 'PUT', {
          KnSalesRelationOrg: { Element: { '@DbId': '99', Fields: { InPv: 'E' } } },
        }),
      ).localized('nl-nl'),
    ).toBe("General message: Het record met Nummer debiteur '99' bestaat niet.");
  });

  it('DELETE /KnSalesRelationOrg/KnSalesRelationOrg/@DbId/10005', () => {
    const { db, exec } = bench();
    exec('KnSalesRelationOrg', 'DELETE', undefined, { rest: ['KnSalesRelationOrg', '@DbId', '10005'] });
    expect(db.rows('debtors').map((row) => row.DebtorId)).toEqual(['10004']);
  });
});

describe('KnPurchaseRelationOrg', () => {
  it('creates a creditor that FiEntries can book on with VaAs 3', () => {
    const { db, exec } = bench();
    const body = {
      KnPurchaseRelationOrg: {
        Element: {
          Fields: { CuId: 'EUR' },
          Objects: {
            KnOrganisation: { Element: { Fields: { MatchOga: '6', AutoNum: true, Nm: 'Leverancier' } } },
          },
        },
      },
    };
    expect(exec('KnPurchaseRelationOrg', 'POST', body).body).toEqual({
      results: { KnPurchaseRelationOrg: { CrId: '50023', BcCo: '100001' } },
    });
    expect(db.rows('creditors').at(-1)).toMatchObject({
      CreditorId: '50023',
      CreditorName: 'Leverancier',
      BcCo: '100001',
    });
    const line = (vaAs: string, acNr: string, amDe: number, amCr: number) => ({
      Fields: { VaAs: vaAs, AcNr: acNr, EnDa: '2024-03-01', BpDa: '2024-03-01', AmDe: amDe, AmCr: amCr },
    });
    const entry = {
      FiEntryPar: {
        Element: {
          Fields: { Year: 2024, Peri: 3, JoCo: '70' },
          Objects: { FiEntries: { Element: [line('3', '50023', 0, 10), line('1', '8010', 10, 0)] } },
        },
      },
    };
    expect(exec('FiEntries', 'POST', entry).status).toBe(201);
    expect(
      exec('KnPurchaseRelationOrg', 'DELETE', undefined, {
        rest: ['KnPurchaseRelationOrg', '@CrId', '50023'],
      }),
    ).toEqual({ status: 200 });
  });
});

describe('KnSubject', () => {
  const subject = (fields: Record<string, unknown>, objects?: unknown) => ({
    KnSubject: {
      Element: { Fields: { StId: 4, Ds: 'Contract', ...fields }, ...(objects ? { Objects: objects } : {}) },
    },
  });

  it('links to an organisation/person by number and stores it as BcId', () => {
    const { db, exec } = bench();
    exec('KnPerson', 'POST', person({ BcCo: '1000744' }));
    exec(
      'KnSubject',
      'POST',
      subject({ Da: '2023-01-01T10:00:00' }, [
        { KnSubjectLink: { Element: { Fields: { DoCRM: true, ToBC: true, BcId: '1000744' } } } },
      ]),
    );
    expect(db.rows('subjects')).toEqual([
      {
        SbId: 1,
        SubjectType: 4,
        Description: 'Contract',
        BcId: 1,
        CreateDate: '2024-03-01T09:00:02',
        ModifiedDate: '2024-03-01T09:00:02',
      },
    ]);
    expect(
      faultOf(() =>
        exec(
          'KnSubject',
          'POST',
          subject({}, { KnSubjectLink: { Element: { Fields: { ToBC: true, BcId: '404' } } } }),
        ),
      ).localized('en-us'),
    ).toBe("The entered value for 'Organisation/person' does not exist.");
  });

  it('POST /KnSubject/KnSubjectAttachment adds a file to an existing subject; bad base64 fails', () => {
    const { db, exec } = bench();
    exec('KnSubject', 'POST', subject({}));
    const attach = (data: string) => ({
      KnSubject: {
        Element: {
          '@SbId': 1,
          Objects: { KnSubjectAttachment: { Element: { Fields: { FileName: 'a.pdf', FileStream: data } } } },
        },
      },
    });
    expect(exec('KnSubject', 'POST', attach('JVBERi0='), { rest: ['KnSubjectAttachment'] }).body).toEqual({
      results: { KnSubject: { SbId: '1' } },
    });
    expect(db.rows('subject_attachments')).toMatchObject([
      { SbId: 1, FileName: 'a.pdf', MimeType: 'application/pdf', Data: 'JVBERi0=' },
    ]);
    expect(
      faultOf(() =>
        exec('KnSubject', 'POST', attach('not base64!'), { rest: ['KnSubjectAttachment'] }),
      ).localized('en-us'),
    ).toBe("General message: The value 'not base64!' for 'File as byte-array' is not a valid base64 file.");
  });

  it('DELETE /KnSubject/KnSubject/@SbId/{id} removes the subject and its attachments', () => {
    const { db, exec } = bench();
    exec(
      'KnSubject',
      'POST',
      subject(
        {},
        { KnSubjectAttachment: { Element: [{ Fields: { FileName: 'a.txt', FileStream: 'YQ==' } }] } },
      ),
    );
    exec('KnSubject', 'DELETE', undefined, { rest: ['KnSubject', '@SbId', '1'] });
    expect(db.rows('subjects')).toEqual([]);
    expect(db.rows('subject_attachments')).toEqual([]);
    expect(
      faultOf(() => exec('KnSubject', 'DELETE', undefined, { rest: ['KnSubject', 'SbId', '1'] })).localized(
        'en-us',
      ),
    ).toBe("General message: The record with Subject '1' does not exist.");
    expect(
      faultOf(() => exec('KnSubject', 'DELETE', undefined, { rest: ['KnSubjects', 'SbId', '1'] })).localized(
        'en-us',
      ),
    ).toBe(
      "General message: The object 'KnSubjects' is not supported by this UpdateConnector; expected 'KnSubject'.",
    );
    expect(
      faultOf(() =>
        exec('KnSubject', 'DELETE', undefined, { rest: ['KnSubject', '@SbId,@X', '1'] }),
      ).localized('en-us'),
    ).toBe("General message: Invalid delete request: 2 key(s) '@SbId,@X' but 1 value(s) '1'.");
  });
});
