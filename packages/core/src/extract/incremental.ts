import type { FieldValue } from '../record.js';
import { StateError } from './errors.js';

/** The state of an incremental job, as kept in `.koppel/state/<job>.json`. */
export interface IncrementalState {
  version: 1;
  /** Job name. */
  job: string;
  /** The watermark field, e.g. ModifiedDate. */
  field: string;
  /** Latest value of `field` delivered: Amsterdam local time with its offset (`2024-06-12T14:03:21+02:00`). */
  watermark: string | null;
  /** Keys delivered within the lookback window before the watermark, with their `field` value. */
  seen: Record<string, string>;
  /** When the state was written (ISO, UTC). */
  updated_at: string;
  /** Rows delivered by the run that wrote it. */
  rows: number;
  /**
   * The extract file as that run left it: a later run appends after `bytes`. A file that grew
   * beyond them was appended to by a run that did not keep its state (it stopped in between):
   * those rows are read again and replace the ones written then.
   */
  output?: { file: string; bytes: number };
}

/** Options of an IncrementalTracker. */
export interface IncrementalTrackerOptions {
  job: string;
  field: string;
  /** Window re-read before the watermark, in milliseconds; default 0. */
  lookbackMs?: number;
  /** State of the previous run; none (or `--full-refresh`) reads everything. */
  previous?: IncrementalState | undefined;
}

const PRUNE_EVERY = 10_000;

/** Checks that `value` is an incremental state of `field`; throws StateError naming the file otherwise. */
export function checkIncrementalState(value: unknown, field: string, file: string): IncrementalState {
  const state = value as Partial<IncrementalState> | null;
  const watermarkOk =
    state?.watermark === null ||
    (typeof state?.watermark === 'string' && !Number.isNaN(Date.parse(state.watermark)));
  if (
    !state ||
    typeof state !== 'object' ||
    state.version !== 1 ||
    !watermarkOk ||
    typeof state.seen !== 'object'
  ) {
    throw new StateError(
      `Expected incremental state in ${file} ({version: 1, watermark: "2024-06-12T14:03:21+02:00", seen: {}}), got ${JSON.stringify(value).slice(0, 120)}; fix it or run \`koppel state clear\`.`,
    );
  }
  if (state.field !== field) {
    throw new StateError(
      `Expected the state in ${file} to track ${field}, got ${String(state.field)}; the job's incremental.field changed: run once with --full-refresh.`,
    );
  }
  return state as IncrementalState;
}

/**
 * Watermark bookkeeping of one incremental run: the next read starts at `watermark - lookback`;
 * rows delivered before with the same key and `field` value (the lookback window, and every row at
 * the watermark instant) are skipped, so the boundary never delivers a row twice.
 */
export class IncrementalTracker {
  readonly #options: IncrementalTrackerOptions;
  readonly #lookbackMs: number;
  readonly #seen = new Map<string, { text: string; ms: number }>();
  #max: { text: string; ms: number } | undefined;
  #rows = 0;
  #sincePrune = 0;

  constructor(options: IncrementalTrackerOptions) {
    this.#options = options;
    this.#lookbackMs = options.lookbackMs ?? 0;
    const previous = options.previous;
    if (previous?.watermark) this.#max = { text: previous.watermark, ms: Date.parse(previous.watermark) };
  }

  /** Start of the read (watermark - lookback), or undefined to read everything. */
  get since(): Date | undefined {
    const watermark = this.#options.previous?.watermark;
    return watermark ? new Date(Date.parse(watermark) - this.#lookbackMs) : undefined;
  }

  /** Whether to deliver a row with this key and `field` value (Amsterdam time with offset, or null). */
  accept(key: string, value: FieldValue): boolean {
    const text = typeof value === 'string' ? value : null;
    const ms = text === null ? Number.NaN : Date.parse(text);
    const delivered = text !== null && this.#options.previous?.seen[key] === text;
    if (!Number.isNaN(ms)) {
      this.#seen.set(key, { text: text as string, ms });
      if (!this.#max || ms > this.#max.ms) this.#max = { text: text as string, ms };
      if (++this.#sincePrune >= PRUNE_EVERY) this.#prune();
    }
    if (!delivered) this.#rows++;
    return !delivered;
  }

  #prune(): void {
    this.#sincePrune = 0;
    const floor = (this.#max?.ms ?? 0) - this.#lookbackMs;
    for (const [key, entry] of this.#seen) if (entry.ms < floor) this.#seen.delete(key);
  }

  /** The state to keep after the output was written. */
  state(now = new Date()): IncrementalState {
    this.#prune();
    const seen: Record<string, string> = {};
    for (const [key, entry] of [...this.#seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      seen[key] = entry.text;
    return {
      version: 1,
      job: this.#options.job,
      field: this.#options.field,
      watermark: this.#max?.text ?? null,
      seen,
      updated_at: now.toISOString(),
      rows: this.#rows,
    };
  }
}
