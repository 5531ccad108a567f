/** Parses a text into `YYYY-MM-DD` (date) or `YYYY-MM-DDTHH:mm:ss` (datetime); undefined when it does not match. */
export type DateParser = (text: string) => string | undefined;

const TOKENS: Record<string, string> = {
  yyyy: '(\\d{4})',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  dd: '(\\d{2})',
  d: '(\\d{1,2})',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
};

const ISO = '(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?)?';
const ISO_ORDER = ['y', 'M', 'd', 'H', 'm', 's'];

/**
 * Compiles a date pattern (`dd-MM-yyyy`, `d-M-yyyy`, `yyyyMMdd`, `dd/MM/yyyy HH:mm`, `'T'` for a
 * literal, or `iso`) once; throws an Error naming the bad part when the pattern is not valid.
 */
export function compileDatePattern(pattern: string, kind: 'date' | 'datetime'): DateParser {
  let source = '';
  let order: string[] = [];
  if (pattern === 'iso' || pattern === '') {
    source = ISO;
    order = ISO_ORDER;
  } else {
    const seen = new Set<string>();
    const lexer = /yyyy|MM|M|dd|d|HH|H|mm|ss|'[^']*'|[A-Za-z]+|./g;
    for (const [token] of pattern.matchAll(lexer)) {
      const regex = TOKENS[token];
      if (regex) {
        const group = token[0] as string;
        if (seen.has(group)) throw new Error(`date pattern \`${pattern}\` repeats \`${token}\``);
        seen.add(group);
        order.push(group);
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
  const at = (part: string): number => order.indexOf(part) + 1;
  const [y, M, d, H, m, s] = ['y', 'M', 'd', 'H', 'm', 's'].map(at) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return (text) => {
    const match = regex.exec(text);
    if (!match) return undefined;
    const year = Number(match[y]);
    const month = Number(match[M]);
    const day = Number(match[d]);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
    const date = `${match[y]}-${pad(month)}-${pad(day)}`;
    if (kind === 'date') return date;
    const hour = H ? Number(match[H] ?? 0) : 0;
    const minute = m ? Number(match[m] ?? 0) : 0;
    const second = s ? Number(match[s] ?? 0) : 0;
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    return `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  };
}

const pad = (value: number): string => String(value).padStart(2, '0');
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS[month - 1] ?? 0;
}
