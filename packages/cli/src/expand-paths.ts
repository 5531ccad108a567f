import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './errors.js';

/** Characters that make an argument a pattern (`*`, `?`, `[…]`, `{a,b}`). */
const MAGIC = /[*?[{]/;

/**
 * The files named on the command line, with quoted patterns expanded the way a shell with
 * `globstar` would (`jobs/**\/*.yaml`, `jobs/*\/{a,b}.yaml`): `**` is any number of folders, `*`
 * and `?` stay inside one name, names starting with `.` and node_modules folders are skipped.
 * Plain paths are kept as given (their loader reports a missing file); a pattern that matches
 * nothing is a UsageError. Matches of one pattern are sorted; duplicates are dropped.
 */
export async function expandPaths(args: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (!MAGIC.test(arg)) {
      out.push(arg);
      continue;
    }
    const parts = arg.split('/');
    const fixed = parts.findIndex((part) => MAGIC.test(part));
    const base = parts.slice(0, fixed).join('/');
    const found = (
      await walk(base === '' && arg.startsWith('/') ? '/' : base, parts.slice(fixed), cwd)
    ).sort();
    if (found.length === 0)
      throw new UsageError(
        `${arg}: no file matches the pattern; check the pattern (quote it so the shell does not expand it)`,
      );
    out.push(...found);
  }
  return [...new Set(out)];
}

/** Paths under `dir` (as written, relative to cwd) matching the remaining pattern segments. */
async function walk(dir: string, pattern: readonly string[], cwd: string): Promise<string[]> {
  const [head, ...rest] = pattern;
  if (head === undefined) return [dir];
  const entries = await readdir(resolve(cwd, dir || '.'), { withFileTypes: true }).catch(() => []);
  const at = (name: string): string => (dir === '' ? name : dir === '/' ? `/${name}` : `${dir}/${name}`);
  const found: string[] = [];
  if (head === '**') {
    // Zero folders, then each folder below (not hidden, not node_modules).
    found.push(...(await walk(dir, rest, cwd)));
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
        found.push(...(await walk(at(entry.name), pattern, cwd)));
    }
    return found;
  }
  const match = segmentRegExp(head);
  for (const entry of entries) {
    if (entry.name.startsWith('.') && !head.startsWith('.')) continue;
    if (!match.test(entry.name)) continue;
    if (rest.length === 0 ? entry.isFile() : entry.isDirectory())
      found.push(...(await walk(at(entry.name), rest, cwd)));
  }
  return found;
}

/** One path segment of a pattern as a regular expression. */
function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const end = segment.indexOf('}', i);
      if (end < 0) source += '\\{';
      else {
        source += `(?:${segment
          .slice(i + 1, end)
          .split(',')
          .map(literal)
          .join('|')})`;
        i = end;
      }
    } else if (char === '[') {
      const end = segment.indexOf(']', i);
      if (end < 0) source += '\\[';
      else {
        source += `[${segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += literal(char);
  }
  return new RegExp(`^${source}$`);
}

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
