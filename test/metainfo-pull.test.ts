/**
 * `koppel metainfo pull` records an environment (the simulator stands in for the user's Profit)
 * into a folder without its token; `koppel validate --metainfo DIR` checks jobs against that
 * recording offline.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DEMO_TOKEN, writeEntriesFixture } from './helpers/entries-fixture.js';

/** The demo token as a pasted XML token, base64 (the Authorization header's form). */
const TOKEN_BASE64 = Buffer.from(`<token><version>1</version><data>${DEMO_TOKEN}</data></token>`).toString(
  'base64',
);
const AUTH = `AfasToken ${TOKEN_BASE64}`;

/** Every file under `dir`, recursively. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('koppel metainfo pull, then validate --metainfo', () => {
  let sim: Simulator;
  let dir: string;
  let out: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-metainfo-'));
    out = join(dir, 'recorded');
    await writeFile(
      join(dir, 'connections.yaml'),
      `connections:\n  real:\n    url: ${sim.baseUrl()}\n    token: ${DEMO_TOKEN}\n    language: nl-nl\n`,
    );
    env = { KOPPEL_CONNECTIONS: join(dir, 'connections.yaml') };
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records /metainfo and every connector per language, and never the token', async () => {
    const pulled = await runCli(
      [
        'metainfo',
        'pull',
        '--connection',
        'real',
        '--out',
        out,
        '--language',
        'nl-nl',
        '--language',
        'en-us',
      ],
      { cwd: dir, env },
    );
    expect(pulled.stderr).toContain('metainfo: wrote');
    expect(pulled.code).toBe(0);
    const environment = JSON.parse(await readFile(join(out, 'environment.json'), 'utf8'));
    expect(environment.baseUrl).toBe(sim.baseUrl());
    expect(environment.languages).toEqual(['nl-nl', 'en-us']);
    // The App Connector as /metainfo's info names it, for `koppel sim --metainfo` (no token, no expiry).
    expect(environment).toMatchObject({ appName: 'Koppel', group: 'AuthorizationGroup 101 (12345.KOPPEL)' });
    expect(environment).not.toHaveProperty('tokenExpiry');
    const app = (await (
      await fetch(`${sim.baseUrl()}/metainfo`, {
        headers: { authorization: AUTH },
      })
    ).json()) as { updateConnectors: { id: string }[]; getConnectors: { id: string }[] };
    expect(environment.updateConnectors).toEqual(app.updateConnectors);
    expect(environment.getConnectors).toEqual(app.getConnectors);
    const entries = JSON.parse(await readFile(join(out, 'update', 'FiEntries.nl-nl.json'), 'utf8'));
    const live = await (
      await fetch(`${sim.baseUrl()}/metainfo/update/FiEntries`, {
        headers: {
          authorization: AUTH,
          'accept-language': 'nl-nl',
        },
      })
    ).json();
    expect(entries).toEqual(live);
    const files = await filesOf(out);
    expect(files.length).toBe(1 + 2 * (app.updateConnectors.length + app.getConnectors.length));
    const secrets = [
      DEMO_TOKEN,
      DEMO_TOKEN.toUpperCase(),
      TOKEN_BASE64,
      Buffer.from(DEMO_TOKEN).toString('base64'),
    ];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${file} holds the token`).toBe(false);
    }
  }, 120_000);

  it('validates a job against the recording offline, and refuses a misspelled field with a did-you-mean', async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 3, invalid: false, verify: false });
    await sim.close(); // no network: the recording alone
    const valid = await runCli(['validate', '--metainfo', out, fixture.jobFile], { cwd: dir, env });
    expect(valid.stdout).toContain('valid');
    expect(valid.stdout).toContain(`checked against metainfo recorded in ${out}`);
    expect(valid.code).toBe(0);

    const text = await readFile(fixture.jobFile, 'utf8');
    const misspelled = join(dir, 'misspelled.yaml');
    await writeFile(misspelled, text.replace('AcNr: account', 'AcNrr: account'));
    const refused = await runCli(['validate', '--metainfo', out, misspelled], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/misspelled\.yaml:\d+:\d+: .*AcNrr/);
    expect(refused.stdout).toMatch(/did you mean .*AcNr/i);

    const missing = await runCli(['validate', '--metainfo', join(dir, 'nowhere'), fixture.jobFile], {
      cwd: dir,
      env,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('koppel metainfo pull');
    sim = await startSimulator({ port: 0 });
  }, 120_000);

  it("pulls through a job's connection, and stops with one line when AFAS cannot be read", async () => {
    const fixture = await writeEntriesFixture(dir, sim, { count: 1, invalid: false, verify: false });
    const again = join(dir, 'from-job');
    const pulled = await runCli(['metainfo', 'pull', fixture.jobFile, '--out', again], { cwd: dir, env });
    expect(pulled.code).toBe(0);
    const environment = JSON.parse(await readFile(join(again, 'environment.json'), 'utf8'));
    expect(environment.languages).toEqual(['nl-nl']);
    expect(await readFile(join(again, 'update', 'FiEntries.nl-nl.json'), 'utf8')).toBe(
      await readFile(join(out, 'update', 'FiEntries.nl-nl.json'), 'utf8'),
    );
    await writeFile(
      join(dir, 'bad.yaml'),
      `connections:\n  bad:\n    url: ${sim.baseUrl()}\n    token: "${'0'.repeat(64)}"\n`,
    );
    const refused = await runCli(['metainfo', 'pull', '--connection', 'bad', '--out', join(dir, 'bad')], {
      cwd: dir,
      env: { KOPPEL_CONNECTIONS: join(dir, 'bad.yaml') },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(
      /^koppel: token refused by AFAS \(401\) for GET \/12345\/ProfitRestServices\/metainfo: check the token of connection `bad` at .*bad\.yaml:4:12 /,
    );
    expect(refused.stderr).not.toContain('0'.repeat(64));
  }, 120_000);

  it('refuses a pull with neither a job nor --connection, and --concurrency above 8', async () => {
    const neither = await runCli(['metainfo', 'pull', '--out', out], { cwd: dir, env });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--connection');
    const many = await runCli(
      ['metainfo', 'pull', '--connection', 'real', '--out', out, '--concurrency', '9'],
      {
        cwd: dir,
        env,
      },
    );
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('--concurrency: expected a whole number from 1 to 8');
  }, 60_000);
});
