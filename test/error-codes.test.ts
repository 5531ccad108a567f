/**
 * Every error class a library package exports carries a stable `code` starting KOPPEL_, so the
 * CLI renders it as the user's problem, never as "internal error". Checked on the sources, so a
 * new class without a code fails here before a user meets it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const PACKAGES = ['core', 'afas', 'runner', 'cli'];
/** Error classes that never leave their module: each is caught and turned into a typed error there. */
const INTERNAL: Record<string, string> = {
  JsonSyntaxProblem: 'json-source turns it into JsonFormatError (KOPPEL_JSON_FORMAT) with file:line:col',
  PhaseTimeout: 'http.ts turns it into AfasTimeoutError (KOPPEL_AFAS_TIMEOUT)',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

interface ErrorClass {
  name: string;
  parent: string;
  body: string;
  file: string;
}

const classes: ErrorClass[] = PACKAGES.flatMap((pkg) =>
  sources(join(ROOT, 'packages', pkg, 'src')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/class (\w+) extends (\w+) \{([\s\S]*?)\n\}/g)].map((match) => ({
      name: match[1] ?? '',
      parent: match[2] ?? '',
      body: match[3] ?? '',
      file: relative(ROOT, file),
    }));
  }),
).filter(
  (found, _index, all) => found.parent === 'Error' || all.some((other) => other.name === found.parent),
);

/** A class has a code when it sets one (`code = 'KOPPEL_…'`, `super('KOPPEL_…'`, a computed KOPPEL_ code) or inherits one. */
function hasCode(found: ErrorClass, seen = new Set<string>()): boolean {
  if (/code = 'KOPPEL_[A-Z0-9_]+'/.test(found.body)) return true;
  // A base taking the code from its subclasses (AfasError): each subclass is checked on its own.
  if (/constructor\(code: string/.test(found.body) && classes.some((other) => other.parent === found.name))
    return true;
  if (/super\(\s*'KOPPEL_[A-Z0-9_]+'/.test(found.body)) return true;
  if (/super\(\s*(code|fromProfit \? 'KOPPEL_)/.test(found.body) && found.body.includes("'KOPPEL_"))
    return true;
  const parent = classes.find((other) => other.name === found.parent);
  if (!parent || seen.has(parent.name)) return false;
  if (found.parent === 'AfasError') return true; // AfasError takes the code as its first argument, checked below
  return hasCode(parent, seen.add(found.name));
}

describe('error codes', () => {
  it('finds the error classes of every library package', () => {
    expect(classes.length).toBeGreaterThanOrEqual(30);
  });

  it.each(classes.filter((found) => !(found.name in INTERNAL)).map((found) => [found.name, found] as const))(
    '%s carries a KOPPEL_ code',
    (_name, found) => {
      expect(hasCode(found), `${found.file}: class ${found.name} has no KOPPEL_ code`).toBe(true);
    },
  );

  it('every subclass of AfasError passes a KOPPEL_ code to it', () => {
    for (const found of classes.filter((item) => item.parent === 'AfasError')) {
      expect(found.body, found.name).toMatch(/super\(\s*(?:'KOPPEL_|code|fromProfit \? 'KOPPEL_)/);
    }
  });
});
