import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @koppel/afas depends on core; its metainfo provider (the one AFAS HTTP client) is imported from source.
import { afasMetainfoProvider } from '../../../afas/src/index.js';
import type { ResolvedConnection } from '../../src/job/connections.js';
import type { UpdateMetainfo } from '../../src/metainfo/update-metainfo.js';
import { compileText, fieldsOf, jobText, mapAll, rec, rejectOf } from './helpers.js';
import { recordedMetainfo } from './recorded-metainfo.js';

const TOKEN = 'cbf5071c07a22081e969fb9dddae0789b5f67b65674c465c8134e9f12fdb3e77';
let sim: Simulator;
let live: (connector: string, language: 'nl-nl' | 'fr-fr') => Promise<UpdateMetainfo>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  const connection = { baseUrl: sim.baseUrl(), language: 'nl-nl', token: '' } as ResolvedConnection;
  Object.defineProperty(connection, 'token', { value: TOKEN, enumerable: false });
  const provider = afasMetainfoProvider(connection);
  live = (connector, language) => provider.update(connector, language);
});
afterAll(() => sim.close());

const sources = [
  [
    'recorded metainfo',
    async (connector: string, language: 'nl-nl' | 'fr-fr') => recordedMetainfo(connector, language),
  ],
] as const;

const person = (gender: string) => `  update_connector: KnPerson
  element:
    fields:
      MatchPer: 7
      LaNm: last
      ViGe: ${gender}`;

const people = (...genders: string[]) =>
  genders.map((gender, i) => rec({ id: `p${i + 1}`, last: 'Jansen', gender }, i + 2));

describe.each(sources)(
  'code values against %s (an environment recorded with per-language codes)',
  (_name, metainfo) => {
    it('codes: { by: description } finds the nl-nl code, ignoring case and spaces', async () => {
      const job = compileText(
        jobText(person('{ column: gender, codes: { by: description } }')),
        await metainfo('KnPerson', 'nl-nl'),
      );
      const items = await mapAll(job, people('man', '  Vrouw ', 'O', 'Mann'));
      expect(items.slice(0, 3).map((item) => fieldsOf(item).ViGe)).toEqual(['M', 'V', 'O']);
      expect(rejectOf(items[3])).toBe(
        'record p4: in.csv:5: Geslacht (KnPerson.ViGe): no code has the description "Mann"; allowed: M (Man), V (Vrouw), O (Onbekend)',
      );
    });

    it('codes: { by: description } finds the fr-fr code', async () => {
      const job = compileText(
        jobText(person('{ column: gender, codes: { by: description } }'), { language: 'fr-fr' }),
        await metainfo('KnPerson', 'fr-fr'),
      );
      const items = await mapAll(job, people('Homme', 'femme', 'Man'));
      expect(items.slice(0, 2).map((item) => fieldsOf(item).ViGe)).toEqual(['H', 'F']);
      expect(rejectOf(items[2])).toBe(
        'record p3: in.csv:4: Sexe (KnPerson.ViGe): no code has the description "Man"; allowed: H (Homme), F (Femme), I (Inconnu)',
      );
    });

    it('per-language maps pick the connection language', async () => {
      const spec = '{ column: gender, codes: { nl-nl: { m: M, v: V }, fr-fr: { m: H, v: F } } }';
      const nl = compileText(jobText(person(spec)), await metainfo('KnPerson', 'nl-nl'));
      const fr = compileText(
        jobText(person(spec), { language: 'fr-fr' }),
        await metainfo('KnPerson', 'fr-fr'),
      );
      expect((await mapAll(nl, people('m', 'V'))).map((item) => fieldsOf(item).ViGe)).toEqual(['M', 'V']);
      expect((await mapAll(fr, people('m', 'V'))).map((item) => fieldsOf(item).ViGe)).toEqual(['H', 'F']);
    });

    it('every coded value is checked in the connection language: an nl-nl code is rejected in fr-fr', async () => {
      const spec = '{ column: gender, codes: { male: M, female: V } }';
      const nl = compileText(jobText(person(spec)), await metainfo('KnPerson', 'nl-nl'));
      const fr = compileText(
        jobText(person(spec), { language: 'fr-fr' }),
        await metainfo('KnPerson', 'fr-fr'),
      );
      expect(fieldsOf((await mapAll(nl, people('male')))[0]).ViGe).toBe('M');
      expect(rejectOf((await mapAll(fr, people('male')))[0])).toBe(
        'record p1: in.csv:2: Sexe (KnPerson.ViGe): "M" is not an allowed value; allowed: H (Homme), F (Femme), I (Inconnu)',
      );
    });

    it('a mandatory field left empty is rejected with its label in the connection language', async () => {
      const job = compileText(
        jobText(person('gender'), { language: 'fr-fr' }),
        await metainfo('KnPerson', 'fr-fr'),
      );
      const [item] = await mapAll(job, [rec({ id: 'p9', last: '', gender: 'F' }, 12)]);
      expect(rejectOf(item)).toBe('record p9: in.csv:12: Nom (KnPerson.LaNm) is required but empty');
    });

    it('FiEntries VaAs codes in nl-nl and fr-fr', async () => {
      const target = (language: string) => `  update_connector: FiEntries
  group_by: id
  element:
    fields: { Year: 2024, Peri: 1, JoCo: { const: "20" } }
    objects:
      FiEntries:
        each: row
        fields:
          VaAs: { column: kind, codes: { by: description } }
          AcNr: { const: "4000" }
          EnDa: { const: "2024-01-02" }
          BpDa: { const: "2024-01-02" }${language}`;
      const nl = compileText(jobText(target('')), await metainfo('FiEntries', 'nl-nl'));
      const fr = compileText(
        jobText(target(''), { language: 'fr-fr' }),
        await metainfo('FiEntries', 'fr-fr'),
      );
      const lineKind = (item: Awaited<ReturnType<typeof mapAll>>[number] | undefined) => {
        if (!item || !('document' in item)) throw new Error(JSON.stringify(item));
        return (
          item.document.element as { Objects: { FiEntries: { Element: { Fields: { VaAs: string } }[] } } }
        ).Objects.FiEntries.Element[0]?.Fields.VaAs;
      };
      const frDebtor = (await metainfo('FiEntries', 'fr-fr')).objects[0]?.fields
        .find((f) => f.fieldId === 'VaAs')
        ?.values?.find((v) => v.id === '2')?.description;
      expect(lineKind((await mapAll(nl, [rec({ id: '1', kind: 'debiteur' }, 2)]))[0])).toBe('2');
      expect(
        lineKind((await mapAll(fr, [rec({ id: '1', kind: String(frDebtor).toUpperCase() }, 2)]))[0]),
      ).toBe('2');
    });
  },
);

/** A KnPerson insert with every field AFAS's facts mark mandatory on POST. */
const factPerson = (gender: string) => `  update_connector: KnPerson
  element:
    fields:
      MatchPer: 7
      BcCo: { column: id }
      AutoNum: false
      PadAdr: false
      AddToPortal: false
      LaNm: last
      ViGe: ${gender}`;

// The simulator serves AFAS's published facts: code ids are the same in every language (M, V, O,
// X for KnPerson.ViGe), with the descriptions AFAS published (Dutch); labels follow the language.
describe('code values against the simulator over HTTP (AFAS facts)', () => {
  it('codes: { by: description } finds the code, ignoring case and spaces; X is non-binary', async () => {
    const job = compileText(
      jobText(factPerson('{ column: gender, codes: { by: description } }')),
      await live('KnPerson', 'nl-nl'),
    );
    const items = await mapAll(job, people('man', '  Vrouw ', 'non-binair', 'Mann'));
    expect(items.slice(0, 3).map((item) => fieldsOf(item).ViGe)).toEqual(['M', 'V', 'X']);
    expect(rejectOf(items[3])).toBe(
      'record p4: in.csv:5: Geslacht (KnPerson.ViGe): no code has the description "Mann"; allowed: M (Man), O (Onbekend), V (Vrouw), X (Non-binair)',
    );
  });

  it('the same codes are valid in fr-fr, where the label is French', async () => {
    const job = compileText(
      jobText(factPerson('{ column: gender, codes: { male: M, female: V } }'), { language: 'fr-fr' }),
      await live('KnPerson', 'fr-fr'),
    );
    const items = await mapAll(job, people('male', 'female', 'other'));
    expect(items.slice(0, 2).map((item) => fieldsOf(item).ViGe)).toEqual(['M', 'V']);
    expect(rejectOf(items[2])).toMatch(/^record p3: in\.csv:4: Sexe \(KnPerson\.ViGe\)/);
  });

  it('a mandatory field left empty is rejected with its label in the connection language', async () => {
    const text = factPerson('gender').replace('BcCo: { column: id }', 'BcCo: { column: code }');
    const job = compileText(jobText(text, { language: 'fr-fr' }), await live('KnPerson', 'fr-fr'));
    const [item] = await mapAll(job, [rec({ id: 'p9', code: '', last: 'Jansen', gender: 'V' }, 12)]);
    expect(rejectOf(item)).toMatch(/^record p9: in\.csv:12: .+ \(KnPerson\.BcCo\) is required but empty$/);
  });

  it('a job that leaves a field AFAS requires on insert unmapped is refused before any record', async () => {
    expect(() => compileText(jobText(person('gender')), undefined as never)).not.toThrow();
    const metainfo = await live('KnPerson', 'nl-nl');
    expect(() => compileText(jobText(person('gender')), metainfo)).toThrow(
      /mandatory field AutoNum \(Autonummering\) of KnPerson is not mapped/,
    );
  });
});

describe('compile-time code checks', () => {
  it('rejects a constant that is not an allowed code, before any record', () => {
    expect(() => compileText(jobText(person('{ const: X }')), recordedMetainfo('KnPerson', 'nl-nl'))).toThrow(
      '/jobs/test.yaml:12:22: Geslacht (KnPerson.ViGe): "X" is not an allowed value; allowed: M (Man), V (Vrouw), O (Onbekend)',
    );
  });
});
