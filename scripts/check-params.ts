/**
 * STYLE.md: "At most three positional parameters; beyond that an options object." Lists every
 * function-like declaration (functions, methods, constructors, arrows, function expressions,
 * accessors) in packages/<pkg>/src/**\/*.ts, *.generated.ts excluded, that takes more than three
 * parameters and is not in ALLOWED below; prints `file:line name count` for each and exits 1 when
 * there is any; an ALLOWED entry that names no such function is reported too (exit 1), so the
 * list cannot go stale. Run: npx tsx scripts/check-params.ts [root] (root defaults to the
 * repository); `pnpm lint` runs it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** More parameters than this need an options object. */
export const MAX_PARAMETERS = 3;

/**
 * Functions allowed more than three parameters, keyed `path/from/root.ts name` (the name as
 * printed, `(anon)` for an unnamed arrow or function expression), each with its reason.
 */
export const ALLOWED: Readonly<Record<string, string>> = {};

/** One function-like declaration with too many parameters. */
export interface Offender {
  /** Path from the root, `/`-separated. */
  file: string;
  /** 1-based line of the declaration's start. */
  line: number;
  /** The declared name, `Class.method`, or `(anon)`. */
  name: string;
  /** Number of declared parameters (a `this` parameter does not count). */
  count: number;
}

/** The .ts files under packages/<pkg>/src of `root`, sorted, *.generated.ts and .d.ts excluded. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(path);
      } else if (
        entry.name.endsWith('.ts') &&
        !entry.name.endsWith('.d.ts') &&
        !entry.name.endsWith('.generated.ts')
      ) {
        files.push(path);
      }
    }
  };
  const packages = join(root, 'packages');
  for (const entry of readdirSync(packages, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const src = join(packages, entry.name, 'src');
    try {
      walk(src);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files.sort();
}

function nameOf(node: ts.SignatureDeclaration): string {
  const own = (n: ts.Node): string | undefined => {
    const name = (n as { name?: ts.Node }).name;
    if (name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name))) {
      return name.text;
    }
    return undefined;
  };
  if (ts.isConstructorDeclaration(node)) {
    const cls = node.parent;
    return `${own(cls) ?? '(anon)'}.constructor`;
  }
  const name = own(node);
  if (name !== undefined) {
    const parent = node.parent;
    if ((ts.isMethodDeclaration(node) || ts.isAccessor(node)) && ts.isClassLike(parent)) {
      return `${own(parent) ?? '(anon)'}.${name}`;
    }
    return name;
  }
  // `const f = (a, b, c, d) => ...` and `f: function (...) {}` are named by what holds them.
  const parent = node.parent;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent)
  ) {
    const held = own(parent);
    if (held !== undefined) return held;
  }
  return '(anon)';
}

/** Every function-like declaration in one file's text with more than MAX_PARAMETERS parameters. */
export function longParameterLists(file: string, text: string): Offender[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Offender[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && !ts.isFunctionTypeNode(node) && !ts.isConstructorTypeNode(node)) {
      const params = node.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
      if (params.length > MAX_PARAMETERS) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push({ file, line: line + 1, name: nameOf(node), count: params.length });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every function-like declaration under `root` with more than MAX_PARAMETERS parameters, ALLOWED or not. */
export function longParameterListsUnder(root: string): Offender[] {
  return sourceFiles(root).flatMap((path) =>
    longParameterLists(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8')),
  );
}

/** What the check found: the offenders `allowed` does not name, and the entries of `allowed` that name none. */
export interface CheckResult {
  offenders: Offender[];
  /** Keys of `allowed` that match no declaration over the limit (stale: remove them). */
  unused: string[];
}

/** The offenders under `root` that ALLOWED (or `allowed`) does not name, and the ALLOWED keys that name none. */
export function checkParams(root: string, allowed: Readonly<Record<string, string>> = ALLOWED): CheckResult {
  const all = longParameterListsUnder(root);
  const seen = new Set(all.map((o) => `${o.file} ${o.name}`));
  return {
    offenders: all.filter((o) => !(`${o.file} ${o.name}` in allowed)),
    unused: Object.keys(allowed).filter((key) => !seen.has(key)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
  const { offenders, unused } = checkParams(root);
  for (const o of offenders) console.log(`${o.file}:${o.line} ${o.name} ${o.count}`);
  for (const key of unused)
    console.log(`scripts/check-params.ts ALLOWED "${key}" names no function over the limit`);
  if (offenders.length > 0) {
    console.error(
      `${offenders.length} function(s) take more than ${MAX_PARAMETERS} positional parameters; ` +
        'give them an options object (STYLE.md) or, with a reason, an entry in ALLOWED in scripts/check-params.ts.',
    );
  }
  if (unused.length > 0) {
    const what = unused.length === 1 ? 'entry matches' : 'entries match';
    console.error(`${unused.length} ALLOWED ${what} nothing; remove it from scripts/check-params.ts.`);
  }
  if (offenders.length > 0 || unused.length > 0) process.exit(1);
}
