/**
 * Profit stores and returns Amsterdam local time. The simulator keeps datetimes as local
 * `YYYY-MM-DDTHH:mm:ss` strings (no zone) and adds the misleading `Z` only when rendering rows.
 */
export interface Clock {
  /** Current Amsterdam local time as `YYYY-MM-DDTHH:mm:ss`. */
  now(): string;
}

const formatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Formats an instant as Amsterdam local `YYYY-MM-DDTHH:mm:ss`. */
export function amsterdamLocal(instant: Date): string {
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

let lastSecond = Number.NaN;
let lastText = '';

/** The system clock; formatted once per second (every write of a request stamps the same text). */
export const systemClock: Clock = {
  now() {
    const second = Math.floor(Date.now() / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastText = amsterdamLocal(new Date(second * 1000));
    }
    return lastText;
  },
};

/** A clock for tests: starts at `start` (local) and advances `stepSeconds` on every call. */
export function steppingClock(start: string, stepSeconds = 1): Clock {
  let t = Date.parse(`${start}Z`);
  return {
    now() {
      const value = new Date(t).toISOString().slice(0, 19);
      t += stepSeconds * 1000;
      return value;
    },
  };
}
