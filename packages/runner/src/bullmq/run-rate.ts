/** Window of the recent rate of a run on the dashboard, in ms (as `koppel run`'s progress). */
export const RUN_RATE_WINDOW_MS = 30_000;

/** A run's recent rate and what it means for the rest. */
export interface RunRate {
  /** Documents settled per second over the window; undefined until two samples 1 s apart. */
  perSecond?: number;
  /** Ms left at that rate: 0 when nothing is left, undefined without a rate or when it is 0. */
  etaMs?: number;
  /** The span the rate was measured over, in ms. */
  spanMs: number;
}

/**
 * Recent rates of runs from samples of their settled counts (the dashboard takes one whenever it
 * reads a run, and every few seconds for running runs): the rate is what settled between the
 * oldest sample of the window and the newest, per second of the span between them.
 */
export class RunRates {
  readonly windowMs: number;
  readonly #samples = new Map<string, { at: number; settled: number }[]>();

  constructor(options: { windowMs?: number } = {}) {
    this.windowMs = options.windowMs ?? RUN_RATE_WINDOW_MS;
  }

  /** Records that `settled` documents of the run are settled at `at`. */
  sample(runId: string, settled: number, at = Date.now()): void {
    const samples = this.#samples.get(runId) ?? [];
    const last = samples.at(-1);
    if (last && settled < last.settled) samples.length = 0; // a new session counts afresh
    samples.push({ at, settled });
    // Keep the newest sample at or before the window's start: it is where the window begins.
    while (samples.length > 2 && (samples[1]?.at ?? at) <= at - this.windowMs) samples.shift();
    this.#samples.set(runId, samples);
  }

  /** The run's rate and, with `left` documents to go, its ETA. */
  rate(runId: string, left: number): RunRate {
    const samples = this.#samples.get(runId) ?? [];
    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last || last.at - first.at < 1000)
      return left <= 0 ? { etaMs: 0, spanMs: 0 } : { spanMs: 0 };
    const spanMs = last.at - first.at;
    const perSecond = ((last.settled - first.settled) * 1000) / spanMs;
    if (left <= 0) return { perSecond, etaMs: 0, spanMs };
    return perSecond > 0 ? { perSecond, etaMs: (left / perSecond) * 1000, spanMs } : { perSecond, spanMs };
  }

  /** Forgets a run (finished: its rate is the report's). */
  forget(runId: string): void {
    this.#samples.delete(runId);
  }
}

/** `45 s`, `3 min 05 s`, `2 h 10 min`. */
export function formatEta(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
