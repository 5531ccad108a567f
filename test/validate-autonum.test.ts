import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

/** A KnOrganisation insert without a number column; `autoNum` is what the job says of AutoNum. */
const job = (autoNum: string) => `version: 1
name: organisations-autonum
connection:
  url: http://127.0.0.1:1/12345/ProfitRestServices
  token: demo
source:
  csv: { path: organisations.csv }
key: "{Naam}"
target:
  update_connector: KnOrganisation
  method: insert
  element:
    fields:
      MatchOga: { const: "6" }
      AutoNum: ${autoNum}
      PadAdr: false
      Nm: Naam
`;

describe('koppel validate: a mandatory BcCo that AFAS numbers itself (AutoNum)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-autonum-'));
    await writeFile(join(dir, 'organisations.csv'), 'Naam\nBakkerij Het Zuiden B.V.\n');
    await writeFile(join(dir, 'auto.yaml'), job('true'));
    await writeFile(join(dir, 'auto-const.yaml'), job('{ const: true }'));
    await writeFile(join(dir, 'numbered.yaml'), job('false'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is valid with AutoNum: true (a constant), as the simulator accepts the insert', async () => {
    const result = await runCli(['validate', 'auto.yaml', 'auto-const.yaml', '--sim'], { cwd: dir });
    expect(result.stdout).toContain('2 files: 2 valid, 0 with problems');
    expect(result.code).toBe(0);
  });

  it('still names the unmapped BcCo when AutoNum is false', async () => {
    const result = await runCli(['validate', 'numbered.yaml', '--sim'], { cwd: dir });
    expect(result.stdout).toMatch(
      /numbered\.yaml:\d+:\d+: mandatory field BcCo \(.+\) of KnOrganisation is not mapped/,
    );
    expect(result.code).toBe(1);
  });
});
