import { describe, expect, it } from 'vitest';
import { steppingClock } from '../src/clock.js';
import { SimDatabase } from '../src/db.js';
import { ERROR_NUMBERS, ProfitFault } from '../src/profit-fault.js';
import { createUpdateEngine, seedReferenceData } from '../src/update/index.js';
import type { UpdateRequest } from '../src/update-engine.js';

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASES: Record<string, unknown> = {
  KnPerson: {
    KnPerson: {
      Element: {
        Fields: {
          AutoNum: true,
          MatchPer: '2',
          LaNm: 'Smit',
          ViGe: 'V',
          DaBi: '1980-01-01',
          SoSe: '111222333',
        },
        Objects: {
          KnBasicAddressAdr: { Element: { Fields: { Ad: 'Straat', HmNr: 1, Rs: 'Ede', CoId: 'NL' } } },
        },
      },
    },
  },
  KnOrganisation: {
    KnOrganisation: {
      Element: {
        Fields: { AutoNum: true, MatchOga: '4', Nm: 'Acme' },
        Objects: [
          {
            KnBasicAddressAdr: {
              Element: { Fields: { Ad: 'Straat', HmNr: 1, ZpCd: '1234AB', Rs: 'Ede', CoId: 'NL' } },
            },
          },
          {
            KnContact: {
              Element: {
                Fields: { ViKc: 'PRS' },
                Objects: { KnPerson: { Element: { Fields: { AutoNum: true, LaNm: 'X', ViGe: 'M' } } } },
              },
            },
          },
        ],
      },
    },
  },
  KnSalesRelationOrg: {
    KnSalesRelationOrg: {
      Element: {
        Fields: { CuId: 'EUR', InPv: 'E' },
        Objects: { KnOrganisation: { Element: { Fields: { AutoNum: true, MatchOga: '6', Nm: 'N' } } } },
      },
    },
  },
  KnSubject: {
    KnSubject: {
      Element: {
        '@SbId': 1,
        Fields: { StId: 4, Ds: 'D', Da: '2024-01-01T10:00:00' },
        Objects: [
          { KnSubjectAttachment: { Element: { Fields: { FileName: 'a.txt', FileStream: 'YQ==' } } } },
        ],
      },
    },
  },
  FiEntries: {
    FiEntryPar: {
      Element: {
        Fields: { Year: 2024, Peri: 3, JoCo: '70', AuNu: true },
        Objects: {
          FiEntries: {
            Element: [
              {
                Fields: {
                  VaAs: '2',
                  AcNr: '10004',
                  EnDa: '2024-03-01',
                  BpDa: '2024-03-01',
                  AmDe: '1.10',
                  AmCr: 0,
                },
              },
              {
                Fields: {
                  VaAs: '1',
                  AcNr: '8074',
                  EnDa: '2024-03-01',
                  BpDa: '2024-03-01',
                  AmDe: 0,
                  AmCr: '1.1',
                },
                Objects: { FiDimEntries: { Element: { Fields: { DiC1: 'K1', AmCr: '1.1' } } } },
              },
            ],
          },
        },
      },
    },
  },
};

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e21,
  '',
  ' ',
  'x',
  '@',
  '2024-02-30',
  true,
  false,
  [],
  {},
  [{}],
  { Element: null },
  { Element: [1] },
  '😀'.repeat(300),
];

function mutate(value: unknown, next: () => number, depth = 0): unknown {
  if (next() < 0.15) return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
  if (Array.isArray(value)) {
    const items = value.map((item) => mutate(item, next, depth + 1));
    return next() < 0.1 ? [...items, ...items] : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(() => next() > 0.05)
      .map(([key, item]) => [next() < 0.03 ? key.toLowerCase() : key, mutate(item, next, depth + 1)]);
    if (next() < 0.05)
      entries.push(['@Action', ['insert', 'update', 'delete', 'DELETE', 'nope'][Math.floor(next() * 5)]]);
    return Object.fromEntries(entries);
  }
  return value;
}

describe('the engine never fails with anything but a functional ProfitFault', () => {
  it.each(Object.keys(BASES))(
    '%s survives 1500 mutated bodies (POST/PUT) and odd DELETE paths',
    (connector) => {
      const db = new SimDatabase(steppingClock('2024-03-01T09:00:00'));
      seedReferenceData(db);
      const engine = createUpdateEngine({ multiElementResults: 'array' });
      const next = random(connector.length * 7919);
      const outcomes = { ok: 0, fault: 0 };
      const run = (request: Omit<UpdateRequest, 'db' | 'language' | 'connector'>) => {
        try {
          engine.execute({ ...request, connector, db, language: next() < 0.5 ? 'nl-nl' : 'fr-fr' });
          outcomes.ok++;
        } catch (error) {
          expect(error).toBeInstanceOf(ProfitFault);
          expect({
            body: request.body,
            rest: request.rest,
            errorNumber: (error as ProfitFault).errorNumber,
            cause: String((error as Error).cause),
          }).not.toMatchObject({
            errorNumber: ERROR_NUMBERS.unexpected,
          });
          outcomes.fault++;
        }
      };
      for (let i = 0; i < 1500; i++) {
        run({
          method: next() < 0.8 ? 'POST' : 'PUT',
          rest: [],
          body: i % 10 === 0 ? BASES[connector] : mutate(BASES[connector], next),
        });
      }
      for (const rest of [
        [],
        ['x'],
        ['a', 'b', 'c'],
        ['a', '@,', ','],
        ['FiEntryPar', 'UnId', '1', 'FiEntries', 'EnNo', 'abc'],
        ['KnSubject', '@SbId', 'NaN'],
      ]) {
        run({ method: 'DELETE', rest, body: undefined });
      }
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.fault).toBeGreaterThan(10);
    },
  );
});
