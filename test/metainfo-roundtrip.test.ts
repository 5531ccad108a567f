/**
 * An environment with free fields (a seed adds U-fields to KnPerson) is recorded with
 * `koppel metainfo pull`, served again by `koppel sim --metainfo DIR`, and a job that maps the
 * free fields validates offline against the recording, runs against the served copy and is
 * stored with them; bad values are refused by `koppel validate --metainfo` and, with the very
 * answer the recorded environment gives, by the served copy.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  afasTokenHeader,
  DEMO_TOKEN,
  loadSeed,
  type SeedCustomField,
  type Simulator,
  startSimulator,
} from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Spawned, spawnKoppel } from './helpers/cli.js';

const FREE_FIELDS: SeedCustomField[] = [
  { id: 'U1234ABCD', length: 20, label: { nl: 'Lidnummer', en: 'Member number' } },
  {
    id: 'U5678EFGH',
    dataType: 'date',
    label: { nl: 'Startdatum lidmaatschap', en: 'Membership start' },
    mandatory: true,
  },
  {
    id: 'U9ABC0123',
    length: 1,
    label: { nl: 'Status lid', en: 'Member status' },
    values: [
      { id: 'A', description: { nl: 'Actief', en: 'Active' } },
      { id: 'O', description: { nl: 'Opgezegd', en: 'Cancelled' } },
    ],
  },
];

const LANGUAGES = ['nl-nl', 'en-us'] as const;

/** Every file under `dir`, recursively. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const headers = (language: string) => ({
  authorization: afasTokenHeader(DEMO_TOKEN),
  'accept-language': language,
  'content-type': 'application/json',
});

async function getJson(url: string, language = 'nl-nl'): Promise<unknown> {
  const response = await fetch(url, { headers: headers(language) });
  expect(response.status, url).toBe(200);
  return response.json();
}

/** Status and body of a POST of one KnPerson element with these fields on top of a valid person. */
async function postPerson(base: string, fields: Record<string, unknown>, language = 'nl-nl') {
  const response = await fetch(`${base}/connectors/KnPerson`, {
    method: 'POST',
    headers: headers(language),
    body: JSON.stringify({
      KnPerson: {
        Element: {
          Fields: {
            MatchPer: '7',
            AutoNum: true,
            LaNm: 'Visser',
            ViGe: 'V',
            U5678EFGH: '2024-03-01',
            ...fields,
          },
        },
      },
    }),
  });
  const body = (await response.json()) as { externalMessage?: string };
  return { status: response.status, message: body.externalMessage };
}

const job = (url: string, fields: string, name = 'members') => `version: 1
name: ${name}
connection: { url: "${url}", token: ${DEMO_TOKEN}, language: nl-nl }
source:
  csv: { path: members.csv, delimiter: ";" }
key: "{member_no}"
target:
  update_connector: KnPerson
  method: insert
  element:
    fields:
      MatchPer: { const: "7" }
      AutoNum: false
      BcCo: number
      PadAdr: false
      AddToPortal: false
      LaNm: last_name
      ViGe: gender
${fields}
`;

const FREE_MAPPING = `      U1234ABCD: member_no
      U5678EFGH: { column: since, date: dd-MM-yyyy }
      U9ABC0123: { column: status, codes: { actief: A, opgezegd: O } }`;

describe('koppel metainfo pull, then koppel sim --metainfo: a recorded environment with free fields', () => {
  let source: Simulator;
  let served: Spawned;
  let servedBase: string;
  let servedUrl: string;
  let dir: string;
  let out: string;

  beforeAll(async () => {
    const demo = loadSeed();
    source = await startSimulator({
      port: 0,
      seed: {
        environments: demo.environments.map((env, index) =>
          index === 0 ? { ...env, customFields: { KnPerson: FREE_FIELDS } } : env,
        ),
      },
    });
    dir = await mkdtemp(join(tmpdir(), 'koppel-roundtrip-'));
    out = join(dir, 'recorded');
    await writeFile(
      join(dir, 'connections.yaml'),
      `connections:\n  real:\n    url: ${source.baseUrl()}\n    token: ${DEMO_TOKEN}\n    language: nl-nl\n`,
    );
    const pulled = await runCli(
      [
        'metainfo',
        'pull',
        '--connection',
        'real',
        '--out',
        out,
        ...LANGUAGES.flatMap((l) => ['--language', l]),
      ],
      { cwd: dir, env: { KOPPEL_CONNECTIONS: join(dir, 'connections.yaml') } },
    );
    expect(pulled.stderr).toContain('metainfo: wrote');
    expect(pulled.code).toBe(0);
    served = spawnKoppel(['sim', '--metainfo', out, '--port', '0'], { cwd: dir });
    await served.waitFor('Press Ctrl-C to stop.');
    servedBase = /base URL:\s+(\S+)/.exec(served.stdout())?.[1] ?? '';
    servedUrl = /listening on (\S+)/.exec(served.stdout())?.[1] ?? '';
    await writeFile(
      join(dir, 'members.csv'),
      'number;member_no;last_name;gender;since;status\n900001;M-0001;Visser;V;01-03-2024;actief\n900002;M-0002;Bakker;M;15-04-2024;opgezegd\n',
    );
  }, 120_000);

  afterAll(async () => {
    served?.child.kill('SIGTERM');
    await served?.exit;
    await source?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the free fields, never the token', async () => {
    const person = JSON.parse(await readFile(join(out, 'update', 'KnPerson.nl-nl.json'), 'utf8'));
    const free = person.fields.filter((field: { fieldId: string }) => field.fieldId.startsWith('U'));
    expect(free.map((field: { fieldId: string }) => field.fieldId)).toEqual(FREE_FIELDS.map((f) => f.id));
    expect(free[0]).toMatchObject({ label: 'Lidnummer', length: 20, dataType: 'string', mandatory: false });
    expect(free[1]).toMatchObject({ label: 'Startdatum lidmaatschap', dataType: 'date', mandatory: true });
    expect(free[2].values).toEqual([
      { id: 'A', description: 'Actief' },
      { id: 'O', description: 'Opgezegd' },
    ]);
    const secrets = [
      DEMO_TOKEN,
      DEMO_TOKEN.toUpperCase(),
      afasTokenHeader(DEMO_TOKEN).replace('AfasToken ', ''),
      Buffer.from(DEMO_TOKEN).toString('base64'),
    ];
    for (const file of await filesOf(out)) {
      const text = await readFile(file, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${file} holds the token`).toBe(false);
    }
  });

  it('serves the recording as recorded: /metainfo, every UpdateConnector and GetConnector document', async () => {
    expect(served.stdout()).toMatch(/metainfo: +\d+ UpdateConnectors, \d+ GetConnectors recorded from /);
    const environment = JSON.parse(await readFile(join(out, 'environment.json'), 'utf8'));
    const list = (await getJson(`${servedBase}/metainfo`)) as Record<string, unknown>;
    expect(list.updateConnectors).toEqual(environment.updateConnectors);
    expect(list.getConnectors).toEqual(environment.getConnectors);
    expect(list.info).toEqual(
      await getJson(`${source.baseUrl()}/metainfo`).then((l) => (l as typeof list).info),
    );
    let differences = 0;
    for (const kind of ['update', 'get'] as const) {
      const ids = (kind === 'update' ? environment.updateConnectors : environment.getConnectors) as {
        id: string;
      }[];
      for (const { id } of ids) {
        for (const language of LANGUAGES) {
          const recorded = JSON.parse(await readFile(join(out, kind, `${id}.${language}.json`), 'utf8'));
          const answer = await getJson(`${servedBase}/metainfo/${kind}/${id}`, language);
          if (JSON.stringify(answer) !== JSON.stringify(recorded)) differences++;
          expect.soft(answer, `${kind}/${id} ${language}`).toEqual(recorded);
        }
      }
    }
    expect(differences).toBe(0);
  }, 120_000);

  it('validates a job mapping the free fields offline, runs it against the served copy and stores them', async () => {
    const jobFile = join(dir, 'members.yaml');
    await writeFile(jobFile, job(servedBase, FREE_MAPPING));
    const valid = await runCli(['validate', '--metainfo', out, jobFile], { cwd: dir });
    expect(valid.stdout).toContain(`checked against metainfo recorded in ${out}`);
    expect(valid.code).toBe(0);

    const run = await runCli(['run', jobFile], { cwd: dir });
    expect(run.stdout).toContain('records: 2 done, 0 rejected, 0 uncertain, 0 pending');
    expect(run.code).toBe(0);
    const { entries } = (await (await fetch(`${servedUrl}/__sim/journal?connector=KnPerson`)).json()) as {
      entries: { row: Record<string, unknown> }[];
    };
    expect(entries.map(({ row }) => [row.LastName, row.U1234ABCD, row.U5678EFGH, row.U9ABC0123])).toEqual([
      ['Visser', 'M-0001', '2024-03-01', 'A'],
      ['Bakker', 'M-0002', '2024-04-15', 'O'],
    ]);
  }, 120_000);

  it('refuses a too-long free value and an unknown free field in validate --metainfo, and in the served copy as the environment does', async () => {
    const tooLong = join(dir, 'too-long.yaml');
    await writeFile(
      tooLong,
      job(
        servedBase,
        `${FREE_MAPPING.replace('U1234ABCD: member_no', `U1234ABCD: { const: "${'M'.repeat(25)}" }`)}`,
      ),
    );
    const long = await runCli(['validate', '--metainfo', out, tooLong], { cwd: dir });
    expect(long.code).toBe(1);
    expect(long.stdout).toMatch(/too-long\.yaml:\d+:\d+: .*Lidnummer.* is 25 characters, at most 20 allowed/);

    const unknown = join(dir, 'unknown.yaml');
    await writeFile(unknown, job(servedBase, FREE_MAPPING.replace('U1234ABCD:', 'U1234ABCX:')));
    const misspelled = await runCli(['validate', '--metainfo', out, unknown], { cwd: dir });
    expect(misspelled.code).toBe(1);
    expect(misspelled.stdout).toMatch(/unknown\.yaml:\d+:\d+: .*U1234ABCX/);
    expect(misspelled.stdout).toMatch(/did you mean .*U1234ABCD/i);

    // The same bodies, posted to the environment the recording came from and to the served copy.
    const bodies: [Record<string, unknown>, string][] = [
      [
        { U1234ABCD: 'M'.repeat(21) },
        "General message: De waarde bij 'Lidnummer' is te lang (maximaal 20 tekens).",
      ],
      [{ U1234ABCX: 'M-1' }, "General message: Het veld 'U1234ABCX' bestaat niet in het object 'KnPerson'."],
      [{ U5678EFGH: '' }, "Vul een waarde in bij 'Startdatum lidmaatschap'."],
      [{ U5678EFGH: '31-02-2024' }, 'is geen geldige datum'],
      [{ U9ABC0123: 'X' }, "De ingevulde waarde bij 'Status lid' bestaat niet."],
    ];
    for (const [fields, message] of bodies) {
      const there = await postPerson(source.baseUrl(), fields);
      const here = await postPerson(servedBase, fields);
      expect(here.status, JSON.stringify(fields)).toBe(500);
      expect(here.message).toContain(message);
      expect(here).toEqual(there);
    }
    const english = await postPerson(servedBase, { U1234ABCD: 'M'.repeat(21) }, 'en-us');
    expect(english.message).toBe(
      "General message: The value for 'Member number' is too long (at most 20 characters).",
    );

    // A job that lifts Koppel's own length check sends the value; the served copy refuses it as AFAS.
    const lifted = join(dir, 'lifted.yaml');
    await writeFile(
      lifted,
      job(
        servedBase,
        FREE_MAPPING.replace('U1234ABCD: member_no', 'U1234ABCD: { column: member_no, max_length: 40 }'),
        'members-lifted',
      ),
    );
    await writeFile(
      join(dir, 'members.csv'),
      `number;member_no;last_name;gender;since;status\n900003;${'M'.repeat(21)};Smit;M;01-05-2024;actief\n`,
    );
    const run = await runCli(['run', lifted], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toContain('records: 0 done, 1 rejected (0 before sending, 1 by AFAS)');
    const rejects = /rejects: (\S+)/.exec(run.stdout)?.[1] ?? '';
    expect(await readFile(rejects, 'utf8')).toContain(
      "De waarde bij 'Lidnummer' is te lang (maximaal 20 tekens).",
    );
  }, 120_000);

  it('stops with one line when the folder holds no recording', async () => {
    const missing = await runCli(['sim', '--metainfo', join(dir, 'nowhere'), '--port', '0'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('koppel metainfo pull --out');
  });
});
