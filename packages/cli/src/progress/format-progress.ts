import type { ProgressFigures, ProgressRenderer } from '@koppel/runner';
import { etaMs, formatClock, formatDuration } from '@koppel/runner';

/** `1,234,567`. */
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

const percent = (figures: ProgressFigures): number | undefined =>
  figures.total === undefined
    ? undefined
    : figures.total === 0
      ? 100
      : Math.min(100, (figures.done / figures.total) * 100);

const rateText = (rate: number): string => (rate < 10 ? rate.toFixed(1) : count(rate));

/** `2 retries, 1 pause (503)`. */
const waitsText = ({ retries, pauses }: ProgressFigures): string =>
  `${count(retries)} ${retries === 1 ? 'retry' : 'retries'}, ${count(pauses)} ${pauses === 1 ? 'pause' : 'pauses'} (503)`;

/** Why the run is waiting now: a 503 pause, a hanging request, records waiting for a retry. */
export function waitingText(figures: ProgressFigures, reasonMax = 80): string | undefined {
  if (figures.pausedMs !== undefined) {
    // Rounded up: never "resumes in 0 s" while still paused.
    return `paused by AFAS (503), resumes in ${formatDuration(Math.ceil(figures.pausedMs / 1000) * 1000)}`;
  }
  if (figures.stalled) return figures.stalled;
  if (figures.retrying > 0) {
    const reason = figures.retryReason ?? '';
    const cut = reason.length > reasonMax ? `${reason.slice(0, reasonMax - 1)}…` : reason;
    return `retrying ${count(figures.retrying)}${cut ? `: ${cut}` : ''}`;
  }
  return undefined;
}

/** `ETA 16 s (19:03:12)`, `ETA unknown`; undefined without a total or while a request hangs. */
function etaText(figures: ProgressFigures, now: number): string | undefined {
  if (figures.total === undefined || figures.stalled) return undefined;
  const eta = etaMs(figures);
  if (eta === undefined) return 'ETA unknown (nothing settled in the last window)';
  if (eta === 0) return 'done';
  return `ETA ${formatDuration(eta)} (${formatClock(now + eta, now)})`;
}

/** `41.2% 412/1,000 source records` (or `412 records` without a total). */
function doneText(figures: ProgressFigures): string {
  const pct = percent(figures);
  if (pct === undefined || figures.total === undefined) return `${count(figures.done)} ${figures.unit}`;
  return `${pct.toFixed(1)}% ${count(figures.done)}/${count(figures.total)} ${figures.unit}`;
}

/** `[████████░░░░░░░░░░░░]`. */
export function barText(figures: ProgressFigures, width: number): string | undefined {
  const pct = percent(figures);
  if (pct === undefined) return undefined;
  const full = Math.floor((pct / 100) * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/**
 * The terminal's progress bar, one line at most `columns` wide:
 * `[████████░░░░░░░░░░░░] 41.2% 412/1,000 source records · 38/s · ETA 16 s (19:03:12) · 2 retries, 1 pause (503) · paused by AFAS (503), resumes in 12 s`.
 * Parts that do not fit are left off, least important first.
 */
export function progressBar(figures: ProgressFigures, columns: number, now = Date.now()): string {
  const bar = barText(figures, columns < 100 ? 10 : 20);
  const head = `${bar ? `${bar} ` : ''}${doneText(figures)}`;
  // AFAS's message of a retry can be long: the rate and ETA matter more than its end.
  const waiting = waitingText(figures, 45);
  const eta = etaText(figures, now);
  // Display order; the number is the priority (the lowest goes first when the line is too long).
  const parts: [string | undefined, number][] = [
    [`${rateText(figures.rate)}/s`, 3],
    [eta, 4],
    [figures.rejected > 0 ? `${count(figures.rejected)} rejected` : undefined, 1],
    [figures.retries + figures.pauses > 0 ? waitsText(figures) : undefined, 2],
    [waiting, 5],
  ];
  const shown = parts.filter((part): part is [string, number] => part[0] !== undefined);
  const line = (): string => [head, ...shown.map(([text]) => text)].join(' · ');
  while (line().length > columns - 1 && shown.length > 1) {
    const lowest = shown.reduce((min, part) => (part[1] < min[1] ? part : min));
    shown.splice(shown.indexOf(lowest), 1);
  }
  const text = line();
  return text.length > columns - 1 ? `${text.slice(0, Math.max(0, columns - 2))}…` : text;
}

/**
 * A plain progress line (not a terminal):
 * `koppel: 412/1,000 source records (41.2%), 38.0/s over the last 30 s, ETA 16 s (19:03:12); 3 rejected, 0 uncertain; 2 retries, 1 pause (503)`.
 */
export function progressLine(figures: ProgressFigures, now = Date.now()): string {
  const pct = percent(figures);
  const done =
    figures.total === undefined || pct === undefined
      ? `${count(figures.done)} ${figures.unit}`
      : `${count(figures.done)}/${count(figures.total)} ${figures.unit} (${pct.toFixed(1)}%)`;
  const eta = etaText(figures, now);
  const waiting = waitingText(figures);
  return (
    `koppel: ${done}, ${rateText(figures.rate)}/s over the last ${formatDuration(figures.windowMs)}${eta ? `, ${eta}` : ''}` +
    `; ${count(figures.rejected)} rejected, ${count(figures.uncertain)} uncertain; ${waitsText(figures)}` +
    (waiting ? `; ${waiting}` : '')
  );
}

/** The progress lines of `koppel status RUN` (a run on BullMQ): bar, rate and ETA, retries and pauses. */
export function progressReport(figures: ProgressFigures, now = Date.now()): string[] {
  const bar = barText(figures, 20);
  const eta = etaText(figures, now);
  const waiting = waitingText(figures);
  return [
    `progress: ${bar ? `${bar} ` : ''}${doneText(figures)}`,
    `rate:     ${rateText(figures.rate)} ${figures.unit}/s over the last ${formatDuration(figures.windowMs)}${eta ? `; ${eta}` : ''}`,
    `waits:    ${waitsText(figures)}${waiting ? `; now ${waiting}` : ''}`,
  ];
}

/** What `koppel run` draws its progress with (RunLog). */
export const progressRenderer: ProgressRenderer = {
  bar: (figures, columns) => progressBar(figures, columns),
  line: (figures) => progressLine(figures),
};
