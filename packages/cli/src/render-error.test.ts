import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { renderError } from './render-error.js';

const env = {};

/** A Node system error as fs and net make them. */
function systemError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? fields.code)), fields);
}

describe('renderError', () => {
  it('prints a typed error as its own message, exit 1; a usage error exits 2', () => {
    const typed = Object.assign(new Error('job.yaml:3:5: `name` must not be empty'), {
      code: 'KOPPEL_JOB_INVALID',
    });
    expect(renderError(typed, { env })).toEqual({
      text: 'koppel: job.yaml:3:5: `name` must not be empty',
      exitCode: 1,
    });
    expect(renderError(new UsageError('--limit: expected a whole number ≥ 1, got `x`'), { env })).toEqual({
      text: 'koppel: --limit: expected a whole number ≥ 1, got `x`',
      exitCode: 2,
    });
  });

  it.each([
    [
      { code: 'ENOENT', syscall: 'open', path: '/data/in.csv' },
      'koppel: /data/in.csv: does not exist (or its directory does not); check the path (ENOENT)',
    ],
    [{ code: 'EACCES', syscall: 'open', path: '/etc/koppel' }, 'koppel: /etc/koppel: permission denied;'],
    [
      { code: 'EISDIR', syscall: 'read', path: '/tmp' },
      'koppel: /tmp: is a directory where a file is expected',
    ],
    [{ code: 'ENOTDIR', syscall: 'mkdir', path: '/tmp/f/x' }, 'a part of the path is a file'],
    [{ code: 'EEXIST', syscall: 'mkdir', path: '/tmp/x' }, 'koppel: /tmp/x: already exists'],
    [{ code: 'ENOSPC', syscall: 'write', path: '/var/out.csv' }, 'no space left on the device'],
    [
      { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 6379 },
      'koppel: 127.0.0.1:6379: connection refused',
    ],
    [
      { code: 'EADDRINUSE', syscall: 'listen', address: '127.0.0.1', port: 8080 },
      'choose another --port (EADDRINUSE)',
    ],
  ])('renders the system error %o as one line with where and what to do', (fields, expected) => {
    const { text, exitCode } = renderError(systemError(fields), { env });
    expect(text).toContain(expected);
    expect(text).not.toContain('internal error');
    expect(text.split('\n')).toHaveLength(1);
    expect(exitCode).toBe(1);
  });

  it('finds a system error in the cause chain or an AggregateError (fetch, dual-stack connect)', () => {
    const refused = systemError({ code: 'ECONNREFUSED', address: '::1', port: 8080 });
    const fetchFailed = new TypeError('fetch failed', {
      cause: new AggregateError([refused], 'connect failed'),
    });
    expect(renderError(fetchFailed, { env }).text).toBe(
      'koppel: ::1:8080: connection refused; is the server running and is the address right? (ECONNREFUSED)',
    );
  });

  it('calls anything else an internal error, in one line, with how to report it', () => {
    const { text, exitCode } = renderError(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      {
        command: 'plan',
        env,
      },
    );
    expect(text).toBe(
      `koppel: internal error: TypeError: Cannot read properties of undefined (reading 'x'); this is a bug in Koppel, not in your job: re-run with KOPPEL_DEBUG=1 for the stack trace and report it as an issue titled "internal error in koppel plan: TypeError"`,
    );
    expect(exitCode).toBe(1);
    expect(renderError('a thrown string', { env }).text).toContain(
      'internal error: string: a thrown string;',
    );
  });

  it('shows the stack and its causes only with KOPPEL_DEBUG', () => {
    const error = new Error('outer', { cause: new Error('inner') });
    expect(renderError(error, { env }).text).not.toContain('    at ');
    const debug = renderError(error, { env: { KOPPEL_DEBUG: '1' } }).text;
    expect(debug).toContain('    at ');
    expect(debug).toContain('caused by: Error: inner');
  });

  it('cuts a value echoed whole and caps the number of problem lines', () => {
    const long = Object.assign(new Error(`bad value ${'x'.repeat(1_000_000)} in job.yaml:1:1`), {
      code: 'KOPPEL_X',
    });
    const { text } = renderError(long, { env });
    expect(text.length).toBeLessThan(200);
    expect(text).toBe(`koppel: bad value ${'x'.repeat(120)}… in job.yaml:1:1`);
    const many = Object.assign(
      new Error(Array.from({ length: 50 }, (_, i) => `job.yaml:${i + 1}:1: problem`).join('\n')),
      {
        code: 'KOPPEL_JOB_INVALID',
      },
    );
    const lines = renderError(many, { env }).text.split('\n');
    expect(lines).toHaveLength(21);
    expect(lines.at(-1)).toBe('… and 30 more (`koppel validate` lists every problem)');
  });
});
