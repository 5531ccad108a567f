import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Seed, type Simulator, startSimulator } from '../src/index.js';
import { call, DEMO_TOKEN, rows } from './helpers/http.js';

const person = (BcId: number, fields: Record<string, string | null>) => ({
  BcId,
  BcCo: String(99 + BcId),
  ...fields,
});

const seed: Seed = {
  environments: [
    {
      id: '12345',
      envCode: 'T12345AA',
      tokens: [{ data: DEMO_TOKEN, user: '12345.TEST', appConnector: 'Test' }],
      appConnectors: [
        {
          name: 'Test',
          getConnectors: [
            'Profit_Persons',
            'Koppel_Bench_Rows',
            'Profit_Addresses',
            'Profit_Administrations',
          ],
          blockedGetConnectors: ['Profit_Debtor'],
        },
      ],
      generate: { bench_rows: 250 },
      tables: {
        persons: [
          person(1, {
            FirstName: 'Anna',
            LastName: 'de Vries',
            Gender: 'V',
            BirthDate: '1990-01-15',
            Email: 'anna@x.nl',
            CreateDate: '2024-03-01T10:00:00',
          }),
          person(2, {
            FirstName: 'Bram',
            LastName: 'Jansen',
            Gender: 'M',
            BirthDate: '1985-06-30',
            Email: null,
            CreateDate: '2024-03-01T10:00:01',
          }),
          person(3, {
            FirstName: 'Chantal',
            LastName: 'Janssen',
            Gender: 'V',
            BirthDate: null,
            Email: 'chantal@y.com',
            CreateDate: '2024-03-02T00:00:00',
          }),
          person(4, {
            FirstName: 'Daan',
            LastName: 'Bakker',
            Gender: 'M',
            BirthDate: '2000-02-29',
            Email: '',
            CreateDate: '2025-01-01T00:00:00',
          }),
          person(5, {
            FirstName: 'Eva',
            LastName: 'van Dijk',
            Gender: 'V',
            BirthDate: '1990-01-15',
            Email: 'EVA@X.NL',
            CreateDate: '2025-06-15T12:30:00',
          }),
        ],
        administrations: [
          { AdminId: 1, AdminNm: 'Internet Services B.V.', AdminCd: 'INT' },
          { AdminId: 2, AdminNm: 'Internet Holding', AdminCd: 'IH' },
          { AdminId: 3, AdminNm: 'Derde', AdminCd: 'D' },
        ],
        addresses: [{ AddressId: 7, BcId: 1, PoBox: true, Address: 'Postbus', Number: 12, Country: 'NL' }],
      },
    },
  ],
};

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed });
});
afterAll(() => sim.close());

const ids = async (query: string): Promise<number[]> =>
  (await rows(sim, 'Profit_Persons', query)).map((row) => row.BcId as number);
const simple = (fields: string, values: string, operators: string): string =>
  `filterfieldids=${encodeURIComponent(fields)}&filtervalues=${encodeURIComponent(values)}&operatortypes=${encodeURIComponent(operators)}`;

describe('GetConnector filters', () => {
  const cases: [name: string, query: string, expected: number[]][] = [
    ['1 = (case-insensitive)', simple('LastName', 'jansen', '1'), [2]],
    ['1 = on an int', simple('BcId', '3', '1'), [3]],
    ['2 >=', simple('BcId', '4', '2'), [4, 5]],
    ['3 <=', simple('BcId', '2', '3'), [1, 2]],
    ['4 >', simple('BcId', '4', '4'), [5]],
    ['5 <', simple('BcId', '2', '5'), [1]],
    ['6 contains', simple('LastName', 'jans', '6'), [2, 3]],
    ['7 !=', simple('Gender', 'V', '7'), [2, 4]],
    ['8 is empty (null and empty string; value ignored)', simple('Email', 'ignored', '8'), [2, 4]],
    ['9 is not empty (value ignored)', simple('Email', '', '9'), [1, 3, 5]],
    ['10 starts with', simple('FirstName', 'ch', '10'), [3]],
    ['11 does not contain', simple('LastName', 'jans', '11'), [1, 4, 5]],
    ['12 does not start with', simple('FirstName', 'a', '12'), [2, 3, 4, 5]],
    ['13 ends with', simple('Email', '.nl', '13'), [1, 5]],
    ['14 does not end with', simple('Email', '.nl', '14'), [3, 4]],
    ['15 quick filter = case-insensitive contains', simple('FirstName', 'AN', '15'), [1, 3, 4]],
    ['regex characters in values are literal', simple('FirstName', 'a.n', '6'), []],
    ['case-insensitive beyond ASCII', simple('LastName', 'VAN DIJK', '13'), [5]],
    ['% tolerated with contains', simple('LastName', '%jans%', '6'), [2, 3]],
    ['% tolerated with starts with', simple('FirstName', 'ch%', '10'), [3]],
    ['% tolerated with =', simple('LastName', '%Jansen', '1'), [2]],
    ['AND inside a group (,)', simple('Gender,BirthDate', 'V,1990-01-15', '1,1'), [1, 5]],
    ['OR between groups (;)', simple('Gender;BcId', 'V;4', '1;1'), [1, 3, 4, 5]],
    ['AND and OR', simple('Gender,LastName;BcId', 'M,jans;1', '1,6;1'), [1, 2]],
    ['operators default to =', `filterfieldids=Gender&filtervalues=M`, [2, 4]],
    ['date >= (date-only value)', simple('BirthDate', '2000-01-01', '2'), [4]],
    ['datetime >= at the second', simple('CreateDate', '2024-03-01T10:00:01', '2'), [2, 3, 4, 5]],
    ['date-only value equals midnight', simple('CreateDate', '2024-03-02', '1'), [3]],
    ['null never matches a comparison', simple('BirthDate', '1900-01-01', '4'), [1, 2, 4, 5]],
    [
      'filterjson, operator as string and as number, OR of two filters',
      `filterjson=${encodeURIComponent(
        JSON.stringify({
          Filters: {
            Filter: [
              {
                '@FilterId': 'Filter 1',
                Field: [
                  { '@FieldId': 'Gender', '@OperatorType': '1', '#text': 'V' },
                  { '@FieldId': 'FirstName', '@OperatorType': 6, '#text': 'a' },
                ],
              },
              { '@FilterId': 'Filter 2', Field: { '@FieldId': 'BcId', '@OperatorType': 1, '#text': '2' } },
            ],
          },
        }),
      )}`,
      [1, 2, 3, 5],
    ],
    [
      'filterjson with a value holding , and ;',
      `filterjson=${encodeURIComponent(JSON.stringify({ Filters: { Filter: { Field: { '@FieldId': 'LastName', '@OperatorType': '7', '#text': 'a,b;c' } } } }))}`,
      [1, 2, 3, 4, 5],
    ],
  ];
  it.each(cases)('%s', async (_name, query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });
});

describe('reference examples', () => {
  it('the §2.4 filterjson example selects (AdminId 1 AND name contains Internet) OR AdminId 3', async () => {
    const filterjson =
      '{"Filters": {"Filter": [{"@FilterId": "Filter 1", "Field": [{"@FieldId": "AdminId", "@OperatorType": "1", "#text": "1"}, {"@FieldId": "AdminNm", "@OperatorType": "6", "#text": "Internet"}]}, {"@FilterId": "Filter 2", "Field": [{"@FieldId": "AdminId", "@OperatorType": "1", "#text": "3"}]}]}}';
    const reply = await call(
      sim,
      `/connectors/Profit_Administrations?filterjson=${encodeURIComponent(filterjson)}&skip=0&take=100&orderbyfieldids=AdminId`,
    );
    expect(reply.text).toBe(
      '{"skip":0,"take":100,"rows":[{"AdminId":1,"AdminNm":"Internet Services B.V.","AdminCd":"INT"},{"AdminId":3,"AdminNm":"Derde","AdminCd":"D"}]}',
    );
  });

  it('the §2.4 simple-filter example: (A=1 AND B contains x) OR (C=y)', async () => {
    const query =
      'filterfieldids=AdminId,AdminNm;AdminCd&filtervalues=2,hold;D&operatortypes=1,6;1&orderbyfieldids=-AdminId';
    expect((await rows(sim, 'Profit_Administrations', query)).map((r) => r.AdminId)).toEqual([3, 2]);
  });
});

describe('GetConnector sorting and paging', () => {
  it('sorts on several fields, - for descending, nulls first ascending', async () => {
    expect(await ids('orderbyfieldids=-BirthDate,BcId')).toEqual([4, 1, 5, 2, 3]);
    expect(await ids('orderbyfieldids=BirthDate,-BcId')).toEqual([3, 2, 5, 1, 4]);
  });

  it('sorts strings case-insensitively', async () => {
    expect(await ids('orderbyfieldids=LastName')).toEqual([4, 1, 2, 3, 5]);
  });

  it('echoes skip and take', async () => {
    const reply = await call(sim, '/connectors/Profit_Persons?skip=1&take=2&orderbyfieldids=BcId');
    expect(reply.json).toMatchObject({ skip: 1, take: 2 });
    expect((reply.json as { rows: { BcId: number }[] }).rows.map((r) => r.BcId)).toEqual([2, 3]);
  });

  it('takes 100 rows by default', async () => {
    const reply = await call(sim, '/connectors/Koppel_Bench_Rows?orderbyfieldids=RowId');
    const body = reply.json as { skip: number; take: number; rows: { RowId: number }[] };
    expect([body.skip, body.take, body.rows.length, body.rows[99]?.RowId]).toEqual([0, 100, 100, 100]);
  });

  it('skip=-1 returns everything, with or without take=-1', async () => {
    for (const query of ['skip=-1&take=-1', 'skip=-1', 'skip=-1&take=5']) {
      const body = (await call(sim, `/connectors/Koppel_Bench_Rows?${query}`)).json as {
        skip: number;
        take: number;
        rows: unknown[];
      };
      expect([body.skip, body.take, body.rows.length]).toEqual([-1, -1, 250]);
    }
  });

  it('take=-1 without skip=-1 is a 500 unexpected error', async () => {
    const reply = await call(sim, '/connectors/Koppel_Bench_Rows?skip=2&take=-1', {
      headers: { 'accept-language': 'en-us' },
    });
    expect(reply.status).toBe(500);
    expect(reply.json).toEqual({
      externalMessage: 'An unexpected error has occurred.',
      errorNumber: -2147180999,
      profitLogReference: expect.stringMatching(/^[0-9A-F]{32}$/),
    });
  });

  it('skip below -1 or not numeric counts as 0', async () => {
    for (const skip of ['-5', 'abc', '']) {
      const body = (await call(sim, `/connectors/Profit_Persons?skip=${skip}&orderbyfieldids=BcId`)).json as {
        skip: number;
        rows: { BcId: number }[];
      };
      expect([body.skip, body.rows[0]?.BcId]).toEqual([0, 1]);
    }
  });

  it('take=0 returns no rows', async () => {
    expect(await ids('take=0')).toEqual([]);
  });

  it('pages a generated table consistently when sorted', async () => {
    const all = (await rows(sim, 'Koppel_Bench_Rows', 'skip=-1&take=-1&orderbyfieldids=-Amount,RowId')).map(
      (r) => r.RowId,
    );
    const paged: unknown[] = [];
    for (let skip = 0; skip < 250; skip += 60) {
      paged.push(
        ...(await rows(sim, 'Koppel_Bench_Rows', `skip=${skip}&take=60&orderbyfieldids=-Amount,RowId`)).map(
          (r) => r.RowId,
        ),
      );
    }
    expect(paged).toEqual(all);
    expect(new Set(all).size).toBe(250);
  });

  it('seeks sorted scans on range filters with the same rows as a full scan', async () => {
    const all = await rows(sim, 'Koppel_Bench_Rows', 'skip=-1&take=-1');
    const cases: [query: string, keep: (r: Record<string, unknown>) => boolean, sort: string][] = [
      [simple('RowId', '200', '4'), (r) => (r.RowId as number) > 200, 'RowId'],
      [simple('RowId', '10', '5'), (r) => (r.RowId as number) < 10, '-RowId'],
      [simple('RowId', '100', '3'), (r) => (r.RowId as number) <= 100, '-RowId'],
      [
        simple('Amount,Active', '1000.5,1', '2,1'),
        (r) => (r.Amount as number) >= 1000.5 && r.Active === true,
        'Amount,RowId',
      ],
      [simple('BookDate', '2024-06-01', '2'), (r) => String(r.BookDate) >= '2024-06-01', 'BookDate,RowId'],
      [
        simple('ModifiedAt', '2023-01-01T12:00:00', '1'),
        (r) => r.ModifiedAt === '2023-01-01T12:00:00Z',
        'ModifiedAt',
      ],
      [simple('RowId;RowId', '240;3', '4;1'), (r) => (r.RowId as number) > 240 || r.RowId === 3, 'RowId'],
    ];
    for (const [filter, keep, sort] of cases) {
      const got = (await rows(sim, 'Koppel_Bench_Rows', `${filter}&orderbyfieldids=${sort}&skip=-1`)).map(
        (r) => r.RowId,
      );
      const sorted = (await rows(sim, 'Koppel_Bench_Rows', `orderbyfieldids=${sort}&skip=-1`))
        .filter(keep)
        .map((r) => r.RowId);
      expect(got).toEqual(sorted);
      expect(got.length).toBe(all.filter(keep).length);
    }
  });

  it('answers 404 for a query string longer than 2049 characters (with the ?)', async () => {
    const pad = (length: number) => `filterfieldids=BcId&filtervalues=1&x=${'a'.repeat(length - 37)}`;
    expect(pad(2048).length).toBe(2048);
    expect((await call(sim, `/connectors/Profit_Persons?${pad(2048)}`)).status).toBe(200);
    expect((await call(sim, `/connectors/Profit_Persons?${pad(2049)}`)).status).toBe(404);
  });
});

describe('GetConnector values and errors', () => {
  it('renders datetimes with Z, dates at midnight, nulls, native numbers and booleans', async () => {
    const [anna] = await rows(sim, 'Profit_Persons', 'filterfieldids=BcId&filtervalues=1&operatortypes=1');
    expect(anna).toMatchObject({
      BcId: 1,
      BirthDate: '1990-01-15T00:00:00Z',
      CreateDate: '2024-03-01T10:00:00Z',
      Prefix: null,
      ModifiedDate: null,
    });
    const [address] = await rows(sim, 'Profit_Addresses', '');
    expect(address).toEqual({
      AddressId: 7,
      BcId: 1,
      Kind: null,
      PoBox: true,
      Address: 'Postbus',
      Number: 12,
      NumberAdd: null,
      ZipCode: null,
      Recidence: null,
      Country: 'NL',
      CreateDate: null,
      ModifiedDate: null,
    });
  });

  it('returns compact one-line JSON with the Profit headers', async () => {
    const reply = await call(sim, '/connectors/Profit_Addresses');
    expect(reply.text).toBe(
      '{"skip":0,"take":100,"rows":[{"AddressId":7,"BcId":1,"Kind":null,"PoBox":true,"Address":"Postbus","Number":12,"NumberAdd":null,"ZipCode":null,"Recidence":null,"Country":"NL","CreateDate":null,"ModifiedDate":null}]}',
    );
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store, no-cache');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['access-control-allow-origin']).toBe('*');
  });

  const errors: [name: string, path: string, language: string, message: string][] = [
    [
      'unknown filter field (en)',
      '/connectors/Profit_Persons?filterfieldids=Nope&filtervalues=1&operatortypes=1',
      'en-us',
      "Connector field 'Nope' not found",
    ],
    [
      'unknown filter field (nl)',
      '/connectors/Profit_Persons?filterfieldids=Nope&filtervalues=1&operatortypes=1',
      'nl-nl',
      "Connector-veld 'Nope' niet gevonden",
    ],
    [
      'unknown sort field',
      '/connectors/Profit_Persons?orderbyfieldids=-Nope',
      'en-us',
      "Connector field 'Nope' not found",
    ],
    [
      'not in the App Connector (en)',
      '/connectors/Profit_Creditor',
      'en-us',
      'GetConnector not supported for this app or the user is not authorized',
    ],
    [
      'not in the App Connector (nl)',
      '/connectors/Profit_Creditor',
      'nl-nl',
      'GetConnector niet ondersteund voor deze app of de gebruiker is niet geautoriseerd',
    ],
    [
      'wrong case of the connector id',
      '/connectors/profit_persons',
      'en-us',
      'GetConnector not supported for this app or the user is not authorized',
    ],
    ['blocked (en)', '/connectors/Profit_Debtor', 'en-us', 'This GetConnector (definition) is blocked'],
    ['blocked (nl)', '/connectors/Profit_Debtor', 'nl-nl', 'Deze GetConnector (definitie) is geblokkeerd'],
    [
      'unknown operator',
      '/connectors/Profit_Persons?filterfieldids=BcId&filtervalues=1&operatortypes=16',
      'en-us',
      'An unexpected error has occurred.',
    ],
    [
      'lists of different lengths',
      '/connectors/Profit_Persons?filterfieldids=BcId,Gender&filtervalues=1&operatortypes=1,1',
      'en-us',
      'An unexpected error has occurred.',
    ],
    [
      'bad filterjson',
      '/connectors/Profit_Persons?filterjson=%7Bnope',
      'en-us',
      'An unexpected error has occurred.',
    ],
    [
      'text compared to an int',
      '/connectors/Profit_Persons?filterfieldids=BcId&filtervalues=abc&operatortypes=1',
      'en-us',
      'An unexpected error has occurred.',
    ],
  ];
  it.each(errors)('%s -> 500 with the Profit text', async (_name, path, language, message) => {
    const reply = await call(sim, path, { headers: { 'accept-language': language } });
    expect(reply.status).toBe(500);
    expect((reply.json as { externalMessage: string }).externalMessage).toBe(message);
    expect(Buffer.from(String(reply.headers['x-profit-error']), 'base64').toString('utf8')).toBe(message);
  });

  it('matches connector ids regardless of case when asked to', async () => {
    const relaxed = await startSimulator({ seed, fidelity: { ignoreConnectorCase: true } });
    try {
      const reply = await call(relaxed, '/connectors/profit_persons?take=1');
      expect(reply.status).toBe(200);
    } finally {
      await relaxed.close();
    }
  });
});
