import type { PipelineEvent } from '@koppel/core';
import type { RunStats } from './run-stats.js';

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
}

/**
 * Logging and progress of a run: on a TTY one self-rewriting progress line (done, rejected,
 * retrying, rate, ETA), elsewhere a plain line every few seconds; with `json` every event is a
 * JSON line. Every string passes through the redaction of `secrets`.
 */
export class RunLog {
  readonly #format: 'text' | 'json';
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly #secrets: string[];
  readonly #expected: number | undefined;
  readonly #interval: number;
  #timer: NodeJS.Timeout | undefined;
  #lineShown = false;
  #records = 0;
  #stats: RunStats | undefined;

  constructor(options: RunLogOptions = {}) {
    this.#format = options.format ?? 'text';
    this.#stream = options.stream ?? process.stderr;
    this.#secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
    this.#expected = options.expectedRecords;
    this.#interval = options.plainIntervalMs ?? 5000;
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
    if (event.type === 'settled' || event.type === 'skipped') {
      for (const doc of event.documents ?? []) this.#records += doc.records.length;
    }
    if (this.#format !== 'json' || event.type === 'request') return;
    const { documents: _documents, ...rest } = event as PipelineEvent & { documents?: unknown };
    this.#write('debug', event.type, rest);
  };

  stop(): void {
    clearInterval(this.#timer);
    if (this.#format === 'text') this.#progress();
    if (this.#lineShown) this.#stream.write('\n');
    this.#lineShown = false;
  }

  #progress(): void {
    const stats = this.#stats;
    if (!stats) return;
    const rate = stats.rate();
    const eta =
      this.#expected !== undefined && rate > 0
        ? `, ETA ${Math.max(0, Math.round((this.#expected - this.#records) / rate))} s`
        : '';
    const text = `done ${stats.done}, rejected ${stats.rejected}, uncertain ${stats.uncertain}, retrying ${stats.retrying.size}, skipped ${stats.skipped}, ${rate.toFixed(1)} records/s${eta}`;
    if (this.#format === 'json') {
      this.#write('info', 'progress', { done: stats.done, rejected: stats.rejected, rate });
      return;
    }
    if (this.tty) {
      this.#stream.write(`\r\x1b[K${text}`);
      this.#lineShown = true;
    } else {
      this.#stream.write(`koppel: ${text}\n`);
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
