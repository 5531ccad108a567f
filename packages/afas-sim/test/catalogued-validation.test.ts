import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, catalogSpec, deleteKeys, subRecordEndpoints } from '../src/catalog/index.js';
import { type Simulator, startSimulator, steppingClock } from '../src/index.js';
import { AFAS_COUNTRIES, COUNTRY_FIELDS } from '../src/update/references.js';
import type { FieldSpec } from '../src/update/spec.js';
import { bench, faultOf } from './helpers/engine.js';
import { call } from './helpers/http.js';

/** Connectors with a plug-in; their rules have their own tests (update-*.test.ts). */
const PLUG_INS = new Set([
  'KnPerson',
  'KnOrganisation',
  'KnSalesRelationOrg',
  'KnPurchaseRelationOrg',
  'KnSubject',
  'FiEntries',
]);

/** A value AFAS accepts for a field: its first code, a known country or currency, else one of its type. */
function validValue(field: FieldSpec): unknown {
  if (field.values?.[0]) return field.values[0].id;
  if (COUNTRY_FIELDS.has(field.id)) return 'NL';
  if (field.id === 'CuId') return 'EUR';
  switch (field.dataType) {
    case 'int':
    case 'long':
      return 7;
    case 'decimal':
      return '12.5';
    case 'boolean':
      return true;
    case 'date':
      return field.datetime ? '2024-03-01T09:30:00' : '2024-03-01';
    case 'blob':
      return 'S29wcGVs';
    default:
      return field.length > 0 && field.length < 3 ? 'K'.repeat(field.length) : 'K01';
  }
}

/** The fields of a valid insert: every field AFAS requires on POST, plus the DELETE keys. */
function validFields(id: string): Record<string, unknown> {
  const spec = catalogSpec(id);
  if (!spec) throw new Error(`no spec for ${id}`);
  const entry = CATALOG.connectors[id];
  const keys = new Set(entry ? deleteKeys(entry).flat() : []);
  return Object.fromEntries(
    spec.fields
      .filter((field) => field.mandatory || keys.has(field.id))
      .map((field) => [field.id, validValue(field)]),
  );
}

const bodyOf = (root: string, fields: Record<string, unknown>, objects?: Record<string, unknown>) => ({
  [root]: { Element: { Fields: fields, ...(objects ? { Objects: objects } : {}) } },
});

/** Connector ids without a plug-in, by AFAS spec area ("family"). */
const families = new Map<string, string[]>();
for (const [id, entry] of Object.entries(CATALOG.connectors)) {
  if (PLUG_INS.has(id) || !entry.POST) continue;
  families.set(entry.area, [...(families.get(entry.area) ?? []), id]);
}

describe('AFAS country codes', () => {
  it('are the vehicle-registration style codes AFAS lists, not ISO 3166', () => {
    for (const code of ['NL', 'B', 'D', 'F', 'GB', 'USA', 'P', 'E', 'L', 'CH', 'A']) {
      expect(AFAS_COUNTRIES.has(code)).toBe(true);
    }
    for (const iso of ['BE', 'DE', 'FR', 'US', 'ES', 'PT', 'LU', '000'])
      expect(AFAS_COUNTRIES.has(iso)).toBe(false);
  });
});

describe.each([...families.entries()])('catalogued UpdateConnectors, family %s', (_area, ids) => {
  it.each(ids)('%s: accepts a valid insert and refuses each broken constraint once', (id) => {
    const spec = catalogSpec(id);
    const entry = CATALOG.connectors[id];
    if (!spec || !entry) throw new Error(`no catalog entry for ${id}`);
    const root = spec.name;
    const fields = validFields(id);
    const refused = (body: unknown, extra: { rest?: string[]; method?: 'POST' | 'PUT' | 'DELETE' } = {}) => {
      const { db, exec } = bench();
      const fault = faultOf(() => exec(id, extra.method ?? 'POST', body, { rest: extra.rest ?? [] }));
      expect(db.rows(`catalog:${id}`)).toEqual([]);
      return fault.localized('en-us');
    };

    // Valid: 201 with the key values sent.
    const { db, exec } = bench();
    const accepted = exec(id, 'POST', bodyOf(root, fields));
    expect(accepted.status).toBe(201);
    expect(db.rows(`catalog:${id}`)).toHaveLength(1);

    // Unknown field.
    expect(refused(bodyOf(root, { ...fields, XxNope: 'x' }))).toBe(
      `General message: The field 'XxNope' does not exist in the object '${root}'.`,
    );
    // Required on POST.
    const required = spec.fields.find((field) => field.mandatory);
    if (required) {
      const { [required.id]: _dropped, ...rest } = fields;
      expect(refused(bodyOf(root, rest))).toBe(`Enter a value for '${required.label.en}'.`);
    }
    // Type.
    const typed = spec.fields.find((field) => ['int', 'decimal', 'date', 'boolean'].includes(field.dataType));
    if (typed) {
      expect(refused(bodyOf(root, { ...fields, [typed.id]: 'not-a-value' }))).toMatch(
        /^General message: The value 'not-a-value' for '.*' is not a valid /,
      );
    }
    // Length.
    const sized = spec.fields.find(
      (field) => field.dataType === 'string' && field.length > 0 && !field.values,
    );
    if (sized) {
      expect(refused(bodyOf(root, { ...fields, [sized.id]: 'Z'.repeat(sized.length + 1) }))).toBe(
        `General message: The value for '${sized.label.en}' is too long (at most ${sized.length} characters).`,
      );
    }
    // Code list.
    const coded = spec.fields.find((field) => field.values && field.values.length > 0);
    if (coded) {
      expect(
        refused(bodyOf(root, { ...fields, [coded.id]: '§'.repeat(Math.min(2, coded.length || 2)) })),
      ).toBe(`The entered value for '${coded.label.en}' does not exist.`);
    }
    // Nested objects: an unknown one, and a known one on an undocumented sub-record URL.
    expect(refused(bodyOf(root, fields, { XxNoObject: { Element: { Fields: {} } } }))).toBe(
      `General message: The object 'XxNoObject' does not exist in the object '${root}'.`,
    );
    const documented = subRecordEndpoints(entry, id);
    const undocumented = spec.objects.find((object) => !documented.includes(object.name));
    if (undocumented) {
      expect(refused(bodyOf(root, fields), { rest: [undocumented.name] })).toBe(
        `General message: Invalid request: AFAS documents no POST /connectors/${id}/${undocumented.name}.`,
      );
    }
    // DELETE key paths: the documented one deletes, another key list is refused.
    const [keys] = deleteKeys(entry);
    if (keys) {
      const values = keys.map((key) => String(fields[key]));
      expect(
        exec(id, 'DELETE', undefined, {
          rest: [root, keys.map((key) => `@${key}`).join(','), values.join(',')],
        }),
      ).toEqual({ status: 200 });
      expect(db.rows(`catalog:${id}`)).toEqual([]);
      expect(refused(undefined, { method: 'DELETE', rest: [root, '@XxKey', '1'] })).toBe(
        `General message: The field 'XxKey' does not exist in the object '${root}'.`,
      );
      const other = spec.fields.find((field) => !keys.includes(field.id));
      if (other) {
        expect(refused(undefined, { method: 'DELETE', rest: [root, `@${other.id}`, '1'] })).toMatch(
          /^General message: Invalid delete request: use \/connectors\//,
        );
      }
    } else {
      const [first] = spec.fields;
      expect(refused(undefined, { method: 'DELETE', rest: [root, `@${first?.id}`, '1'] })).toBe(
        `General message: Invalid delete request: AFAS documents no DELETE for ${id}.`,
      );
    }
  });
});

describe('catalogued UpdateConnectors: PUT', () => {
  it('requires the PUT fields AFAS marks and updates the record with those keys', () => {
    const { db, exec } = bench();
    const fields = validFields('PtTariff');
    exec('PtTariff', 'POST', bodyOf('PtTariff', { ...fields, Id: 5, AmCo: '10' }));
    expect(
      faultOf(() => exec('PtTariff', 'PUT', bodyOf('PtTariff', { AmCo: '11' }))).localized('en-us'),
    ).toBe("Enter a value for 'Line number'.");
    expect(exec('PtTariff', 'PUT', bodyOf('PtTariff', { Id: 5, AmCo: '11' }))).toEqual({ status: 200 });
    expect(db.rows('catalog:PtTariff')).toMatchObject([{ Id: 5, AmCo: '11' }]);
    expect(faultOf(() => exec('PtTariff', 'PUT', bodyOf('PtTariff', { Id: 6 }))).localized('en-us')).toBe(
      "General message: The record with Line number '6' does not exist.",
    );
  });

  it('refuses a duplicate key on insert and accepts any country with openReferences', () => {
    const { exec } = bench();
    const fields = { ...validFields('PtTariff'), Id: 9 };
    exec('PtTariff', 'POST', bodyOf('PtTariff', fields));
    expect(faultOf(() => exec('PtTariff', 'POST', bodyOf('PtTariff', fields))).localized('en-us')).toBe(
      "(AntaObject) The primary key already exists for field 'Line number'",
    );
    const person = (country: string) =>
      bodyOf(
        'KnPerson',
        { AutoNum: true, LaNm: 'Smit', ViGe: 'V' },
        {
          KnBasicAddressAdr: { Element: { Fields: { Ad: 'Rue', HmNr: 1, Rs: 'Liège', CoId: country } } },
        },
      );
    expect(faultOf(() => exec('KnPerson', 'POST', person('BE'))).localized('en-us')).toBe(
      "The entered value for 'Country' does not exist.",
    );
    expect(exec('KnPerson', 'POST', person('B')).status).toBe(201);
    expect(bench({ openReferences: true }).exec('KnPerson', 'POST', person('BE')).status).toBe(201);
  });
});

describe('catalogued UpdateConnectors over HTTP, one per family', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ clock: steppingClock('2024-03-01T09:00:00') });
  });
  afterAll(async () => {
    await sim.close();
  });

  it.each([...families.entries()].map(([area, ids]) => [area, ids[0] as string]))(
    '%s (%s): a valid body answers 201, a broken one the §5.2 500',
    async (_area, id) => {
      const spec = catalogSpec(id);
      if (!spec) throw new Error(`no spec for ${id}`);
      const post = (body: unknown) =>
        call(sim, `/connectors/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': 'en-us' },
          body: JSON.stringify(body),
        });
      const ok = await post(bodyOf(spec.name, validFields(id)));
      expect(ok.status).toBe(201);
      expect(ok.json).toHaveProperty(['results', spec.name]);
      const bad = await post(bodyOf(spec.name, { ...validFields(id), XxNope: 1 }));
      expect(bad.status).toBe(500);
      expect(bad.json).toMatchObject({
        externalMessage: `General message: The field 'XxNope' does not exist in the object '${spec.name}'.`,
      });
    },
  );
});

describe('catalogued UpdateConnectors: fields Profit fills on insert', () => {
  /** A debtor on a new person that AFAS numbers, as `koppel init` writes it without CdDa. */
  const debtor = (fields: Record<string, unknown>, person: Record<string, unknown>) => ({
    KnSalesRelationPer: {
      Element: {
        '@DbId': '40001',
        Fields: { CuId: 'EUR', ...fields },
        Objects: {
          KnPerson: {
            Element: {
              Fields: { PadAdr: true, MatchPer: '7', LaNm: 'Jansen', AddToPortal: false, ...person },
            },
          },
        },
      },
    },
  });

  it('accepts a debtor without CdDa, BcId, or BcCo when AutoNum is true (AFAS minimal insert)', () => {
    const { exec } = bench();
    expect(exec('KnSalesRelationPer', 'POST', debtor({}, { AutoNum: true })).status).toBe(201);
  });

  it('still requires BcCo when AutoNum is false', () => {
    const { exec } = bench();
    const fault = faultOf(() => exec('KnSalesRelationPer', 'POST', debtor({ CdDa: 1 }, { AutoNum: false })));
    expect(fault.localized('en-us')).toContain("'Number'");
  });
});
