import type { ProgressFigures } from '@koppel/runner';
import { progressRenderer } from './format-progress.js';

/** Where progress goes: a terminal (isTTY, columns) or a pipe, a file, a CI log. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressDrawerOptions {
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Between two plain lines (not a terminal), in ms; default KOPPEL_PROGRESS_INTERVAL_MS, else 5000. */
  plainIntervalMs?: number;
  /** Between two redraws of the bar on a terminal, in ms; default 500. */
  barIntervalMs?: number;
}

/** KOPPEL_PROGRESS_INTERVAL_MS when it is a whole number of ms > 0 (the plain lines of run and submit --wait). */
export function plainIntervalMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const interval = Number(env.KOPPEL_PROGRESS_INTERVAL_MS);
  return Number.isInteger(interval) && interval > 0 ? interval : undefined;
}

/**
 * Draws progress figures read from elsewhere (`koppel submit --wait` reads a BullMQ run's, as
 * `koppel status` does) with the renderer of `koppel run`: on a terminal the bar redrawn in place
 * (the last one kept), elsewhere a plain line every interval (the first after one). `due()` says
 * when to read figures.
 */
export class ProgressDrawer {
  readonly #stream: ProgressStream;
  readonly #interval: number;
  #drawnAt: number;
  #barShown = false;

  constructor(options: ProgressDrawerOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    this.#interval = this.tty
      ? (options.barIntervalMs ?? 500)
      : (options.plainIntervalMs ?? plainIntervalMs() ?? 5000);
    // The bar from the start; a plain line, as `koppel run` prints them, after one interval.
    this.#drawnAt = this.tty ? Number.NEGATIVE_INFINITY : Date.now();
  }

  get tty(): boolean {
    return this.#stream.isTTY === true;
  }

  /** Whether the next figures are due (an interval since the last drawing). */
  due(now = Date.now()): boolean {
    return now - this.#drawnAt >= this.#interval;
  }

  draw(figures: ProgressFigures, now = Date.now()): void {
    this.#drawnAt = now;
    if (this.tty) {
      this.#stream.write(`\r\x1b[K${progressRenderer.bar(figures, this.#stream.columns || 80)}`);
      this.#barShown = true;
    } else {
      this.#stream.write(`${progressRenderer.line(figures)}\n`);
    }
  }

  /** Ends the kept bar's line, so what follows starts on its own. Idempotent. */
  end(): void {
    if (this.#barShown) this.#stream.write('\n');
    this.#barShown = false;
  }
}
