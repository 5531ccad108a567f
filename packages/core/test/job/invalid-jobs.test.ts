import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, JobInvalidError } from '../../src/job/errors.js';
import { loadJob } from '../../src/job/load-job.js';
import { compileJob } from '../../src/mapping/compile-job.js';
import { recordedMetainfo } from '../mapping/recorded-metainfo.js';

const DIR = fileURLToPath(new URL('../fixtures/jobs/invalid/', import.meta.url));
const ROOT = fileURLToPath(new URL('../fixtures/jobs/', import.meta.url));
const CONNECTIONS = fileURLToPath(new URL('../fixtures/jobs/connections.yaml', import.meta.url));
const fixtures = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

/** Loads and compiles a fixture (against recorded metainfo); its problems, paths relative to fixtures/jobs/. */
async function problemsOf(name: string): Promise<string> {
  try {
    const loaded = await loadJob(join(DIR, name), { env: { KOPPEL_CONNECTIONS: CONNECTIONS } });
    const language = loaded.connection?.language ?? 'nl-nl';
    compileJob(loaded, { metainfo: recordedMetainfo(loaded.job.target.update_connector, language) });
  } catch (error) {
    if (!(error instanceof JobInvalidError)) throw error;
    return error.problems.map((problem) => formatProblem(problem).replaceAll(ROOT, '')).join('\n');
  }
  return '(no problems)';
}

describe('invalid jobs', () => {
  it('has a corpus of at least 30 fixtures, each with its expected message', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    for (const name of fixtures)
      expect(existsSync(join(DIR, name.replace(/\.yaml$/, '.expected.txt')))).toBe(true);
  });

  it.each(fixtures)('%s produces exactly its expected problems', async (name) => {
    const expectedFile = join(DIR, name.replace(/\.yaml$/, '.expected.txt'));
    const actual = await problemsOf(name);
    if (process.env.KOPPEL_UPDATE_FIXTURES === '1') writeFileSync(expectedFile, `${actual}\n`);
    expect(actual).toBe(readFileSync(expectedFile, 'utf8').trimEnd());
  });
});
