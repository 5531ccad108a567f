/** Where two JSON values first differ, and how. */
export interface Difference {
  /** JSONPath-like location, e.g. `$[0].body.KnPerson.Element.Fields.ViGe`. */
  path: string;
  message: string;
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));
const step = (key: string): string =>
  /^[A-Za-z_@$][\w@$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;

/** How two values are compared: every key (exact) or only the keys the expectation names (partial). */
export interface DiffOptions {
  /**
   * partial: objects compare only the keys of the expected value; arrays compare the expected
   * items by index (items past the end of the expected array are not compared). Default false.
   */
  partial?: boolean;
  /** Stop after this many differences; default all. */
  limit?: number;
  /** The path the compared values have, prefixed to every difference's path; default `$`. */
  path?: string;
}

/** The first difference between two plain JSON values (depth first, in the actual key order), or undefined. */
export function firstDifference(expected: unknown, actual: unknown, path = '$'): Difference | undefined {
  return differences(expected, actual, { limit: 1, path })[0];
}

/** Every difference between two plain JSON values, depth first in the actual key order, each with its path. */
export function differences(expected: unknown, actual: unknown, options: DiffOptions = {}): Difference[] {
  const found: Difference[] = [];
  const walk = walker(options.partial === true, (difference) => {
    found.push(difference);
    return found.length < (options.limit ?? Number.POSITIVE_INFINITY);
  });
  walk(expected, actual, options.path ?? '$');
  return found;
}

type Walk = (expected: unknown, actual: unknown, path: string) => boolean;

/** A walk that reports differences to `add` until it returns false; the walk returns false once stopped. */
function walker(partial: boolean, add: (difference: Difference) => boolean): Walk {
  const walk: Walk = (expected, actual, path) => {
    if (Array.isArray(expected) && Array.isArray(actual)) {
      const shared = Math.min(expected.length, actual.length);
      for (let i = 0; i < shared; i++) {
        if (!walk(expected[i], actual[i], `${path}[${i}]`)) return false;
      }
      if (expected.length === actual.length || (partial && actual.length > expected.length)) return true;
      return add({ path, message: `expected ${expected.length} item(s), got ${actual.length}` });
    }
    if (isObject(expected) && isObject(actual)) {
      for (const key of Object.keys(actual)) {
        if (!Object.hasOwn(expected, key)) {
          if (partial) continue;
          if (!add({ path: `${path}${step(key)}`, message: `not expected, got ${show(actual[key])}` }))
            return false;
          continue;
        }
        if (!walk(expected[key], actual[key], `${path}${step(key)}`)) return false;
      }
      for (const key of Object.keys(expected)) {
        if (!Object.hasOwn(actual, key)) {
          if (!add({ path: `${path}${step(key)}`, message: `expected ${show(expected[key])}, got nothing` }))
            return false;
        }
      }
      return true;
    }
    if (Object.is(expected, actual)) return true;
    return add({ path, message: `expected ${show(expected)}, got ${show(actual)}` });
  };
  return walk;
}

/**
 * `actual` cut down to the shape of `expected`: only the keys it names and, in arrays, only as
 * many items as it has. What a partial expectation compares (and what `--update` writes for it).
 */
export function project(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.slice(0, expected.length).map((item, i) => project(item, expected[i]));
  }
  if (isObject(actual) && isObject(expected)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) {
      if (Object.hasOwn(actual, key)) out[key] = project(actual[key], expected[key]);
    }
    return out;
  }
  return actual;
}

/** `expected` with its object keys in the order `actual` has them, so a diff shows only real changes. */
export function alignKeys(expected: unknown, actual: unknown): unknown {
  if (Array.isArray(expected)) {
    return expected.map((item, i) => alignKeys(item, Array.isArray(actual) ? actual[i] : undefined));
  }
  if (!isObject(expected)) return expected;
  const order = isObject(actual) ? Object.keys(actual).filter((key) => Object.hasOwn(expected, key)) : [];
  const rest = Object.keys(expected).filter((key) => !order.includes(key));
  const out: Record<string, unknown> = {};
  for (const key of [...order, ...rest]) {
    out[key] = alignKeys(expected[key], isObject(actual) ? actual[key] : undefined);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A unified diff (`--- expected`, `+++ actual`, `@@` hunks with `context` lines around each
 * change) of two texts, line by line; empty when they are equal.
 */
export function unifiedDiff(expected: string, actual: string, context = 3): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const ops = diffLines(a, b);
  if (ops.every((op) => op.kind === ' ')) return '';
  const out = ['--- expected', '+++ actual'];
  const changes = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  let h = 0;
  while (h < changes.length) {
    let last = h;
    while (
      last + 1 < changes.length &&
      (changes[last + 1] as number) - (changes[last] as number) <= 2 * context + 1
    )
      last++;
    const from = Math.max(0, (changes[h] as number) - context);
    const to = Math.min(ops.length, (changes[last] as number) + context + 1);
    const hunk = ops.slice(from, to);
    const first = hunk[0] as Op;
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${first.a + 1},${aCount} +${first.b + 1},${bCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.text}`);
    h = last + 1;
  }
  return out.join('\n');
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  /** Index in the expected lines where this op stands. */
  a: number;
  /** Index in the actual lines where this op stands. */
  b: number;
}

/** Line diff by longest common subsequence (payloads are small: hundreds of lines at most). */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i] as string, a: i++, b: j++ });
    } else if (i < n && (j === m || (lcs[i + 1]?.[j] as number) >= (lcs[i]?.[j + 1] as number))) {
      ops.push({ kind: '-', text: a[i] as string, a: i++, b: j });
    } else {
      ops.push({ kind: '+', text: b[j] as string, a: i, b: j++ });
    }
  }
  return ops;
}
