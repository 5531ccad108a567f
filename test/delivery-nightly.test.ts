import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';

const HEADER =
  'person_no,first_name,initials,prefix,last_name,gender,birth_date,email,mobile,street,house_no,house_no_suffix,postcode,city,country';

function person(i: number, email = `person${i}@example.nl`): string {
  return `P${30000 + i},Anna${i},A.,,Vries${i},female,1984-03-1${i % 10},${email},,Keizersgracht,${10 + i},,1015 CS,Amsterdam,NL`;
}

/** POST requests to KnPerson the simulator answered 200/201. */
function personPosts(sim: Simulator): number {
  return sim.control
    .stats()
    .requests.filter((r) => r.connector === 'KnPerson' && r.method === 'POST' && r.status < 300)
    .reduce((sum, r) => sum + r.count, 0);
}

describe('a nightly sync sends exactly what changed (delivery mode changed)', () => {
  let sim: Simulator;
  let dir: string;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'koppel-nightly-'));
  });
  afterEach(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('second night: two changed rows in a re-ordered file -> plan says so, run sends those two only', async () => {
    // The example job of the repository, reading a CSV of its own.
    const job = (await readFile(join(ROOT, 'jobs/persons-sync/persons.yaml'), 'utf8')).replace(
      'data/persons.csv',
      'persons.csv',
    );
    await writeFile(join(dir, 'persons.yaml'), job);
    const rows = Array.from({ length: 6 }, (_, i) => person(i + 1));
    await writeFile(join(dir, 'persons.csv'), `${[HEADER, ...rows].join('\n')}\n`);
    const env = { AFAS_URL: sim.baseUrl(), KOPPEL_RETRY_BASE_MS: '5' };

    const first = await runCli(['run', 'persons.yaml'], { cwd: dir, env });
    expect(first.stderr).toContain('delivery scope persons-sync (KnPerson, mode changed)');
    expect(first.code).toBe(0);
    expect(personPosts(sim)).toBe(6);

    // Night two: two e-mail addresses changed, the export comes in another order.
    const changed = rows.map((row, i) =>
      i === 1 ? person(2, 'new2@example.nl') : i === 4 ? person(5, 'new5@example.nl') : row,
    );
    await writeFile(join(dir, 'persons.csv'), `${[HEADER, ...changed.reverse()].join('\n')}\n`);

    const plan = await runCli(['plan', 'persons.yaml'], { cwd: dir, env });
    expect(plan.code).toBe(0);
    const verdicts = plan.stdout
      .split('\n')
      .filter((line) => /^# P\d+: /.test(line))
      .map((line) => line.slice(2))
      .sort();
    expect(verdicts).toEqual([
      'P30001: skipped as delivered',
      'P30002: send (changed since delivered)',
      'P30003: skipped as delivered',
      'P30004: skipped as delivered',
      'P30005: send (changed since delivered)',
      'P30006: skipped as delivered',
    ]);
    expect(plan.stderr).toContain('0 to send, 2 changed, 4 skipped as delivered');
    expect(personPosts(sim)).toBe(6);

    const second = await runCli(['run', 'persons.yaml'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('4 record(s) skipped as delivered');
    expect(personPosts(sim)).toBe(8);
    const updates = sim.control
      .journal({ connector: 'KnPerson' })
      .filter((entry) => entry.action === 'update' && entry.table === 'persons');
    expect(
      updates.map((entry) => [entry.row.BcCo ?? entry.row.PersonId, entry.row.EmAd ?? entry.row.Email]),
    ).toEqual(
      expect.arrayContaining([
        [expect.anything(), 'new2@example.nl'],
        [expect.anything(), 'new5@example.nl'],
      ]),
    );

    // Night three, nothing changed: nothing is sent.
    const third = await runCli(['run', 'persons.yaml', '--new-run'], { cwd: dir, env });
    expect(third.code).toBe(0);
    expect(third.stderr).toContain('6 record(s) skipped as delivered');
    expect(personPosts(sim)).toBe(8);
  }, 120_000);
});
