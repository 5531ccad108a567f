import { describeStalled, type PendingRequest } from '@koppel/afas';
import type { PipelineEvent } from '@koppel/core';
import type { ProgressFigures, RunStats } from './run-stats.js';

/** Draws progress figures: the CLI's bar (a terminal) and plain line (a log file, CI). */
export interface ProgressRenderer {
  /** One line at most `columns` wide, redrawn in place. */
  bar(figures: ProgressFigures, columns: number): string;
  /** A line printed every few seconds. */
  line(figures: ProgressFigures): string;
}

export interface RunLogOptions {
  /** `text`: a progress line and plain messages; `json`: one JSON object per line; default text. */
  format?: 'text' | 'json';
  /** Where logs and progress go; default process.stderr. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Strings never to print (the token in its forms); each is replaced by `***`. */
  secrets?: readonly string[];
  /** Source records expected (for the ETA); unknown when undefined. */
  expectedRecords?: number;
  /** Interval of plain progress lines when the stream is not a TTY, in ms; default 5000. */
  plainIntervalMs?: number;
  /** How text progress is drawn; without it text logs show no progress (json logs carry the figures). */
  progress?: ProgressRenderer;
  /** AFAS requests in flight now (RunSpec.pendingRequests): a hanging one is shown instead of a stale ETA. */
  pendingRequests?: () => readonly PendingRequest[];
}

/**
 * Logging and progress of a run: on a TTY one progress bar redrawn in place (the last one kept),
 * elsewhere a plain line every few seconds, both drawn by `progress`; with `json` every event is
 * a JSON line and the figures a `progress` line every few seconds. Every string passes through
 * the redaction of `secrets`.
 */
export class RunLog {
  readonly #format: 'text' | 'json';
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly #secrets: string[];
  readonly #expected: number | undefined;
  readonly #interval: number;
  readonly #renderer: ProgressRenderer | undefined;
  readonly #pending: (() => readonly PendingRequest[]) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lineShown = false;
  #stats: RunStats | undefined;

  constructor(options: RunLogOptions = {}) {
    this.#format = options.format ?? 'text';
    this.#stream = options.stream ?? process.stderr;
    this.#secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
    this.#expected = options.expectedRecords;
    this.#interval = options.plainIntervalMs ?? 5000;
    this.#renderer = options.progress;
    this.#pending = options.pendingRequests;
  }

  get tty(): boolean {
    return this.#format === 'text' && this.#stream.isTTY === true;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }

  /** A message for people (text) or a `{"level":"info",...}` line (json). */
  info(message: string, fields: Record<string, unknown> = {}): void {
    this.#write('info', message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.#write('warn', message, fields);
  }

  /** Follows a session's stats and events until `stop`. */
  start(stats: RunStats): void {
    this.#stats = stats;
    this.#timer = setInterval(() => this.#progress(), this.tty ? 250 : this.#interval);
    this.#timer.unref();
  }

  readonly listener = (event: PipelineEvent): void => {
    if (this.#format !== 'json' || event.type === 'request') return;
    const { documents: _documents, ...rest } = event as PipelineEvent & { documents?: unknown };
    this.#write('debug', event.type, rest);
  };

  stop(): void {
    clearInterval(this.#timer);
    // The last figures: kept under the bar's line, the last plain line, the last JSON `progress`.
    this.#progress();
    if (this.#lineShown) this.#stream.write('\n');
    this.#lineShown = false;
  }

  /** The figures now: the session's stats, the expected total and a hanging request. */
  figures(): ProgressFigures | undefined {
    const stalled = this.#pending ? describeStalled(this.#pending()) : undefined;
    return this.#stats?.progress({
      ...(this.#expected !== undefined ? { total: this.#expected } : {}),
      ...(stalled !== undefined ? { stalled: this.redact(stalled) } : {}),
    });
  }

  #progress(): void {
    const figures = this.figures();
    if (!figures) return;
    if (this.#format === 'json') {
      this.#write('info', 'progress', { ...figures });
      return;
    }
    if (!this.#renderer) return;
    if (this.tty) {
      const columns = (this.#stream as { columns?: number }).columns || 80;
      this.#stream.write(`\r\x1b[K${this.redact(this.#renderer.bar(figures, columns))}`);
      this.#lineShown = true;
    } else {
      this.#stream.write(`${this.redact(this.#renderer.line(figures))}\n`);
    }
  }

  #write(level: string, message: string, fields: Record<string, unknown>): void {
    if (this.#format === 'json') {
      const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
      this.#stream.write(`${this.redact(line)}\n`);
      return;
    }
    if (level === 'debug') return;
    if (this.#lineShown) this.#stream.write('\r\x1b[K');
    this.#lineShown = false;
    this.#stream.write(`${this.redact(message)}\n`);
  }
}
