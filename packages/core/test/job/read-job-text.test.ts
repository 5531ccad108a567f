import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupConnection } from '../../src/job/connections.js';
import { JobFileError, JobInvalidError } from '../../src/job/errors.js';
import { excerpt } from '../../src/job/excerpt.js';
import { decodeYamlBytes } from '../../src/job/read-job-text.js';
import { YamlSource } from '../../src/job/yaml-source.js';
import { loadTestFile } from '../../src/job-test/load-test-file.js';

const dir = mkdtempSync(join(tmpdir(), 'koppel-read-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const decode = (bytes: Uint8Array | string): string =>
  decodeYamlBytes('job.yaml', typeof bytes === 'string' ? Buffer.from(bytes) : bytes, 'job file');

describe('decodeYamlBytes', () => {
  it('reads UTF-8 with or without a BOM', () => {
    expect(decode('name: Café\n')).toBe('name: Café\n');
    expect(decode(Buffer.from('\uFEFFname: Café\n'))).toBe('name: Café\n');
  });

  it('refuses an invalid byte at line:col with its offset counted from the file start (BOM included)', () => {
    const bytes = Buffer.concat([
      Buffer.from('\uFEFFa: 1\nname: Caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    expect(() => decode(bytes)).toThrow(
      'job.yaml:2:10: the job file is not UTF-8: byte 0xE9 at byte offset 17 is invalid; it looks like Windows-1252 (é as 0xE9); save the file as UTF-8',
    );
  });

  it('counts the column in characters after multi-byte ones', () => {
    const bytes = Buffer.concat([Buffer.from('x: ëë'), Buffer.from([0xfc])]);
    expect(() => decode(bytes)).toThrow(
      'job.yaml:1:6: the job file is not UTF-8: byte 0xFC at byte offset 7',
    );
  });

  it('names UTF-16 by its BOM or its zero bytes', () => {
    expect(() => decode(Buffer.from('\uFEFFname: x\n', 'utf16le'))).toThrow(
      'job.yaml:1:1: the job file is saved as UTF-16 (LE, byte order mark FF FE); save it as UTF-8',
    );
    expect(() => decode(Buffer.from('name: x\n', 'utf16le'))).toThrow(
      'saved as UTF-16 (LE, zero bytes between',
    );
  });

  it('refuses empty and blank files as JobFileError', () => {
    expect(() => decode('')).toThrow(JobFileError);
    expect(() => decode(' \n\t\n')).toThrow('job file job.yaml is empty');
  });
});

describe('YamlSource', () => {
  it('refuses alias expansion beyond 100 uses at the first alias', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of ['b', 'c', 'd'])
      lines.push(
        `${name}: &${name} [${Array(10)
          .fill(`*${lines.length === 1 ? 'a' : String.fromCharCode(name.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    const source = new YamlSource('bomb.yaml', `${lines.join('\n')}\n`);
    expect(source.problems).toEqual([]);
    expect(() => source.toJS()).toThrow(JobInvalidError);
    expect(() => source.toJS()).toThrow('bomb.yaml:2:8: invalid YAML: aliases expand to too many nodes');
  });

  it('positions nesting too deep for the parser at the first bracket beyond the limit, every time', () => {
    const deep = `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
    expect(new YamlSource('deep.yaml', deep).problems[0]).toMatchObject({ line: 1, col: 67 });
  });

  it('never echoes more than an excerpt of a long key in a syntax error', () => {
    const source = new YamlSource('long.yaml', `a: 1\na: 2\n${'k'.repeat(100)}: [\n`);
    for (const problem of source.problems) expect(problem.message.length).toBeLessThan(200);
  });
});

describe('excerpt', () => {
  it('keeps short values, flattens line breaks and cuts long ones with …', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt('a\nb\tc')).toBe('a b c');
    expect(excerpt('x'.repeat(1_000_000))).toBe(`${'x'.repeat(60)}…`);
    expect(excerpt('é'.repeat(61))).toBe(`${'é'.repeat(60)}…`);
  });
});

describe('connections and test files', () => {
  const job = new YamlSource(join(dir, 'job.yaml'), 'connection: acme\n');

  it('refuses KOPPEL_CONNECTIONS pointing at a folder in one line', () => {
    mkdirSync(join(dir, 'folder'));
    expect(() =>
      lookupConnection(
        'acme',
        { source: job, path: ['connection'] },
        { env: { KOPPEL_CONNECTIONS: join(dir, 'folder') } },
      ),
    ).toThrow(`connections file ${join(dir, 'folder')} is a directory, not a file`);
  });

  it('reports a Windows-1252 connections file at its position', () => {
    writeFileSync(join(dir, 'c.yaml'), Buffer.from('# für\nconnections: {}\n', 'latin1'));
    expect(() =>
      lookupConnection(
        'acme',
        { source: job, path: ['connection'] },
        { env: { KOPPEL_CONNECTIONS: join(dir, 'c.yaml') } },
      ),
    ).toThrow(`${join(dir, 'c.yaml')}:1:4: the connections file is not UTF-8: byte 0xFC`);
  });

  it('treats an empty ./koppel.yaml as no connections', () => {
    const cwd = join(dir, 'cwd');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'koppel.yaml'), '');
    const found = lookupConnection(
      'acme',
      { source: job, path: ['connection'] },
      { env: {}, cwd, home: cwd },
    );
    expect(found.problems[0]?.message).toContain('connection `acme` not found');
  });

  it('refuses a test file that is not UTF-8, a folder, or not a mapping', async () => {
    writeFileSync(join(dir, 'a.test.yaml'), Buffer.from('cases:\n  - name: Müller\n', 'latin1'));
    await expect(loadTestFile(join(dir, 'a.test.yaml'))).rejects.toThrow(
      `${join(dir, 'a.test.yaml')}:2:12: the test file is not UTF-8: byte 0xFC`,
    );
    mkdirSync(join(dir, 'b.test.yaml'));
    await expect(loadTestFile(join(dir, 'b.test.yaml'))).rejects.toThrow('is a directory, not a file');
    writeFileSync(join(dir, 'c.test.yaml'), '- one\n- two\n');
    await expect(loadTestFile(join(dir, 'c.test.yaml'))).rejects.toThrow(
      'the test file must be a YAML mapping of `cases:` (and optionally `job:`); it holds a list',
    );
  });
});
