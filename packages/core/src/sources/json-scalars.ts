/** Where a JSON scalar's source text is wrong: an index into that text and what is wrong there. */
export interface ScalarProblem {
  at: number;
  detail: string;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Checks a number's source text against RFC 8259 (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`);
 * returns the first wrong character, or undefined when the text is a JSON number.
 */
export function numberProblem(text: string): ScalarProblem | undefined {
  const n = text.length;
  let i = 0;
  if (text.charCodeAt(i) === 45) i++;
  const first = text.charCodeAt(i);
  if (first === 48) {
    i++;
    if (isDigit(text.charCodeAt(i))) return { at: i, detail: 'a number cannot have a leading zero' };
  } else if (isDigit(first)) {
    while (isDigit(text.charCodeAt(i))) i++;
  } else return { at: i, detail: 'expected a digit after `-`' };
  if (text.charCodeAt(i) === 46) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return { at: i, detail: 'expected a digit after the decimal point' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    if (!isDigit(text.charCodeAt(i))) return { at: i, detail: 'expected a digit in the exponent' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i < n ? { at: i, detail: `unexpected \`${text[i]}\` in a number` } : undefined;
}

/** A decoded JSON string, with the index of its first escape writing a C0 control other than tab, LF and CR (-1: none). */
export interface DecodedString {
  value: string;
  controlAt: number;
}

const SHORT: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const VALID_ESCAPES = 'valid escapes: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX';

function hex4(raw: string, at: number): number {
  if (at + 4 > raw.length) return -1;
  let code = 0;
  for (let k = at; k < at + 4; k++) {
    const c = raw.charCodeAt(k);
    const digit =
      c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0) return -1;
    code = code * 16 + digit;
  }
  return code;
}

const isControl = (code: number): boolean => code < 0x20 && code !== 9 && code !== 10 && code !== 13;

/**
 * Decodes the text between a JSON string's quotes (no raw control characters: the tokenizer
 * refused those). Refuses bad escapes and lone surrogates (`\uD800` not followed by `\uDC00`-`\uDFFF`,
 * or a low one alone): Koppel reads input exactly or not at all, and a lone surrogate has no UTF-8.
 */
export function decodeJsonString(raw: string): DecodedString | ScalarProblem {
  let value = '';
  let from = 0;
  let controlAt = -1;
  for (let k = raw.indexOf('\\'); k !== -1; k = raw.indexOf('\\', from)) {
    value += raw.slice(from, k);
    const letter = raw[k + 1] ?? '';
    if (letter !== 'u') {
      const short = SHORT[letter];
      if (short === undefined)
        return { at: k, detail: `invalid escape \`\\${letter}\` in a string (${VALID_ESCAPES})` };
      if (controlAt < 0 && isControl(short.charCodeAt(0))) controlAt = k;
      value += short;
      from = k + 2;
      continue;
    }
    const code = hex4(raw, k + 2);
    if (code < 0) {
      return {
        at: k,
        detail: `invalid escape \`${raw.slice(k, k + 6)}\` in a string: \\u takes 4 hex digits (${VALID_ESCAPES})`,
      };
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const low = code <= 0xdbff && raw[k + 6] === '\\' && raw[k + 7] === 'u' ? hex4(raw, k + 8) : -1;
      if (low < 0xdc00 || low > 0xdfff) {
        return {
          at: k,
          detail: `lone surrogate \`${raw.slice(k, k + 6)}\` in a string: a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF escape (one character written as a pair)`,
        };
      }
      value += String.fromCharCode(code, low);
      from = k + 12;
      continue;
    }
    if (controlAt < 0 && isControl(code)) controlAt = k;
    value += String.fromCharCode(code);
    from = k + 6;
  }
  value += raw.slice(from);
  return { value, controlAt };
}
