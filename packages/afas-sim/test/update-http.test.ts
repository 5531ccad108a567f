import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afasTokenHeader, type Simulator, startSimulator, steppingClock } from '../src/index.js';
import { SALES_WITH_VAT } from './helpers/bodies.js';
import { DEMO_TOKEN } from './helpers/http.js';

let sim: Simulator;

beforeEach(async () => {
  sim = await startSimulator({ clock: steppingClock('2024-03-01T09:00:00') });
});
afterEach(async () => {
  await sim.close();
});

async function call(method: string, path: string, body?: unknown, language = 'nl-nl') {
  const response = await fetch(`${sim.baseUrl()}${path}`, {
    method,
    headers: {
      Authorization: afasTokenHeader(DEMO_TOKEN),
      'Accept-Language': language,
      'Content-Type': 'application/json;charset=utf-8',
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: text ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
}

const rows = async (connector: string, field: string, value: string) =>
  (
    await call(
      'GET',
      `/connectors/${connector}?filterfieldids=${field}&filtervalues=${encodeURIComponent(value)}&operatortypes=1`,
    )
  ).json.rows as Record<string, unknown>[];

describe('UpdateConnectors over HTTP', () => {
  it('POST KnPerson -> 201 results; the person is readable through Profit_Persons and Profit_Addresses', async () => {
    const body = {
      KnPerson: {
        Element: {
          Fields: {
            AutoNum: '1',
            MatchPer: '7',
            FiNm: 'Jan',
            In: 'J.',
            LaNm: 'Koppeltest',
            ViGe: 'M',
            DaBi: '1967-04-07',
          },
          Objects: [
            {
              KnBasicAddressAdr: {
                Element: {
                  Fields: { Ad: 'Raadhuislaan', HmNr: '105', ZpCd: '3833LC', CoId: 'NL', Rs: 'Leusden' },
                },
              },
            },
          ],
        },
      },
    };
    const posted = await call('POST', '/connectors/KnPerson', body);
    expect(posted.status).toBe(201);
    expect(Object.keys(posted.json.results.KnPerson)).toEqual(['BcCo', 'BcId']);
    const { BcCo, BcId } = posted.json.results.KnPerson as { BcCo: string; BcId: string };
    expect(BcCo).toMatch(/^\d+$/);
    expect(await rows('Profit_Persons', 'BcCo', BcCo)).toMatchObject([
      {
        BcId: Number(BcId),
        BcCo,
        FirstName: 'Jan',
        LastName: 'Koppeltest',
        Gender: 'M',
        BirthDate: '1967-04-07T00:00:00Z',
        Email: null,
      },
    ]);
    expect(await rows('Profit_Addresses', 'BcId', BcId)).toMatchObject([
      { Kind: 'ADR', Address: 'Raadhuislaan', Number: 105, ZipCode: '3833LC', Country: 'NL', PoBox: false },
    ]);
  });

  it('POST FiEntries (reference §3.5) -> 201 FiEntryPar; lines readable through Profit_Fin_Entries; DELETE removes them', async () => {
    const posted = await call('POST', '/connectors/FiEntries', SALES_WITH_VAT);
    expect(posted.status).toBe(201);
    const result = posted.json.results.FiEntryPar as { UnId: string; EnNo: string; InId: string };
    expect(Object.keys(result)).toEqual(['UnId', 'EnNo', 'InId']);
    expect(result.UnId).toBe('1');
    const lines = await rows('Profit_Fin_Entries', 'EntryNo', result.EnNo);
    expect(lines.map((row) => [row.AccountNo, row.AmountDebit, row.AmountCredit, row.InvoiceId])).toEqual([
      ['10004', 12100, 0, result.InId],
      ['8010', 0, 10000, null],
      ['1510', 0, 2100, null],
    ]);
    const deleted = await call(
      'DELETE',
      `/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,20/FiEntries/@EnNo/${result.EnNo}`,
    );
    expect(deleted).toMatchObject({ status: 200, text: '' });
    expect(await rows('Profit_Fin_Entries', 'EntryNo', result.EnNo)).toEqual([]);
  });

  it.each([
    ['nl-nl', 'General message: Journaalpost'],
    ['en-us', 'General message: Journal entry'],
  ])('answers an unbalanced entry with the §5.2 500 body in %s, storing nothing', async (language, start) => {
    const body = structuredClone(SALES_WITH_VAT);
    const first = body.FiEntryPar.Element.Objects.FiEntries.Element[0];
    if (first) first.Fields.AmDe = '12100.01';
    const answer = await call('POST', '/connectors/FiEntries', body, language);
    expect(answer.status).toBe(500);
    expect(Object.keys(answer.json)).toEqual(['externalMessage', 'errorNumber', 'profitLogReference']);
    expect(answer.json.externalMessage).toMatch(new RegExp(`^${start} \\d+ `));
    expect(answer.json.externalMessage).toContain('12100.01');
    expect(answer.json.errorNumber).toBe(-2147180996);
    expect(answer.json.profitLogReference).toMatch(/^[0-9A-F]{32}$/);
    expect(Buffer.from(answer.headers.get('x-profit-error') ?? '', 'base64').toString('utf8')).toBe(
      answer.json.externalMessage,
    );
    expect(await rows('Profit_Fin_Entries', 'InvoiceId', 'IH000001')).toEqual([]);
  });

  it('answers an unknown code with -2147220469 and takes AFAS codes in fr-fr too', async () => {
    const person = (gender: string) => ({
      KnPerson: { Element: { Fields: { AutoNum: true, LaNm: 'Dupont', ViGe: gender } } },
    });
    const wrong = await call('POST', '/connectors/KnPerson', person('H'), 'fr-fr');
    expect(wrong.status).toBe(500);
    expect(wrong.json).toMatchObject({
      externalMessage: "La valeur saisie pour 'Sexe' n'existe pas.",
      errorNumber: -2147220469,
    });
    const right = await call('POST', '/connectors/KnPerson', person('M'), 'fr-fr');
    expect(right.status).toBe(201);
    expect(await rows('Profit_Persons', 'BcCo', right.json.results.KnPerson.BcCo)).toMatchObject([
      { LastName: 'Dupont', Gender: 'M' },
    ]);
  });

  it('PUT answers 200 with an empty body; a wrong-shaped body is a 500 General message', async () => {
    const posted = await call('POST', '/connectors/KnOrganisation', {
      KnOrganisation: { Element: { Fields: { AutoNum: true, Nm: 'Koppel BV' } } },
    });
    const { BcCo } = posted.json.results.KnOrganisation as { BcCo: string };
    const put = await call('PUT', '/connectors/KnOrganisation', {
      KnOrganisation: { Element: { Fields: { MatchOga: '0', BcCo, EmAd: 'info@koppel.example' } } },
    });
    expect(put).toMatchObject({ status: 200, text: '' });
    expect(await rows('Profit_Organisations', 'BcCo', BcCo)).toMatchObject([
      { Name: 'Koppel BV', Email: 'info@koppel.example' },
    ]);
    const bad = await call(
      'POST',
      '/connectors/KnOrganisation',
      { KnOrganisation: { Element: 42 } },
      'en-us',
    );
    expect(bad.status).toBe(500);
    expect(bad.json.externalMessage).toBe(
      "General message: Invalid request: 'KnOrganisation.Element[0]' must be an object.",
    );
  });

  it('POST /connectors/KnSubject/KnSubjectAttachment adds a file readable through the subject connector', async () => {
    const created = await call('POST', '/connectors/KnSubject', {
      KnSubject: { Element: { Fields: { StId: 4, Ds: 'Contract' } } },
    });
    const { SbId } = created.json.results.KnSubject as { SbId: string };
    const attach = {
      KnSubject: {
        Element: {
          '@SbId': SbId,
          Objects: {
            KnSubjectAttachment: { Element: { Fields: { FileName: 'a.txt', FileStream: 'aGFsbG8=' } } },
          },
        },
      },
    };
    expect((await call('POST', '/connectors/KnSubject/KnSubjectAttachment', attach)).json).toEqual({
      results: { KnSubject: { SbId } },
    });
    expect(await rows('Profit_Subjects', 'SbId', SbId)).toMatchObject([
      { SbId: Number(SbId), SubjectType: 4, Description: 'Contract' },
    ]);
    expect((await call('GET', `/subjectconnector/${SbId}`)).json).toEqual({
      filename: 'a.txt',
      mimetype: 'text/plain',
      filedata: 'aGFsbG8=',
    });
  });

  it('serves the engine metainfo per language and lists the connectors in /metainfo', async () => {
    const nl = await call('GET', '/metainfo/update/FiEntries');
    expect(nl.status).toBe(200);
    expect(nl.json).toMatchObject({ id: 'FiEntries', name: 'FiEntryPar', description: 'Financiële mutatie' });
    const en = await call('GET', '/metainfo/update/KnPerson', undefined, 'fr-fr');
    const gender = (en.json.fields as { fieldId: string; values: { id: string }[] }[]).find(
      (field) => field.fieldId === 'ViGe',
    );
    expect(gender?.values.map((value) => value.id)).toEqual(['M', 'O', 'V', 'X']);
    const list = await call('GET', '/metainfo');
    const listed = (list.json.updateConnectors as { id: string }[]).map((connector) => connector.id);
    expect(listed).toHaveLength(169);
    expect(listed).toEqual(expect.arrayContaining(['FiEntries', 'KnPerson', 'KnSubject', 'PtRealization']));
  });

  it('answers a DELETE of something absent with a 500 and leaves the rest', async () => {
    const answer = await call('DELETE', '/connectors/KnSubject/KnSubject/@SbId/999999', undefined, 'en-us');
    expect(answer.status).toBe(500);
    expect(answer.json.externalMessage).toBe(
      "General message: The record with Subject '999999' does not exist.",
    );
  });
});
