/** Parses a text into `YYYY-MM-DD` (date) or `YYYY-MM-DDTHH:mm:ss` (datetime); undefined when it does not match. */
export type DateParser = (text: string) => string | undefined;

const TOKENS: Record<string, string> = {
  yyyy: '(?<y>\\d{4})',
  MM: '(?<M>\\d{2})',
  M: '(?<M>\\d{1,2})',
  dd: '(?<d>\\d{2})',
  d: '(?<d>\\d{1,2})',
  HH: '(?<H>\\d{2})',
  H: '(?<H>\\d{1,2})',
  mm: '(?<m>\\d{2})',
  ss: '(?<s>\\d{2})',
};

const ISO =
  '(?<y>\\d{4})-(?<M>\\d{2})-(?<d>\\d{2})(?:[T ](?<H>\\d{2}):(?<m>\\d{2})(?::(?<s>\\d{2})(?:\\.\\d+)?)?)?';

/**
 * Compiles a date pattern (`dd-MM-yyyy`, `d-M-yyyy`, `yyyyMMdd`, `dd/MM/yyyy HH:mm`, `'T'` for a
 * literal, or `iso`) once; throws an Error naming the bad part when the pattern is not valid.
 */
export function compileDatePattern(pattern: string, kind: 'date' | 'datetime'): DateParser {
  let source = '';
  if (pattern === 'iso' || pattern === '') {
    source = ISO;
  } else {
    const seen = new Set<string>();
    const lexer = /yyyy|MM|M|dd|d|HH|H|mm|ss|'[^']*'|[A-Za-z]+|./g;
    for (const [token] of pattern.matchAll(lexer)) {
      const regex = TOKENS[token];
      if (regex) {
        const group = token[0] as string;
        if (seen.has(group)) throw new Error(`date pattern \`${pattern}\` repeats \`${token}\``);
        seen.add(group);
        source += regex;
      } else if (token.startsWith("'")) {
        source += escapeRegex(token.slice(1, -1));
      } else if (/[A-Za-z]/.test(token)) {
        throw new Error(
          `date pattern \`${pattern}\` has unknown part \`${token}\`; use yyyy, MM, M, dd, d, HH, H, mm, ss or 'literal'`,
        );
      } else {
        source += escapeRegex(token);
      }
    }
    for (const needed of ['y', 'M', 'd']) {
      if (!seen.has(needed))
        throw new Error(`date pattern \`${pattern}\` needs yyyy, MM (or M) and dd (or d)`);
    }
  }
  const regex = new RegExp(`^${source}$`);
  return (text) => {
    const groups = regex.exec(text)?.groups;
    if (!groups) return undefined;
    const year = Number(groups.y);
    const month = Number(groups.M);
    const day = Number(groups.d);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
    const date = `${groups.y}-${pad(month)}-${pad(day)}`;
    if (kind === 'date') return date;
    const hour = Number(groups.H ?? 0);
    const minute = Number(groups.m ?? 0);
    const second = Number(groups.s ?? 0);
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    return `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  };
}

const pad = (value: number): string => String(value).padStart(2, '0');
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
