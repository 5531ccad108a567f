// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} interpolation in job files
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobFileError, JobInvalidError } from '../../src/job/errors.js';
import { loadJob, parseJob } from '../../src/job/load-job.js';

const job = (connection: string, extra = ''): string => `version: 1
name: demo
connection: ${connection}
source:
  csv: { path: data.csv }
key: "{id}"
target:
  update_connector: KnSubject
  element:
    fields: { Ds: description${extra} }
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'koppel-job-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('interpolation', () => {
  it('substitutes ${VAR} and ${VAR:-default}, keeps $${ literal', () => {
    const text = job(
      '{ url: "${AFAS_URL}", token: "${TOKEN:-fallback}" }',
      ', SbTx: { const: "cost $${x}" }',
    );
    const loaded = parseJob(join(dir, 'job.yaml'), text, {
      env: { AFAS_URL: 'http://127.0.0.1:9/12345/ProfitRestServices' },
    });
    expect(loaded.connection?.baseUrl).toBe('http://127.0.0.1:9/12345/ProfitRestServices');
    expect(loaded.connection?.token).toBe('fallback');
    expect(loaded.job.target.element.fields.SbTx).toEqual({ const: 'cost ${x}' });
  });

  it('names the line:col of every unset variable', () => {
    const text = job('{ url: "${AFAS_URL}", token: "${AFAS_TOKEN}" }');
    expect(() => parseJob('/jobs/job.yaml', text, { env: {} })).toThrow(
      '2 problems in /jobs/job.yaml:\n' +
        '/jobs/job.yaml:3:21: environment variable AFAS_URL is not set; set it or write ${AFAS_URL:-default}\n' +
        '/jobs/job.yaml:3:43: environment variable AFAS_TOKEN is not set; set it or write ${AFAS_TOKEN:-default}',
    );
  });

  it('throws JobInvalidError with code KOPPEL_JOB_INVALID and the list of problems', () => {
    let caught: unknown;
    try {
      parseJob('/jobs/job.yaml', job('{ url: "${NOPE}" }'), { env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JobInvalidError);
    expect((caught as JobInvalidError).code).toBe('KOPPEL_JOB_INVALID');
    expect((caught as JobInvalidError).problems).toEqual([
      {
        file: '/jobs/job.yaml',
        line: 3,
        col: 21,
        message: 'environment variable NOPE is not set; set it or write ${NOPE:-default}',
      },
    ]);
  });
});

describe('connections', () => {
  const acme =
    'connections:\n  acme: { environment: 12345, type: test, token_file: acme.token, language: fr-fr }\n';

  it('derives the base URL and reads token_file relative to the connections file', () => {
    writeFileSync(join(dir, 'koppel.yaml'), acme);
    writeFileSync(join(dir, 'acme.token'), '  <token><version>1</version><data>ab</data></token>\n');
    const loaded = parseJob(join(dir, 'job.yaml'), job('acme'), {
      env: {},
      cwd: dir,
      home: join(dir, 'home'),
    });
    expect(loaded.connection?.baseUrl).toBe('https://12345.resttest.afas.online/ProfitRestServices');
    expect(loaded.connection?.language).toBe('fr-fr');
    expect(loaded.connection?.name).toBe('acme');
    expect(loaded.connection?.token).toBe('<token><version>1</version><data>ab</data></token>');
    expect(JSON.stringify(loaded.connection)).not.toContain('token');
    expect(Object.keys(loaded.connection ?? {})).not.toContain('token');
  });

  it('falls back to ~/.koppel/connections.yaml, and KOPPEL_CONNECTIONS overrides both', () => {
    mkdirSync(join(dir, 'home', '.koppel'), { recursive: true });
    writeFileSync(
      join(dir, 'home', '.koppel', 'connections.yaml'),
      'connections:\n  acme: { environment: 11111, token: a }\n',
    );
    const fromHome = parseJob(join(dir, 'job.yaml'), job('acme'), {
      env: {},
      cwd: dir,
      home: join(dir, 'home'),
    });
    expect(fromHome.connection?.baseUrl).toBe('https://11111.rest.afas.online/ProfitRestServices');
    writeFileSync(
      join(dir, 'other.yaml'),
      'connections:\n  acme: { environment: 22222, type: accept, token: b }\n',
    );
    const fromEnv = parseJob(join(dir, 'job.yaml'), job('acme'), {
      env: { KOPPEL_CONNECTIONS: join(dir, 'other.yaml') },
      cwd: dir,
      home: join(dir, 'home'),
    });
    expect(fromEnv.connection?.baseUrl).toBe('https://22222.restaccept.afas.online/ProfitRestServices');
  });

  it('positions problems inside the connections file', () => {
    writeFileSync(join(dir, 'koppel.yaml'), 'connections:\n  acme: { environment: 12345, tokn: x }\n');
    expect(() => parseJob(join(dir, 'job.yaml'), job('acme'), { env: {}, cwd: dir, home: dir })).toThrow(
      `${join(dir, 'koppel.yaml')}:2:31: unknown key \`tokn\` in \`connections.acme\`; did you mean \`token\`?`,
    );
  });

  it('says where it looked when there is no connections file', () => {
    expect(() => parseJob('/jobs/job.yaml', job('acme'), { env: {}, cwd: dir, home: dir })).toThrow(
      `/jobs/job.yaml:3:13: connection \`acme\` not found: no \`connections:\` in ${join(dir, 'koppel.yaml')} or ${join(dir, '.koppel', 'connections.yaml')}; add it there or set KOPPEL_CONNECTIONS`,
    );
  });
});

describe('loadJob', () => {
  it('reads a file and reports a missing one with JobFileError', async () => {
    writeFileSync(join(dir, 'job.yaml'), job('{ url: "http://127.0.0.1:9/1/ProfitRestServices" }'));
    const loaded = await loadJob(join(dir, 'job.yaml'));
    expect(loaded.dir).toBe(dir);
    expect(loaded.job.target.update_connector).toBe('KnSubject');
    await expect(loadJob(join(dir, 'missing.yaml'))).rejects.toThrow(JobFileError);
    await expect(loadJob(join(dir, 'missing.yaml'))).rejects.toThrow(
      `job file ${join(dir, 'missing.yaml')} does not exist; check the path`,
    );
  });
});
