/** Lower-case and upper-case digit alphabets for string boundaries. */
const LOWER = '0123456789abcdefghijklmnopqrstuvwxyz';
const UPPER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = 6;

/** Split points between two integers: up to `slices - 1` strictly increasing values in (min, max]. */
export function intBoundaries(min: number, max: number, slices: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < slices; i++) {
    const point = min + Math.ceil(((max - min) * i) / slices);
    if (point > min && point <= max && point !== out[out.length - 1]) out.push(point);
  }
  return out;
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

function rank(char: string | undefined, alphabet: string): number {
  if (char === undefined) return 0;
  const folded = alphabet === LOWER ? char.toLowerCase() : char.toUpperCase();
  const index = alphabet.indexOf(folded);
  if (index >= 0) return index + 1;
  let below = 0;
  for (const c of alphabet) if (c < folded) below++;
  return below + (below === alphabet.length ? 0 : 1);
}

/**
 * Split points between two strings: the shared prefix followed by letters and digits only, strictly
 * increasing and in (min, max]. Any increasing set of boundaries keeps the ranges disjoint and complete;
 * interpolation only balances them.
 */
export function stringBoundaries(min: string, max: string, slices: number): string[] {
  const upper = /[A-Z]/.test(min + max) && !/[a-z]/.test(min + max);
  const alphabet = upper ? UPPER : LOWER;
  const fold = (s: string) => (upper ? s.toUpperCase() : s.toLowerCase());
  const lo = fold(min);
  const hi = fold(max);
  const prefix = commonPrefix(lo, hi);
  const base = alphabet.length + 1;
  const value = (s: string) => {
    let v = 0;
    for (let i = 0; i < DIGITS; i++) v = v * base + rank(s[prefix.length + i], alphabet);
    return v;
  };
  const vlo = value(lo);
  const vhi = value(hi);
  const candidates = new Set<string>();
  for (let i = 1; i < slices; i++) {
    let v = Math.floor(vlo + ((vhi - vlo) * i) / slices);
    const digits: number[] = [];
    for (let d = 0; d < DIGITS; d++) {
      digits.unshift(v % base);
      v = Math.floor(v / base);
    }
    let suffix = '';
    for (const digit of digits) {
      if (digit === 0) break;
      suffix += alphabet[digit - 1];
    }
    candidates.add(prefix + suffix);
  }
  const inRange = (s: string) => s > lo && s <= hi && /^[0-9a-zA-Z]*$/.test(s.slice(prefix.length));
  return [...candidates].filter(inRange).sort();
}
