const AMSTERDAM = 'Europe/Amsterdam';
const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: AMSTERDAM,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function amsterdamParts(epochMs: number): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Amsterdam's UTC offset at an instant, in milliseconds (3600000 in winter, 7200000 in summer). */
export function amsterdamOffsetMs(epochMs: number): number {
  // Amsterdam changes offset on whole UTC hours, so the offset is constant within one UTC hour.
  const hour = Math.floor(epochMs / 3_600_000);
  const cached = offsetCache.get(hour);
  if (cached !== undefined) return cached;
  const start = hour * 3_600_000;
  const p = amsterdamParts(start);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
  if (offsetCache.size > 10_000) offsetCache.clear();
  offsetCache.set(hour, offset);
  return offset;
}

const offsetCache = new Map<number, number>();

/**
 * The instant of an Amsterdam wall-clock time. In the autumn overlap the earlier (summer-time)
 * instant is chosen; a time in the spring gap is moved forward by the gap (02:30 -> 03:30 CEST),
 * like Temporal's "compatible" disambiguation.
 */
export function amsterdamToInstant(p: LocalParts, millisecond = 0): Date {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, millisecond);
  const before = amsterdamOffsetMs(wall - 86_400_000);
  const after = amsterdamOffsetMs(wall + 86_400_000);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => amsterdamOffsetMs(instant) === wall - instant)
    .sort((a, b) => a - b);
  const first = candidates[0];
  return new Date(first ?? wall - before);
}

const AFAS_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z)?$/;

/**
 * Parse an AFAS date or datetime (`2024-03-31T02:30:00Z`, `2024-01-31`) as Amsterdam local time:
 * AFAS writes a `Z` but means Europe/Amsterdam. Returns undefined for anything else.
 */
export function parseAfasDate(value: string): Date | undefined {
  const match = AFAS_DATETIME.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  const parts = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  if (
    parts.month < 1 ||
    parts.month > 12 ||
    parts.day < 1 ||
    parts.day > 31 ||
    parts.hour > 23 ||
    parts.minute > 59 ||
    parts.second > 59
  ) {
    return undefined;
  }
  return amsterdamToInstant(parts, ms ? Number(ms.padEnd(3, '0')) : 0);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Format an instant as Amsterdam local `YYYY-MM-DDTHH:mm:ss` (no `Z`), the form AFAS filters and payloads expect. */
export function formatAfasDateTime(date: Date): string {
  const p = amsterdamParts(date.getTime());
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** Format an instant as its Amsterdam calendar date `YYYY-MM-DD`. */
export function formatAfasDate(date: Date): string {
  return formatAfasDateTime(date).slice(0, 10);
}
