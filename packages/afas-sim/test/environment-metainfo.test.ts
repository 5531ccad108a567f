/**
 * An environment's own UpdateConnectors: free fields a seed adds (customFields), and metainfo
 * recorded from an environment (seed `metainfo:`, the folder `koppel metainfo pull` writes)
 * drive both the metainfo answers and the validation of updates.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type GetMetainfo,
  loadSeed,
  type RecordedMetainfo,
  recordedSeed,
  type Seed,
  type SeedEnvironment,
  type Simulator,
  startSimulator,
  type UpdateMetainfo,
} from '../src/index.js';
import { call, DEMO_TOKEN } from './helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'afas-sim-env-metainfo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = loadSeed();
const first = demo.environments[0] as SeedEnvironment;
/** The demo seed with the first environment changed. */
const withFirst = (change: Partial<SeedEnvironment>): Seed => ({
  environments: [{ ...first, ...change }, ...demo.environments.slice(1)],
});

const post = (sim: Simulator, connector: string, body: unknown, language = 'nl-nl') =>
  call(sim, `/connectors/${connector}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': language },
    body: JSON.stringify(body),
  });
const messageOf = (reply: { json: unknown }) => (reply.json as { externalMessage?: string }).externalMessage;

async function using<T>(seed: Seed, work: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ seed });
  try {
    return await work(sim);
  } finally {
    await sim.close();
  }
}

describe('seed customFields', () => {
  const seed = withFirst({
    customFields: {
      FbProductGroup: [{ id: 'U00AA11BB', dataType: 'int', label: { nl: 'Kleurcode', en: 'Colour code' } }],
      KnPerson: [{ id: 'U77EE', object: 'KnBasicAddressAdr', length: 5, label: 'Wijk', mandatory: true }],
    },
  });

  it('adds a free field to a connector without a plug-in: shown, typed, stored', async () => {
    await using(seed, async (sim) => {
      const meta = (await call(sim, '/metainfo/update/FbProductGroup')).json as UpdateMetainfo;
      expect(meta.fields.at(-1)).toMatchObject({ fieldId: 'U00AA11BB', dataType: 'int', label: 'Kleurcode' });
      const bad = await post(sim, 'FbProductGroup', {
        FbProductGroup: { Element: { Fields: { PrGr: 'G1', U00AA11BB: 'rood' } } },
      });
      expect(messageOf(bad)).toBe(
        "General message: De waarde 'rood' bij 'Kleurcode' is geen geldige geheel getal.",
      );
      const good = await post(sim, 'FbProductGroup', {
        FbProductGroup: { Element: { Fields: { PrGr: 'G1', U00AA11BB: 7 } } },
      });
      expect(good.status).toBe(201);
      expect(sim.control.journal({ connector: 'FbProductGroup' })[0]?.row).toMatchObject({
        PrGr: 'G1',
        U00AA11BB: 7,
      });
    });
  });

  it('adds a free field to a nested object of a plug-in connector, required when mandatory', async () => {
    await using(seed, async (sim) => {
      const meta = (await call(sim, '/metainfo/update/KnPerson')).json as UpdateMetainfo;
      const address = meta.objects.find((object) => object.name === 'KnBasicAddressAdr');
      expect(address?.fields.at(-1)).toMatchObject({ fieldId: 'U77EE', mandatory: true, length: 5 });
      expect(meta.fields.some((field) => field.fieldId === 'U77EE')).toBe(false);
      const person = (address: Record<string, unknown>) => ({
        KnPerson: {
          Element: {
            Fields: { MatchPer: '7', AutoNum: true, LaNm: 'Mol', ViGe: 'M' },
            Objects: [
              {
                KnBasicAddressAdr: {
                  Element: {
                    Fields: {
                      CoId: 'NL',
                      Ad: 'Dorpsstraat',
                      HmNr: 1,
                      ZpCd: '1234AB',
                      Rs: 'Ede',
                      PbAd: false,
                      ...address,
                    },
                  },
                },
              },
            ],
          },
        },
      });
      expect(messageOf(await post(sim, 'KnPerson', person({})))).toBe("Vul een waarde in bij 'Wijk'.");
      expect(messageOf(await post(sim, 'KnPerson', person({ U77EE: 'Centrum' })))).toBe(
        "General message: De waarde bij 'Wijk' is te lang (maximaal 5 tekens).",
      );
      expect((await post(sim, 'KnPerson', person({ U77EE: 'Oost' }))).status).toBe(201);
      expect(sim.control.journal({ table: 'addresses' })[0]?.row).toMatchObject({ U77EE: 'Oost' });
    });
  });

  it('lists every problem of customFields with its path', () => {
    const bad = withFirst({
      customFields: {
        KnNowhere: [{ id: 'U1' }],
        KnPerson: [
          { id: 'LaNm' },
          { id: 'U2', object: 'KnMissing' },
          { id: 'U3', dataType: 'text' as never, length: -1 },
        ],
      },
    });
    expect(() => loadSeed(bad)).toThrow(
      [
        'environments[0].customFields.KnNowhere: not an UpdateConnector of the environment',
        'environments[0].customFields.KnPerson[0].id: KnPerson already has a field LaNm',
        'environments[0].customFields.KnPerson[1].object: KnPerson has no object "KnMissing"',
        'environments[0].customFields.KnPerson[2].dataType: expected one of string, int, long, decimal, boolean, date, blob, got text',
        'environments[0].customFields.KnPerson[2].length: expected a whole number >= 0, got -1',
      ].join('; '),
    );
  });
});

/** A recording as `koppel metainfo pull` writes it, read from a running simulator (nl-nl and en-us). */
async function record(sim: Simulator, update: string[], get: string[]): Promise<RecordedMetainfo> {
  const languages = ['nl-nl', 'en-us'] as const;
  const read = async <T>(path: string, language: string) =>
    (await call(sim, path, { headers: { 'accept-language': language } })).json as T;
  const list = await read<{
    updateConnectors: { id: string; description: string }[];
    getConnectors: { id: string; description: string }[];
    info: { envid: string; appName: string; group: string };
  }>('/metainfo', 'nl-nl');
  const documents = async <T>(kind: string, ids: string[]) =>
    Object.fromEntries(
      await Promise.all(
        ids.map(async (id) => [
          id,
          Object.fromEntries(
            await Promise.all(languages.map(async (l) => [l, await read<T>(`/metainfo/${kind}/${id}`, l)])),
          ),
        ]),
      ),
    );
  return {
    environment: {
      baseUrl: sim.baseUrl(),
      environmentId: list.info.envid,
      appName: list.info.appName,
      group: list.info.group,
      pulledAt: '2025-01-01T00:00:00.000Z',
      languages: [...languages],
      updateConnectors: list.updateConnectors.filter((c) => update.includes(c.id)),
      getConnectors: list.getConnectors.filter((c) => get.includes(c.id)),
    },
    update: await documents<UpdateMetainfo>('update', update),
    get: await documents<GetMetainfo>('get', get),
  };
}

describe('seed metainfo (a recorded environment)', () => {
  it('serves only the recorded connectors, as recorded, and validates updates against them', async () => {
    const recorded = await using(
      withFirst({ customFields: { KnPerson: [{ id: 'U1234ABCD', length: 20, label: 'Lidnummer' }] } }),
      (sim) => record(sim, ['KnPerson', 'FbProductGroup'], ['Profit_Debtor']),
    );
    // An UpdateConnector the catalog does not know: the environment's own, recorded as it answers.
    const own = structuredClone(recorded.update.FbProductGroup) as Record<string, UpdateMetainfo>;
    for (const doc of Object.values(own)) Object.assign(doc, { id: 'Xx_Custom', name: 'Xx_Custom' });
    recorded.update.Xx_Custom = own;
    recorded.environment.updateConnectors.push({ id: 'Xx_Custom', description: 'Eigen connector' });
    // A GetConnector without a simulator table, with seeded rows.
    const members: GetMetainfo = {
      name: 'Members',
      description: 'Leden',
      fields: [
        {
          id: 'Nr',
          fieldId: 'U001',
          dataType: 'string',
          label: 'Nummer',
          length: 10,
          controlType: 1,
          decimals: 0,
          decimalsFieldId: '',
        },
      ],
    };
    recorded.get.Members = { 'nl-nl': members, 'en-us': { ...members, description: 'Members' } };
    recorded.environment.getConnectors.push({ id: 'Members', description: 'Leden' });

    const seed = recordedSeed(writeRecording(join(dir, 'recorded'), recorded));
    const env = seed.environments[0] as SeedEnvironment;
    expect(env).toMatchObject({ id: '12345', envCode: 'T12345AA', defaultLanguage: 'nl-nl' });
    env.rows = { Members: [{ Nr: 'L-1' }] };
    env.tables = { debtors: [{ DebtorId: '1', DebtorName: 'Bakkerij' }] };
    await using(seed, async (sim) => {
      const list = (await call(sim, '/metainfo')).json as {
        updateConnectors: { id: string }[];
        info: unknown;
      };
      expect(list.updateConnectors.map((c) => c.id)).toEqual(['FbProductGroup', 'KnPerson', 'Xx_Custom']);
      expect(list.info).toEqual({
        envid: 'T12345AA',
        appName: 'Koppel',
        group: 'AuthorizationGroup 101 (12345.KOPPEL)',
        tokenExpiry: '0',
      });
      for (const language of ['nl-nl', 'en-us'] as const) {
        const answer = await call(sim, '/metainfo/update/KnPerson', {
          headers: { 'accept-language': language },
        });
        expect(answer.json).toEqual(recorded.update.KnPerson?.[language]);
      }
      expect((await call(sim, '/metainfo/update/FiEntries')).status).toBe(500);
      expect((await post(sim, 'FiEntries', { FiEntryPar: { Element: {} } })).status).toBe(500);
      expect(
        messageOf(
          await post(sim, 'Xx_Custom', { Xx_Custom: { Element: { Fields: { PrGr: 'x'.repeat(99) } } } }),
        ),
      ).toMatch(/te lang/);
      expect(
        (await post(sim, 'Xx_Custom', { Xx_Custom: { Element: { Fields: { PrGr: 'G2' } } } })).status,
      ).toBe(201);
      expect(
        messageOf(
          await post(sim, 'KnPerson', {
            KnPerson: {
              Element: {
                Fields: { MatchPer: '7', AutoNum: true, LaNm: 'Mol', ViGe: 'M', U1234ABCD: 'x'.repeat(21) },
              },
            },
          }),
        ),
      ).toBe("General message: De waarde bij 'Lidnummer' is te lang (maximaal 20 tekens).");
      expect(
        (await call(sim, '/metainfo/get/Members', { headers: { 'accept-language': 'en-us' } })).json,
      ).toEqual(recorded.get.Members?.['en-us']);
      expect((await call(sim, '/connectors/Members')).json).toEqual({
        skip: 0,
        take: 100,
        rows: [{ Nr: 'L-1' }],
      });
      const debtors = (await call(sim, '/connectors/Profit_Debtor')).json as {
        rows: Record<string, unknown>[];
      };
      expect(debtors.rows[0]).toMatchObject({ DebtorId: '1', DebtorName: 'Bakkerij' });
    });
  });

  it('reads a seed file’s metainfo folder relative to the file, and refuses ids the recording lacks', async () => {
    const recorded = await using(demo, (sim) => record(sim, ['KnSubject'], []));
    writeRecording(join(dir, 'nested', 'rec'), recorded);
    const file = join(dir, 'nested', 'seed.yaml');
    writeFileSync(
      file,
      `environments:\n  - id: "777"\n    envCode: T777XX\n    metainfo: rec\n    tokens: [{ data: ${DEMO_TOKEN}, user: u, appConnector: App }]\n    appConnectors: [{ name: App, updateConnectors: [KnSubject, KnPerson] }]\n    rows: { Nothing: [] }\n`,
    );
    expect(() => loadSeed(file)).toThrow(
      'environments[0].appConnectors[0].updateConnectors: "KnPerson" is not an UpdateConnector the recording has; environments[0].rows.Nothing: not a recorded GetConnector',
    );
    expect(() => recordedSeed(join(dir, 'nowhere'))).toThrow(
      `Invalid simulator seed metainfo folder ${join(dir, 'nowhere')}: ${join(dir, 'nowhere', 'environment.json')} does not exist; record an environment with \`koppel metainfo pull --out`,
    );
  });
});

/** Writes a recording as `koppel metainfo pull` lays it out; returns the folder. */
function writeRecording(folder: string, recorded: RecordedMetainfo): string {
  mkdirSync(join(folder, 'update'), { recursive: true });
  mkdirSync(join(folder, 'get'), { recursive: true });
  writeFileSync(join(folder, 'environment.json'), JSON.stringify(recorded.environment));
  for (const kind of ['update', 'get'] as const) {
    for (const [id, documents] of Object.entries(recorded[kind])) {
      for (const [language, document] of Object.entries(documents)) {
        writeFileSync(join(folder, kind, `${id}.${language}.json`), JSON.stringify(document));
      }
    }
  }
  return folder;
}
