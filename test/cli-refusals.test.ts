/**
 * The class "koppel refuses bad input", tested as a class: every malformed job, connections file,
 * test input and command line in the table must end with a non-zero exit and ONE line on stderr
 * that says where (file:line:col, the option or the path) and what to do — never "internal
 * error", never a stack trace, never a long value echoed whole, never a hang.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers/cli.js';
import { writeEntriesFixture } from './helpers/entries-fixture.js';

const INVALID = join(ROOT, 'packages/core/test/fixtures/jobs/invalid');
const CONNECTIONS = join(ROOT, 'packages/core/test/fixtures/jobs/connections.yaml');
/** Longest run of non-space characters a message may echo (a path with its position fits). */
const MAX_TOKEN = 130;
/** A refusal must come well before this (a spawned CLI from source takes ~1-3 s on a busy machine). */
const MAX_MS = 15_000;

interface Refusal {
  name: string;
  /** Arguments after `koppel`; a function of the scratch directory. */
  args: (dir: string) => string[];
  /** The stderr line must contain this (or match it). */
  says: string | RegExp | ((dir: string) => string | RegExp);
  /** Where the line must point: a file:line:col, an option name or a path. */
  at: string | RegExp | ((dir: string) => string | RegExp);
  exit?: 1 | 2;
  env?: (dir: string) => NodeJS.ProcessEnv;
}

/** A job fixture under fixtures/jobs/invalid refused by `koppel plan` with exactly its expected problem. */
function fixture(name: string, what: string): Refusal {
  const expected = readFileSync(join(INVALID, `${name}.expected.txt`), 'utf8').trim();
  if (expected.includes('\n')) throw new Error(`${name}: a refusal fixture must have one expected problem`);
  const line = `koppel: ${join(INVALID, '..', expected)}`;
  return {
    name: `${what} (${name}.yaml)`,
    args: () => ['plan', join(INVALID, `${name}.yaml`)],
    says: line,
    at: new RegExp(`${name}\\.yaml:\\d+:\\d+: `),
  };
}

/** The port of the simulator the test starts: in use for `koppel sim --port`. */
let busyPort = 0;

const base = readFileSync(join(INVALID, 'missing-name.yaml'), 'utf8').replace(
  '# name is required\nversion: 1\n',
  'version: 1\nname: fixture\n',
);

const refusals: Refusal[] = [
  // Job files: encoding
  fixture('windows-1252', 'a job saved in Windows-1252'),
  fixture('utf-16le-bom', 'a job saved as UTF-16 LE with a BOM'),
  fixture('utf-16be-no-bom', 'a job saved as UTF-16 BE without a BOM'),
  fixture('nul-byte', 'a job with a NUL byte'),
  // Job files: YAML
  fixture('alias-bomb', 'a YAML alias bomb'),
  fixture('alias-unknown', 'an alias of no anchor'),
  fixture('two-documents', 'two YAML documents'),
  fixture('deep-nesting', '10,000-deep flow nesting'),
  fixture('nesting-beyond-limit', 'nesting beyond 64 levels'),
  fixture('not-a-mapping', 'a list instead of a job'),
  fixture('scalar-document', 'a lone value instead of a job'),
  fixture('only-comments', 'a job of comments only'),
  fixture('long-unknown-key', 'a 500-character unknown key'),
  fixture('duplicate-key', 'a key given twice'),
  fixture('yaml-syntax', 'a YAML syntax error'),
  fixture('custom-tag', 'a YAML tag'),
  fixture('malformed-variable', 'a malformed variable reference'),
  fixture('missing-name', 'a job without its name'),
  fixture('utf8-bom-missing-name', 'a UTF-8 job with a BOM (accepted) without its name'),
  fixture('version-2', 'an unsupported version'),
  {
    name: 'a 1 MB anchor value',
    args: (dir) => ['plan', join(dir, 'big-anchor.yaml')],
    says: /`name` must match .*, got `X{60}…`$/,
    at: /big-anchor\.yaml:2:\d+: /,
  },
  {
    name: 'a 1 MB job value used twice through an alias',
    args: (dir) => ['plan', join(dir, 'big-alias.yaml')],
    says: /`name` must match .*, got `V{60}…`$/,
    at: /big-alias\.yaml:\d+:\d+: /,
  },
  // Job files: the file itself
  {
    name: 'the job file is a directory',
    args: (dir) => ['plan', join(dir, 'a-folder')],
    says: (dir) =>
      `koppel: job file ${join(dir, 'a-folder')} is a directory, not a file; name the YAML file inside it`,
    at: (dir) => join(dir, 'a-folder'),
  },
  {
    name: 'the job file is missing',
    args: (dir) => ['plan', join(dir, 'missing.yaml')],
    says: 'does not exist; check the path',
    at: (dir) => join(dir, 'missing.yaml'),
  },
  {
    name: 'the job file is empty',
    args: (dir) => ['plan', join(dir, 'empty.yaml')],
    says: 'is empty; a job starts with `version: 1`',
    at: (dir) => join(dir, 'empty.yaml'),
  },
  {
    name: 'the job file holds only blank lines',
    args: (dir) => ['run', join(dir, 'blank.yaml')],
    says: 'is empty',
    at: (dir) => join(dir, 'blank.yaml'),
  },
  {
    name: 'the job path runs through a file',
    args: (dir) => ['plan', join(dir, 'a-file', 'job.yaml')],
    says: 'a part of the path is a file, not a directory',
    at: (dir) => join(dir, 'a-file', 'job.yaml'),
  },
  {
    name: 'an extract job with an alias bomb',
    args: () => ['extract', join(INVALID, 'alias-bomb.yaml')],
    says: 'aliases expand to too many nodes',
    at: /alias-bomb\.yaml:\d+:\d+: /,
  },
  {
    name: 'a Windows-1252 job given to koppel run',
    args: () => ['run', join(INVALID, 'windows-1252.yaml')],
    says: 'looks like Windows-1252 (é as 0xE9)',
    at: /windows-1252\.yaml:12:73: /,
  },
  {
    name: 'a UTF-16 job given to koppel extract',
    args: () => ['extract', join(INVALID, 'utf-16le-bom.yaml')],
    says: 'saved as UTF-16 (LE, byte order mark FF FE); save it as UTF-8',
    at: /utf-16le-bom\.yaml:1:1: /,
  },
  // Connections files
  {
    name: 'KOPPEL_CONNECTIONS points at a folder',
    args: (dir) => ['plan', join(dir, 'named.yaml')],
    env: (dir) => ({ KOPPEL_CONNECTIONS: join(dir, 'a-folder') }),
    says: 'connections file',
    at: (dir) => `${join(dir, 'a-folder')} is a directory, not a file`,
  },
  {
    name: 'KOPPEL_CONNECTIONS names a file that does not exist',
    args: (dir) => ['plan', join(dir, 'named.yaml')],
    env: (dir) => ({ KOPPEL_CONNECTIONS: join(dir, 'nowhere.yaml') }),
    says: (dir) => `KOPPEL_CONNECTIONS names ${join(dir, 'nowhere.yaml')}, which does not exist`,
    at: /named\.yaml:3:\d+: /,
  },
  {
    name: 'the connections file is invalid YAML',
    args: (dir) => ['plan', join(dir, 'named.yaml')],
    env: (dir) => ({ KOPPEL_CONNECTIONS: join(dir, 'connections-bad.yaml') }),
    says: 'invalid YAML',
    at: /connections-bad\.yaml:\d+:\d+: /,
  },
  {
    name: 'the connections file is Windows-1252',
    args: (dir) => ['plan', join(dir, 'named.yaml')],
    env: (dir) => ({ KOPPEL_CONNECTIONS: join(dir, 'connections-1252.yaml') }),
    says: 'the connections file is not UTF-8: byte 0xFC',
    at: /connections-1252\.yaml:\d+:\d+: /,
  },
  {
    name: 'the connections file is an alias bomb',
    args: (dir) => ['plan', join(dir, 'named.yaml')],
    env: (dir) => ({ KOPPEL_CONNECTIONS: join(dir, 'connections-bomb.yaml') }),
    says: 'aliases expand to too many nodes',
    at: /connections-bomb\.yaml:\d+:\d+: /,
  },
  {
    name: 'the connections file has an alias of no anchor',
    args: (dir) => ['plan', join(dir, 'named.yaml')],
    env: () => ({ KOPPEL_CONNECTIONS: join(INVALID, 'alias-unknown.yaml') }),
    says: 'invalid YAML: alias `*entry_key` names no anchor',
    at: /alias-unknown\.yaml:\d+:\d+: /,
  },
  {
    name: 'the connection name is unknown',
    args: (dir) => ['plan', join(dir, 'unknown-name.yaml')],
    says: 'connection `acmee` is not defined in',
    at: /unknown-name\.yaml:3:\d+: /,
  },
  // State directory
  {
    name: '--state-dir is a file',
    args: (dir) => ['run', join(dir, 'sim', 'job.yaml'), '--state-dir', join(dir, 'a-file')],
    says: 'is a file, not a directory; remove it or choose another one with --state-dir',
    at: (dir) => `state directory ${join(dir, 'a-file')}`,
  },
  {
    name: '--state-dir lies under a file',
    args: (dir) => ['run', join(dir, 'sim', 'job.yaml'), '--state-dir', join(dir, 'a-file', 'state')],
    says: 'is a file, not a directory; choose another one with --state-dir',
    at: (dir) => `state directory ${join(dir, 'a-file', 'state')}`,
  },
  // Inputs
  {
    name: '--input is a directory',
    args: (dir) => ['plan', join(dir, 'sim', 'job.yaml'), '--input', join(dir, 'a-folder')],
    says: 'it is a directory',
    at: (dir) => join(dir, 'a-folder'),
  },
  {
    name: 'a CSV whose 1 MB field never closes its quote',
    args: (dir) => ['preview', join(dir, 'sim', 'job.yaml'), '--input', join(dir, 'open-quote.csv')],
    says: 'a quote opened in this record is never closed',
    at: /open-quote\.csv:2/,
  },
  // Node system errors: the path or address and what to do
  {
    name: 'koppel init --out into a directory that does not exist (ENOENT)',
    args: (dir) => [
      'init',
      'FiEntries',
      join(dir, 'sim', 'entries.csv'),
      '--sim',
      '--out',
      join(dir, 'no', 'such', 'job.yaml'),
    ],
    says: 'does not exist (or its directory does not); check the path (ENOENT)',
    at: (dir) => join(dir, 'no', 'such', 'job.yaml'),
  },
  {
    name: 'koppel sim on a port in use (EADDRINUSE)',
    args: () => ['sim', '--port', String(busyPort)],
    says: 'EADDRINUSE; choose another port',
    at: () => `127.0.0.1:${busyPort}`,
  },
  {
    name: 'koppel status with Redis unreachable (ECONNREFUSED)',
    args: () => ['status', '--redis', 'redis://127.0.0.1:1'],
    says: 'Cannot reach Redis at redis://127.0.0.1:1 (ECONNREFUSED)',
    at: 'redis://127.0.0.1:1',
  },
  // Command line: numeric options
  ...(
    [
      ['plan', '--limit', 'abc', 'a whole number ≥ 1'],
      ['plan', '--limit', '-1', 'a whole number ≥ 1'],
      ['plan', '--limit', '1.5', 'a whole number ≥ 1'],
      ['plan', '--limit', '1e3', 'a whole number ≥ 1'],
      ['preview', '--limit', '0', 'a whole number ≥ 1'],
      ['worker', '--concurrency', 'abc', 'a whole number ≥ 1'],
      ['submit', '--chunk-size', '0', 'a whole number ≥ 1'],
      ['sim', '--port', '70000', 'a whole number from 0 to 65535'],
      ['dashboard', '--port', '-1', 'a whole number from 0 to 65535'],
      ['guess', '--rows', 'many', 'a whole number ≥ 1'],
      ['guess', '--skip-lines', '-2', 'a whole number ≥ 0'],
    ] as const
  ).map(
    ([command, flag, value, expected]): Refusal => ({
      name: `${command} ${flag} ${value}`,
      args: (dir) => [
        command,
        ...(['plan', 'preview', 'submit', 'guess'].includes(command) ? [join(dir, 'x')] : []),
        flag,
        value,
      ],
      says: `koppel: ${flag}: expected ${expected}, got \`${value}\``,
      at: flag,
      exit: 2,
    }),
  ),
  {
    name: 'a 1 MB option value',
    args: () => ['plan', 'job.yaml', '--limit', '9'.repeat(1_000_000).slice(0, 100_000)],
    says: /--limit: expected a whole number ≥ 1, got `9{40}…`$/,
    at: '--limit',
    exit: 2,
  },
  // Command line: usage
  {
    name: 'an unknown option',
    args: () => ['plan', 'job.yaml', '--bogus'],
    says: "koppel plan: unknown option '--bogus'; run `koppel plan --help` for usage",
    at: '--bogus',
    exit: 2,
  },
  {
    name: 'a missing required argument',
    args: () => ['plan'],
    says: "koppel plan: missing required argument 'job'; run `koppel plan --help` for usage",
    at: "'job'",
    exit: 2,
  },
  {
    name: 'an unknown command',
    args: () => ['plna', 'job.yaml'],
    says: "koppel: unknown command 'plna'",
    at: "'plna'",
    exit: 2,
  },
  {
    name: 'an option without its value',
    args: () => ['plan', 'job.yaml', '--limit'],
    says: "option '--limit <n>' argument missing",
    at: '--limit',
    exit: 2,
  },
];

describe('koppel refuses bad input in one line', () => {
  let dir: string;
  let sim: Simulator;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'koppel-refusals-'));
    mkdirSync(join(dir, 'a-folder'));
    mkdirSync(join(dir, 'sim'));
    writeFileSync(join(dir, 'a-file'), 'not a directory\n');
    writeFileSync(join(dir, 'empty.yaml'), '');
    writeFileSync(join(dir, 'blank.yaml'), '\n  \n\n');
    writeFileSync(
      join(dir, 'big-anchor.yaml'),
      base.replace('name: fixture', `name: &big "${'X'.repeat(1_000_000)}"\ndescription: *big`),
    );
    writeFileSync(
      join(dir, 'big-alias.yaml'),
      base.replace('name: fixture', `description: &v "${'V'.repeat(1_000_000)}"\nname: *v`),
    );
    const named = base.replace(/^connection: .*$/m, 'connection: acme');
    writeFileSync(join(dir, 'named.yaml'), named);
    writeFileSync(join(dir, 'unknown-name.yaml'), named.replace('connection: acme', 'connection: acmee'));
    writeFileSync(join(dir, 'connections-bad.yaml'), 'connections:\n  acme: { url: [oops\n');
    writeFileSync(
      join(dir, 'connections-1252.yaml'),
      Buffer.from(
        '# Verbindungen für Tests\nconnections:\n  acme: { url: "http://127.0.0.1:1", token: x }\n',
        'latin1',
      ),
    );
    writeFileSync(
      join(dir, 'connections-bomb.yaml'),
      [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
        'connections: { acme: { url: "http://127.0.0.1:1", token: x }, more: [*d, *d, *d, *d, *d, *d] }',
        '',
      ].join('\n'),
    );
    sim = await startSimulator({ port: 0 });
    busyPort = Number(new URL(sim.url).port);
    await writeEntriesFixture(join(dir, 'sim'), sim, { count: 3, batch: 1 });
    writeFileSync(
      join(dir, 'open-quote.csv'),
      `entry_no;period;account;voucher_no;description;amount;amount_credit\nV1;1;4000;V1;"${'x'.repeat(1_000_000)}\n`,
    );
  });

  afterAll(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 40 cases', () => {
    expect(refusals.length).toBeGreaterThanOrEqual(40);
  });

  it('echoes a 1 MB CSV field as a short excerpt in the reject koppel plan prints', async () => {
    writeFileSync(
      join(dir, 'sim', 'big-field.csv'),
      `entry_no;period;account;voucher_no;description;amount;amount_credit\nV1;1;4000;V1;x;${'9'.repeat(1_000_000)}x;\nV1;1;1100;V1;y;;1,00\n`,
    );
    const result = await runCli(
      ['plan', join(dir, 'sim', 'job.yaml'), '--input', join(dir, 'sim', 'big-field.csv')],
      {
        cwd: dir,
        env: { HOME: dir, KOPPEL_STATE_DIR: join(dir, 'state') },
      },
    );
    expect(result.code).toBe(0);
    const reject = result.stdout.split('\n').find((line) => line.startsWith('REJECT')) ?? '';
    expect(reject).toContain(`got "${'9'.repeat(60)}…"`);
    expect(reject.length).toBeLessThan(400);
    expect(result.stdout.length + result.stderr.length).toBeLessThan(4000);
  }, 60_000);

  // One at a time: the time limit is per refusal, measured without other CLIs competing for the CPU.
  it.each(refusals.map((refusal) => [refusal.name, refusal] as const))(
    '%s',
    async (_name, refusal) => {
      const started = Date.now();
      const result = await runCli(refusal.args(dir), {
        cwd: dir,
        env: {
          HOME: dir,
          KOPPEL_CONNECTIONS: CONNECTIONS,
          KOPPEL_STATE_DIR: join(dir, 'state'),
          KOPPEL_DEBUG: '',
          ...refusal.env?.(dir),
        },
      });
      const elapsed = Date.now() - started;
      const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
      const line = lines[0] ?? '';
      expect({ code: result.code, signal: result.signal }).toEqual({ code: refusal.exit ?? 1, signal: null });
      expect(lines, result.stderr.slice(0, 2000)).toHaveLength(1);
      expect(line).toMatch(/^koppel(?: [a-z]+)?: /);
      expect(line).not.toMatch(/internal error/i);
      expect(result.stderr + result.stdout).not.toMatch(/\n\s+at /);
      expect(result.stderr + result.stdout).not.toMatch(/Maximum call stack|parseAllDocuments|\uFFFD/);
      const longest = Math.max(...line.split(/\s+/).map((token) => token.length));
      expect(longest, line.slice(0, 300)).toBeLessThanOrEqual(MAX_TOKEN);
      expect(result.stdout.length).toBeLessThan(2000);
      const says = typeof refusal.says === 'function' ? refusal.says(dir) : refusal.says;
      if (typeof says === 'string') expect(line).toContain(says);
      else expect(line).toMatch(says);
      const at = typeof refusal.at === 'function' ? refusal.at(dir) : refusal.at;
      if (typeof at === 'string') expect(line).toContain(at);
      else expect(line).toMatch(at);
      expect(elapsed).toBeLessThan(MAX_MS);
    },
    60_000,
  );
});
