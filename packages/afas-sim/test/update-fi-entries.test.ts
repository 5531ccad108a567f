import { describe, expect, it } from 'vitest';
import type { Texts } from '../src/language.js';
import type { UpdateEngineOptions } from '../src/update/index.js';
import type { UpdateRequest } from '../src/update-engine.js';
import { type ExecExtra, bench as engineBench, faultOf } from './helpers/engine.js';

function bench(options?: UpdateEngineOptions) {
  const { db, exec } = engineBench(options);
  return {
    db,
    exec: (method: UpdateRequest['method'], body: unknown, extra?: ExecExtra) =>
      exec('FiEntries', method, body, extra),
  };
}

type Line = Record<string, unknown>;
const line = (acNr: string, amDe: unknown, amCr: unknown, extra: Line = {}): Line => ({
  Fields: { VaAs: '1', AcNr: acNr, EnDa: '2024-03-15', BpDa: '2024-03-15', AmDe: amDe, AmCr: amCr, ...extra },
});
const entry = (lines: Line[], header: Record<string, unknown> = {}) => ({
  FiEntryPar: {
    Element: {
      Fields: { Year: 2024, Peri: 3, UnId: 1, JoCo: '70', ...header },
      Objects: [{ FiEntries: { Element: lines } }],
    },
  },
});

describe('FiEntries balance (exact decimals)', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['strings', '0.1', '0.2', '0.3'],
    ['JSON numbers', 0.1, 0.2, 0.3],
    ['trailing zeros', '0.10', '0.2', '0.300'],
  ])('0.1 + 0.2 balances 0.3 as %s', (_kind, a, b, c) => {
    const { db, exec } = bench();
    const answer = exec('POST', entry([line('8010', a, 0), line('8010', b, 0), line('1510', 0, c)]));
    expect(answer).toEqual({ status: 201, body: { results: { FiEntryPar: { UnId: '1', EnNo: '70001' } } } });
    expect(db.rows('entries').map((row) => row.AmountDebit)).toEqual([0.1, 0.2, 0]);
  });

  it('rejects 0.1 + 0.2 against 0.31 and stores nothing', () => {
    const { db, exec } = bench();
    expect(
      faultOf(() =>
        exec('POST', entry([line('8010', '0.1', 0), line('8010', '0.2', 0), line('1510', 0, '0.31')])),
      ).texts,
    ).toEqual({
      nl: 'General message: Journaalpost 70001 is niet in balans: debet 0.3, credit 0.31.',
      en: 'General message: Journal entry 70001 does not balance: debit 0.3, credit 0.31.',
    });
    expect(db.rows('entries')).toEqual([]);
    expect(exec('POST', entry([line('8010', '1', 0), line('1510', 0, '1')])).body).toEqual({
      results: { FiEntryPar: { UnId: '1', EnNo: '70001' } },
    });
  });

  it('balances each EnNo of a body separately', () => {
    const { db, exec } = bench();
    const body = entry([
      line('8010', 5, 0, { EnNo: 90001 }),
      line('1510', 0, 5, { EnNo: 90001 }),
      line('8010', 7, 0, { EnNo: 90002 }),
      line('1510', 0, 7, { EnNo: 90002 }),
    ]);
    expect(exec('POST', body).body).toEqual({ results: { FiEntryPar: { UnId: '1', EnNo: '90002' } } });
    expect(db.rows('entries').map((row) => [row.EntryNo, row.LineNo])).toEqual([
      [90001, 1],
      [90001, 2],
      [90002, 1],
      [90002, 2],
    ]);
    expect(
      faultOf(() =>
        exec('POST', entry([line('8010', 1, 0, { EnNo: 90001 }), line('1510', 0, 1, { EnNo: 90001 })])),
      ).localized('en-us'),
    ).toBe("(AntaObject) The primary key already exists for field 'Entry number'");
    expect(
      faultOf(() =>
        exec('POST', entry([line('8010', 1, 0, { EnNo: 1 }), line('1510', 0, 1, { EnNo: 2 })])),
      ).localized('en-us'),
    ).toBe('General message: Journal entry 1 does not balance: debit 1, credit 0.');
  });

  it('numbers entries per administration and continues after stored ones', () => {
    const { exec } = bench();
    const balanced = entry([line('8010', 1, 0), line('1510', 0, 1)]);
    expect(exec('POST', balanced).body).toEqual({ results: { FiEntryPar: { UnId: '1', EnNo: '70001' } } });
    expect(exec('POST', balanced).body).toEqual({ results: { FiEntryPar: { UnId: '1', EnNo: '70002' } } });
  });

  it('rejects a decimal comma', () => {
    expect(
      faultOf(() => bench().exec('POST', entry([line('8010', '1,5', 0), line('1510', 0, '1,5')]))).localized(
        'en-us',
      ),
    ).toBe("General message: The value '1,5' for 'Amount debit' is not a valid decimal number.");
  });
});

describe('FiEntries reference checks', () => {
  it.each<[string, unknown, Texts]>([
    [
      'an unknown ledger account',
      entry([line('9999', 1, 0), line('1510', 0, 1)]),
      {
        nl: "De ingevulde waarde bij 'Rekeningnummer' bestaat niet.",
        en: "The entered value for 'Account number' does not exist.",
        fr: "La valeur saisie pour 'Numéro de compte' n'existe pas.",
      },
    ],
    [
      'an unknown debtor',
      entry([line('10099', 1, 0, { VaAs: '2' }), line('8010', 0, 1)]),
      {
        nl: "De ingevulde waarde bij 'Rekeningnummer' bestaat niet.",
        en: "The entered value for 'Account number' does not exist.",
        fr: "La valeur saisie pour 'Numéro de compte' n'existe pas.",
      },
    ],
    [
      'a ledger account number used as creditor',
      entry([line('8010', 1, 0, { VaAs: '3' }), line('8010', 0, 1)]),
      {
        nl: "De ingevulde waarde bij 'Rekeningnummer' bestaat niet.",
        en: "The entered value for 'Account number' does not exist.",
        fr: "La valeur saisie pour 'Numéro de compte' n'existe pas.",
      },
    ],
    [
      'an unknown account kind',
      entry([line('8010', 1, 0, { VaAs: '4' }), line('1510', 0, 1)]),
      {
        nl: "De ingevulde waarde bij 'Kenmerk rekening' bestaat niet.",
        en: "The entered value for 'Account feature' does not exist.",
        fr: "La valeur saisie pour 'Type de compte' n'existe pas.",
      },
    ],
    [
      'a missing account number',
      entry([line('', 1, 0), line('1510', 0, 1)]),
      {
        nl: "Vul een waarde in bij 'Rekeningnummer'.",
        en: "Enter a value for 'Account number'.",
        fr: "Saisissez une valeur pour 'Numéro de compte'.",
      },
    ],
    [
      'an unknown journal',
      entry([line('8010', 1, 0), line('1510', 0, 1)], { JoCo: '99' }),
      {
        nl: "De ingevulde waarde bij 'Dagboek' bestaat niet.",
        en: "The entered value for 'Journal' does not exist.",
        fr: "La valeur saisie pour 'Journal' n'existe pas.",
      },
    ],
    [
      'an unknown administration',
      entry([line('8010', 1, 0), line('1510', 0, 1)], { UnId: 7 }),
      {
        nl: "De ingevulde waarde bij 'Nummer administratie' bestaat niet.",
        en: "The entered value for 'Administration number' does not exist.",
        fr: "La valeur saisie pour 'Numéro d'administration' n'existe pas.",
      },
    ],
    [
      'an unknown VAT code',
      entry([line('8010', 1, 0, { VaId: '9' }), line('1510', 0, 1)]),
      {
        nl: "De ingevulde waarde bij 'Btw-code' bestaat niet.",
        en: "The entered value for 'VAT code' does not exist.",
        fr: "La valeur saisie pour 'Code TVA' n'existe pas.",
      },
    ],
    [
      'a blocked period in the header',
      entry([line('8010', 1, 0), line('1510', 0, 1)], { Peri: 11 }),
      {
        nl: 'Voor deze administratie is periode 11 van het jaar 2024 geblokkeerd.',
        en: 'For this administration, period 11 of the year 2024 is blocked.',
      },
    ],
    [
      'a period that is not set up',
      entry([line('8010', 1, 0), line('1510', 0, 1)], { Year: 2030 }),
      {
        nl: "De ingevulde waarde bij 'Periode' bestaat niet.",
        en: "The entered value for 'Period' does not exist.",
        fr: "La valeur saisie pour 'Période' n'existe pas.",
      },
    ],
    [
      'period 13',
      entry([line('8010', 1, 0), line('1510', 0, 1)], { Peri: 13 }),
      {
        nl: "De ingevulde waarde bij 'Periode' bestaat niet.",
        en: "The entered value for 'Period' does not exist.",
        fr: "La valeur saisie pour 'Période' n'existe pas.",
      },
    ],
    [
      'an entry date in a blocked period',
      entry([line('8010', 1, 0, { EnDa: '2024-11-01' }), line('1510', 0, 1)]),
      {
        nl: "Datum '1-11-2024' valt in een geblokkeerde periode",
        en: "Date '1-11-2024' belongs to a blocked period",
      },
    ],
    [
      'a missing cost centre',
      entry([line('8074', 1, 0), line('1510', 0, 1)]),
      {
        nl: "Verbijzonderingscode voor as 'Kostenplaats' moet gevuld zijn voor rekening 8074",
        en: "Allocation code for axis 'Cost center' must be filled for account 8074",
      },
    ],
    [
      'an allocation line without the code',
      entry(
        [line('8074', 1, 0, {}), line('1510', 0, 1)].map((l, i) =>
          i === 0 ? { ...l, Objects: { FiDimEntries: { Element: { Fields: { AmDe: 1 } } } } } : l,
        ),
      ),
      {
        nl: "Verbijzonderingscode voor as 'Kostenplaats' moet gevuld zijn voor rekening 8074",
        en: "Allocation code for axis 'Cost center' must be filled for account 8074",
      },
    ],
    [
      'a project account without project line',
      entry([line('4000', 1, 0), line('1510', 0, 1)]),
      {
        nl: "Vul een waarde in bij 'Project'.",
        en: "Enter a value for 'Project'.",
        fr: "Saisissez une valeur pour 'Projet'.",
      },
    ],
    [
      'a zero exchange rate',
      entry([line('8010', 1, 0, { CuId: 'USD', Rate: '0.000' }), line('1510', 0, 1)]),
      {
        nl: "General message: De waarde bij 'Koers' mag niet 0 zijn.",
        en: "General message: The value for 'Exchange rate' must not be 0.",
      },
    ],
    [
      'no lines',
      entry([]),
      {
        nl: 'General message: Er zijn geen boekingsregels aangeboden.',
        en: 'General message: No entry lines were supplied.',
      },
    ],
    [
      'a missing year',
      entry([line('8010', 1, 0), line('1510', 0, 1)], { Year: null }),
      {
        nl: "Vul een waarde in bij 'Boekjaar'.",
        en: "Enter a value for 'Financial year'.",
        fr: "Saisissez une valeur pour 'Exercice'.",
      },
    ],
  ])('rejects %s', (_case, body, texts) => {
    const { db, exec } = bench();
    expect(faultOf(() => exec('POST', body)).texts).toEqual(texts);
    expect(db.journal()).toEqual([]);
  });

  it('books an allocation on a cost centre into dim_entries', () => {
    const { db, exec } = bench();
    const allocated = {
      ...line('8074', 0, '250.50'),
      Objects: { FiDimEntries: { Element: { Fields: { DiC1: 'KPL01', AmCr: '250.50' } } } },
    };
    exec('POST', entry([line('1300', '250.50', 0), allocated]));
    expect(db.rows('dim_entries')).toEqual([
      {
        UnitId: 1,
        EntryNo: 70001,
        LineNo: 2,
        DimAx1: 'KPL01',
        DimAx2: null,
        AmountDebit: null,
        AmountCredit: 250.5,
      },
    ]);
  });

  it('checks DiC1/DiC2 against the seeded cost centres and units, unless openReferences', () => {
    const allocated = (code: string) => ({
      ...line('8074', 0, '250.50'),
      Objects: { FiDimEntries: { Element: { Fields: { DiC1: code, AmCr: '250.50' } } } },
    });
    const body = (code: string) => entry([line('1300', '250.50', 0), allocated(code)]);
    const { db, exec } = bench();
    expect(faultOf(() => exec('POST', body('KPL99'))).texts.nl).toBe(
      "De ingevulde waarde bij 'Code verbijzonderingsas 1' bestaat niet.",
    );
    expect(db.rows('dim_entries')).toEqual([]);
    expect(bench({ openReferences: true }).exec('POST', body('KPL99')).status).toBe(201);
  });

  it('uses the default administration when UnId is absent', () => {
    const { db, exec } = bench({ defaultAdministration: 2 });
    db.seed('administrations', [{ AdminId: 2, AdminNm: 'Tweede BV', AdminCd: 'TWE' }]);
    db.seed('journals', [{ UnitId: 2, JournalId: '70', Description: 'Memoriaal' }]);
    db.seed('accounts', [
      { UnitId: 2, AccountNr: '8010', DimAx1: null },
      { UnitId: 2, AccountNr: '1510', DimAx1: null },
    ]);
    const body = entry([line('8010', 1, 0), line('1510', 0, 1)], { UnId: undefined });
    expect(exec('POST', body).body).toEqual({ results: { FiEntryPar: { UnId: '2', EnNo: '70001' } } });
    expect(db.rows('entries').map((row) => row.UnitId)).toEqual([2, 2]);
  });

  it('returns a given invoice number and does not generate one without AuNu', () => {
    const { exec } = bench();
    const body = entry([line('10004', 121, 0, { VaAs: '2', InId: 'VK004979' }), line('8010', 0, 121)]);
    expect(exec('POST', body).body).toEqual({
      results: { FiEntryPar: { UnId: '1', EnNo: '70001', InId: 'VK004979' } },
    });
    expect(exec('POST', entry([line('10004', 1, 0, { VaAs: '2' }), line('8010', 0, 1)])).body).toEqual({
      results: { FiEntryPar: { UnId: '1', EnNo: '70002' } },
    });
  });

  it('rolls back every element of a body when one fails', () => {
    const { db, exec } = bench();
    const good = entry([line('8010', 1, 0), line('1510', 0, 1)]).FiEntryPar.Element;
    const bad = entry([line('8010', 1, 0), line('1510', 0, 2)]).FiEntryPar.Element;
    expect(faultOf(() => exec('POST', { FiEntryPar: { Element: [good, bad] } })).localized('en-us')).toBe(
      'General message: Journal entry 70002 does not balance: debit 1, credit 2.',
    );
    expect(db.rows('entries')).toEqual([]);
    expect(db.journal()).toEqual([]);
    expect(exec('POST', { FiEntryPar: { Element: [good] } }).body).toEqual({
      results: { FiEntryPar: { UnId: '1', EnNo: '70001' } },
    });
  });

  it('does not update entries', () => {
    expect(
      faultOf(() => bench().exec('PUT', entry([line('8010', 1, 0), line('1510', 0, 1)]))).localized('nl-nl'),
    ).toBe("General message: De actie 'update' wordt niet ondersteund voor het object 'FiEntryPar'.");
  });
});

describe('FiEntries DELETE', () => {
  function booked() {
    const { db, exec } = bench();
    exec(
      'POST',
      entry([line('10004', 121, 0, { VaAs: '2' }), line('8010', 0, 121)], { JoCo: '73', AuNu: true }),
    );
    exec('POST', entry([line('8010', 1, 0), line('1510', 0, 1)], { JoCo: '73' }));
    return { db, exec };
  }

  it('deletes by …/FiEntryPar/UnId,JoCo/1,73/FiEntries/@EnNo/70001', () => {
    const { db, exec } = booked();
    expect(
      exec('DELETE', undefined, { rest: ['FiEntryPar', 'UnId,JoCo', '1,73', 'FiEntries', '@EnNo', '70001'] }),
    ).toEqual({ status: 200 });
    expect(db.rows('entries').map((row) => row.EntryNo)).toEqual([70002, 70002]);
  });

  it('deletes by invoice number with @ keys: …/@UnId,@JoCo/1,73/FiEntries/InId/IH000001', () => {
    const { db, exec } = booked();
    exec('DELETE', undefined, {
      rest: ['FiEntryPar', '@UnId,@JoCo', '1,73', 'FiEntries', 'InId', 'IH000001'],
    });
    expect(db.rows('entries').map((row) => row.EntryNo)).toEqual([70002, 70002]);
  });

  it.each<[string[], string]>([
    [
      ['FiEntryPar', 'UnId,JoCo', '1,73', 'FiEntries', '@EnNo', '12345'],
      "General message: The record with Entry number '12345' does not exist.",
    ],
    [
      ['FiEntryPar', 'UnId,JoCo', '1,20', 'FiEntries', '@EnNo', '70001'],
      "General message: The record with Entry number '70001' does not exist.",
    ],
    [
      ['FiEntries', 'UnId', '1', 'FiEntries', '@EnNo', '70001'],
      "General message: The object 'FiEntries' is not supported by this UpdateConnector; expected 'FiEntryPar'.",
    ],
    [
      ['FiEntryPar', '@Year', '2024'],
      'General message: Invalid delete request: name the entry with …/FiEntries/@EnNo/{number} or …/FiEntries/InId/{invoice}.',
    ],
    [
      ['FiEntryPar', 'UnId'],
      'General message: Invalid delete request: expected /FiEntryPar/{keys}/{values}[/{subobject}/{key}/{value}], got /FiEntryPar/UnId.',
    ],
  ])('refuses DELETE %j', (rest, message) => {
    const { db, exec } = booked();
    expect(faultOf(() => exec('DELETE', undefined, { rest })).localized('en-us')).toBe(message);
    expect(db.rows('entries')).toHaveLength(4);
  });
});
