/**
 * Parses a text into `YYYY-MM-DD` (date) or `YYYY-MM-DDTHH:mm:ss` (datetime); undefined when it
 * does not match or names a day that does not exist. `explain` says why a text was refused.
 */
export interface DateParser {
  (text: string): string | undefined;
  /** Why `text`, which has the pattern's shape, is not a real day (`February 2024 has no day 31 ...`); '' when it does not even have the shape. */
  explain(text: string): string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Why [year, month, day] (and [hour, minute, second]) is not a real moment, or undefined when it is. */
function impossible(date: [number, number, number], time?: [number, number, number]): string | undefined {
  const [year, month, day] = date;
  if (month < 1 || month > 12) return `month ${month} does not exist (01-12)`;
  if (day < 1 || day > daysIn(year, month)) {
    return `${MONTHS[month - 1]} ${year} has no day ${day} (it has ${daysIn(year, month)} days)`;
  }
  if (time) {
    const [hour, minute, second] = time;
    if (hour > 23) return `hour ${hour} does not exist (00-23; 24:00 is 00:00 of the next day)`;
    if (minute > 59) return `minute ${minute} does not exist (00-59)`;
    if (second > 59) return `second ${second} does not exist (00-59)`;
  }
  return undefined;
}

/** Day 0 of Excel's 1900 date system is 1899-12-31; serial 60 is the 1900-02-29 that never was. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const EXCEL_MAX = 2_958_465; // 9999-12-31

function excelParts(text: string): { date: string; seconds: number } | string {
  const match = /^(\d{1,7})(?:\.(\d+))?$/.exec(text);
  if (!match) return '';
  const serial = Number(match[1]);
  if (serial < 1 || serial > EXCEL_MAX)
    return `Excel serial ${serial} is outside 1 (1900-01-01) .. ${EXCEL_MAX} (9999-12-31)`;
  if (serial === 60)
    return "Excel serial 60 is 1900-02-29, a day that does not exist (Excel's 1900 leap-year bug)";
  // Serials before 60 count from 1900-01-01 = 1; from 61 on, Excel's phantom 29 February is skipped.
  const days = serial < 60 ? serial + 1 : serial;
  const date = new Date(EXCEL_EPOCH_MS + days * DAY_MS).toISOString().slice(0, 10);
  const seconds = match[2] ? Math.round(Number(`0.${match[2]}`) * 86_400) : 0;
  return { date, seconds };
}

function compileExcel(kind: 'date' | 'datetime'): DateParser {
  const parse = (text: string): string | undefined => {
    const parts = excelParts(text);
    if (typeof parts === 'string') return undefined;
    if (kind === 'date') return parts.seconds === 0 ? parts.date : undefined;
    if (parts.seconds >= 86_400) return undefined;
    const h = Math.floor(parts.seconds / 3600);
    const m = Math.floor((parts.seconds % 3600) / 60);
    return `${parts.date}T${pad(h)}:${pad(m)}:${pad(parts.seconds % 60)}`;
  };
  return Object.assign(parse, {
    explain(text: string): string {
      const parts = excelParts(text);
      if (typeof parts === 'string') return parts;
      if (kind === 'date' && parts.seconds !== 0) return 'has a time of day; use `type: datetime` to keep it';
      return 'rounds to 24:00 of the day; write the next day';
    },
  });
}

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
 * literal, `iso`, or `excel` for Excel serial day numbers) once; throws an Error naming the bad
 * part when the pattern is not valid. Days that do not exist (2024-02-31, 2023-02-29, month 13,
 * hour 24) never parse: nothing rolls over into the next month.
 */
export function compileDatePattern(pattern: string, kind: 'date' | 'datetime'): DateParser {
  if (pattern === 'excel') return compileExcel(kind);
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
  const timeOf = (match: RegExpExecArray): [number, number, number] => [
    H ? Number(match[H] ?? 0) : 0,
    m ? Number(match[m] ?? 0) : 0,
    s ? Number(match[s] ?? 0) : 0,
  ];
  const parse = (text: string): string | undefined => {
    const match = regex.exec(text);
    if (!match) return undefined;
    const year = Number(match[y]);
    const month = Number(match[M]);
    const day = Number(match[d]);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
    const date = `${match[y]}-${pad(month)}-${pad(day)}`;
    if (kind === 'date') return date;
    const [hour, minute, second] = timeOf(match);
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    return `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  };
  return Object.assign(parse, {
    explain(text: string): string {
      const match = regex.exec(text);
      if (!match) return '';
      const time = kind === 'datetime' ? timeOf(match) : undefined;
      return impossible([Number(match[y]), Number(match[M]), Number(match[d])], time) ?? '';
    },
  });
}

const pad = (value: number): string => String(value).padStart(2, '0');
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS[month - 1] ?? 0;
}
