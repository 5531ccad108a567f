/**
 * The refusals of issue 18, each through the CLI against the simulator over HTTP: ONE line on
 * stderr, exactly as asserted, naming where (file:line:col, the option, the path) and what to do
 * next, with its exit code; the token never appears.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TOKEN, type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

/**
 * Positions below: the token value of `{ url: "<base>", token: "…" }` starts at the quote after
 * the base URL's own column + its length + `", token: ` (the same for token_file).
 */

/** A well-formed token the simulator does not know: AFAS answers 401 with an empty body. */
const WRONG = 'ab'.repeat(32);
/** Another one, the default a job writes for an unset variable. */
const WRONG_DEFAULT = 'cd'.repeat(32);

describe('koppel says what was refused and what to do, in one line', () => {
  let dir: string;
  let sim: Simulator;
  let base: string;

  /** A FiEntries job whose connection is `connection` (YAML text after `connection:`). */
  const job = (connection: string) => `version: 1
name: messages
connection: ${connection}
source:
  csv: { path: entries.csv, delimiter: ";" }
key: "{voucher_no}"
target:
  update_connector: FiEntries
  group_by: voucher_no
  element:
    fields: { Year: 2024, Peri: 1, UnId: 1, JoCo: "20" }
    objects:
      FiEntries:
        each: row
        fields: { VaAs: "1", AcNr: account, EnDa: "2024-01-02", BpDa: "2024-01-02", AmDe: debit, AmCr: credit }
`;

  const koppel = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const result = await runCli(args, {
      cwd: dir,
      env: { HOME: dir, KOPPEL_CONNECTIONS: join(dir, 'connections.yaml'), KOPPEL_DEBUG: '', ...env },
    });
    for (const token of [WRONG, WRONG_DEFAULT]) expect(result.stderr + result.stdout).not.toContain(token);
    expect(result.stderr + result.stdout).not.toMatch(/\n\s+at /);
    return { code: result.code, stderr: result.stderr, stdout: result.stdout };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'koppel-messages-'));
    sim = await startSimulator({ port: 0 });
    base = sim.baseUrl();
    writeFileSync(
      join(dir, 'entries.csv'),
      'voucher_no;account;debit;credit\nV1;4000;10.00;0\nV1;1100;0;10.00\n',
    );
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'token.txt'), `${WRONG}\n`);
    writeFileSync(
      join(dir, 'connections.yaml'),
      [
        'connections:',
        `  literal: { url: "${base}", token: "${WRONG}" }`,
        `  filed: { url: "${base}", token_file: token.txt }`,
        `  good: { url: "${base}", token: "${DEMO_TOKEN}" }`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'from-env.yaml'),
      job(`{ url: "${base}", token: "\${MESSAGES_TOKEN:-${WRONG_DEFAULT}}" }`),
    );
    writeFileSync(join(dir, 'literal.yaml'), job('literal'));
    writeFileSync(join(dir, 'filed.yaml'), job('filed'));
    writeFileSync(join(dir, 'good.yaml'), job('good'));
    writeFileSync(join(dir, 'sample.csv'), 'voucher_no;account\nV1;4000\n');
    writeFileSync(
      join(dir, 'expr.csv'),
      'voucher_no;account;debit;credit\nV1;4000;10.00;0\nV1;1100;0;10.00\nV2;4000;x;0\nV2;1100;0;10.00\n',
    );
    writeFileSync(
      join(dir, 'expr.yaml'),
      job('good')
        .replace('path: entries.csv', 'path: expr.csv')
        .replace('JoCo: "20"', 'JoCo: { const: "20" }')
        .replace(
          'VaAs: "1", AcNr: account, EnDa: "2024-01-02", BpDa: "2024-01-02", AmDe: debit',
          'VaAs: { const: "1" }, AcNr: account, EnDa: { const: 2024-01-02 }, BpDa: { const: 2024-01-02 }, AmDe: { expr: "$string($number(debit))" }',
        ),
    );
  });

  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const refused = 'token refused by AFAS (401) for GET /12345/ProfitRestServices/metainfo/update/FiEntries';

  it('a token from an environment variable that AFAS refuses', async () => {
    const { code, stderr } = await koppel(['validate', 'from-env.yaml'], { MESSAGES_TOKEN: WRONG });
    expect(stderr).toBe(
      `koppel: ${refused}: check the token of the job's connection at ${join(dir, 'from-env.yaml')}:3:${base.length + 31}, from MESSAGES_TOKEN: set MESSAGES_TOKEN to a valid token\n`,
    );
    expect(code).toBe(1);
  }, 30_000);

  it('the default of an unset variable, refused by AFAS', async () => {
    const { code, stderr } = await koppel(['plan', 'from-env.yaml']);
    expect(stderr).toBe(
      `koppel: ${refused}: check the token of the job's connection at ${join(dir, 'from-env.yaml')}:3:${base.length + 31}: MESSAGES_TOKEN is not set, so the default written there was sent; set MESSAGES_TOKEN to a valid token\n`,
    );
    expect(code).toBe(1);
  }, 30_000);

  it('a token written in the connections file, refused by koppel run', async () => {
    const { code, stderr } = await koppel(['run', 'literal.yaml', '--state-dir', join(dir, 'state')]);
    expect(stderr).toBe(
      `koppel: ${refused}: check the token of connection \`literal\` at ${join(dir, 'connections.yaml')}:2:${base.length + 30} (written there): replace it, better with a \${VAR} or token_file\n`,
    );
    expect(code).toBe(1);
  }, 30_000);

  it('a token_file whose token AFAS refuses, through koppel init', async () => {
    const { code, stderr } = await koppel(['init', 'FiEntries', 'sample.csv', '--connection', 'filed']);
    expect(stderr).toBe(
      `koppel: ${refused}: check the token of connection \`filed\`, token_file ${join(dir, 'token.txt')} at ${join(dir, 'connections.yaml')}:3:${base.length + 33}: put a valid token in that file\n`,
    );
    expect(code).toBe(1);
  }, 30_000);

  it('koppel init of a connector AFAS does not serve (its 500) says what to check', async () => {
    const { code, stderr } = await koppel(['init', 'KnBogus', 'sample.csv', '--connection', 'good']);
    expect(stderr).toBe(
      `koppel: metainfo of KnBogus at ${base}/metainfo/update/KnBogus: answered 500: Deze connector wordt niet ondersteund of de gebruiker is niet geautoriseerd; check that KnBogus is an UpdateConnector the token's App Connector allows (\`koppel metainfo pull\` records the ones it does)\n`,
    );
    expect(code).toBe(1);
  }, 30_000);

  it('koppel init against a failing server: the status, not the page, and what to do', async () => {
    sim.control.setFaults({
      rules: [{ kind: 'gatewayError', status: 500, connector: 'metainfo', commit: false }],
    });
    try {
      const { code, stderr } = await koppel(['init', 'FiEntries', 'sample.csv', '--connection', 'good']);
      expect(stderr).toBe(
        `koppel: metainfo of FiEntries at ${base}/metainfo/update/FiEntries: answered 500 text/html; charset=utf-8 without AFAS's error shape; AFAS, or a proxy in front of it, failed: try again later, and check the url of the connection\n`,
      );
      expect(code).toBe(1);
    } finally {
      sim.control.setFaults({ rules: [] });
    }
  }, 30_000);

  it('plan --limit -1 is a usage error naming the option (exit 2)', async () => {
    const { code, stderr } = await koppel(['plan', 'good.yaml', '--limit', '-1']);
    expect(stderr).toBe('koppel: --limit: expected a whole number ≥ 1, got `-1`\n');
    expect(code).toBe(2);
  }, 30_000);

  it('an expr that fails on one record rejects that record, naming it and the expression', async () => {
    const { code, stderr, stdout } = await koppel(['plan', 'expr.yaml', '--sim']);
    expect(stderr).not.toMatch(/internal error/i);
    expect(stdout).toContain(
      'REJECT record V2: expr.csv:4: Bedrag debet (FiEntries.AmDe): expr `$string($number(debit))` failed on this record at offset 16: Unable to cast value to a number: "x" (JSONata D3030); guard the expression against the value',
    );
    expect(stderr).toContain('plan: 1 request(s) for 1 document(s), 1 rejected; nothing was sent');
    expect(code).toBe(0);
  }, 30_000);

  it('an empty input file is refused, naming the file and the way to accept it', async () => {
    const { code, stderr, stdout } = await koppel(['plan', 'good.yaml', '--input', 'empty.csv']);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `koppel: ${join(dir, 'empty.csv')}: the input is empty (0 bytes); nothing to do, so nothing was sent. Check the export that wrote it, or set \`source.csv.allow_empty: true\` when an empty input is fine\n`,
    );
    expect(code).toBe(1);
  }, 30_000);
});
