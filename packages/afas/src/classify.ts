import {
  AfasNetworkError,
  AfasOptionsError,
  AfasOtpInvalidError,
  AfasQueryError,
  AfasResponseError,
  AfasTokenError,
  AfasUnverifiedAnswerError,
  ProfitError,
} from './errors.js';

/** What to do with a failed request. */
export type ErrorAction = 'retry' | 'wait' | 'reject' | 'stop' | 'uncertain';

/** The classifier's verdict. */
export interface Classification {
  action: ErrorAction;
  /** A short machine-readable reason, e.g. `maintenance`, `locked`, `validation`. */
  reason: string;
  /** Suggested delay before the next attempt, in milliseconds (for `wait`, and `retry` when known). */
  delayMs?: number;
}

/** Text patterns (matched case-insensitively against externalMessage and the header message). */
export interface ClassifierPatterns {
  /** A record or booking layout is locked by another user: retry with backoff. */
  locked: RegExp[];
  /** Temporary server trouble (timeouts, memory, tempdb): retry with backoff. */
  temporary: RegExp[];
  /** Connector not in the App Connector, or no rights: stop the run. */
  notAuthorized: RegExp[];
  /** GetConnector blocked by AFAS: stop the run. */
  blocked: RegExp[];
}

/** Default patterns, Dutch and English. */
export const DEFAULT_PATTERNS: ClassifierPatterns = {
  locked: [
    /geblokkeerd door (een )?andere gebruiker/i,
    /is geblokkeerd door gebruiker/i,
    /(locked|blocked) by (another|other) user/i,
    /(locked|blocked) by user/i,
    /deadlock/i,
  ],
  temporary: [
    /operation timed out/i,
    /connection timeout/i,
    /maximale tijdsduur .* verstreken/i,
    /maximum duration .* exceeded/i,
    /out of memory/i,
    /outofmemoryexception/i,
    /out of string space/i,
    /insufficient disk space/i,
    /tempdb/i,
  ],
  notAuthorized: [/niet ondersteund.*niet geautoriseerd/i, /not supported.*not authori[sz]ed/i],
  blocked: [/getconnector.*(\(definitie\) )?is geblokkeerd/i, /getconnector.*(\(definition\) )?is blocked/i],
};

/** Options of `classify`. */
export interface ClassifyOptions {
  /** HTTP method of the failed request; defaults to the method recorded on the error. */
  method?: string;
  /** Attempt number (1-based) used for the backoff delay; default 1. */
  attempt?: number;
  /** Replacement patterns (each key replaces the default list). */
  patterns?: Partial<ClassifierPatterns>;
}

/** Options of the backoff helper. */
export interface BackoffOptions {
  /** Delay for the first attempt in milliseconds; default 1000. */
  baseMs?: number;
  /** Largest delay in milliseconds; default 60000. */
  capMs?: number;
  /** Random source in [0, 1); default Math.random. */
  random?: () => number;
}

/** Exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^(attempt-1))]. */
export function backoff(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const cap = options.capMs ?? 60_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

function matches(list: RegExp[], text: string): boolean {
  return list.some((pattern) =>
    new RegExp(pattern.source, pattern.flags.includes('i') ? pattern.flags : `${pattern.flags}i`).test(text),
  );
}

/** Decide whether a failed request should be retried, waited for, rejected, stopped on, or marked uncertain. */
export function classify(error: unknown, options: ClassifyOptions = {}): Classification {
  const patterns = { ...DEFAULT_PATTERNS, ...options.patterns };
  const attempt = options.attempt ?? 1;
  if (error instanceof AfasNetworkError) {
    const method = (options.method ?? error.method).toUpperCase();
    if (method === 'GET' || !error.requestMayHaveBeenSent) {
      return { action: 'retry', reason: `network-${error.kind}`, delayMs: backoff(attempt) };
    }
    return { action: 'uncertain', reason: `network-${error.kind}-after-send` };
  }
  if (error instanceof AfasTokenError) return { action: 'stop', reason: 'invalid-token' };
  if (error instanceof AfasOptionsError) return { action: 'stop', reason: 'invalid-options' };
  if (error instanceof AfasQueryError) return { action: 'reject', reason: 'invalid-query' };
  if (error instanceof AfasOtpInvalidError) return { action: 'reject', reason: 'otp-invalid' };
  if (error instanceof AfasUnverifiedAnswerError) {
    // A 2xx that is not AFAS's answer (a proxy's login page, garbage): the write may or may not
    // have reached Profit. Never done; a read is simply asked again.
    const method = (options.method ?? error.method).toUpperCase();
    return method === 'GET'
      ? { action: 'retry', reason: 'unverified-answer', delayMs: backoff(attempt) }
      : { action: 'uncertain', reason: 'unverified-answer-after-write' };
  }
  if (error instanceof AfasResponseError) {
    // A 2xx whose body was unreadable: a write did happen, its keys are unknown.
    const method = (options.method ?? 'POST').toUpperCase();
    return method === 'GET'
      ? { action: 'retry', reason: 'bad-response', delayMs: backoff(attempt) }
      : { action: 'uncertain', reason: 'bad-response-after-write' };
  }
  if (!(error instanceof ProfitError)) return { action: 'reject', reason: 'unknown-error' };
  const text = `${error.externalMessage ?? ''}\n${error.headerMessage ?? ''}`;
  if (error.status >= 500 && !error.fromProfit) {
    // A gateway's 502/503/504 page (or an empty 5xx) after the request was sent: Profit may have
    // committed the write before the gateway gave up. Reads are retried.
    const method = (options.method ?? error.method).toUpperCase();
    return method === 'GET'
      ? { action: 'retry', reason: `gateway-${error.status}`, delayMs: backoff(attempt) }
      : { action: 'uncertain', reason: `gateway-${error.status}-after-send` };
  }
  switch (error.status) {
    case 503:
      return {
        action: 'wait',
        reason: 'unavailable',
        delayMs: error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff(attempt),
      };
    case 401:
      return { action: 'stop', reason: 'unauthorized' };
    case 403:
      return { action: 'stop', reason: 'forbidden' };
    case 413:
      return { action: 'reject', reason: 'too-large' };
  }
  if (matches(patterns.notAuthorized, text)) return { action: 'stop', reason: 'connector-not-authorized' };
  if (matches(patterns.blocked, text)) return { action: 'stop', reason: 'getconnector-blocked' };
  if (error.status >= 500) {
    if (matches(patterns.locked, text))
      return { action: 'retry', reason: 'locked', delayMs: backoff(attempt) };
    if (matches(patterns.temporary, text))
      return { action: 'retry', reason: 'temporary', delayMs: backoff(attempt) };
    return { action: 'reject', reason: 'validation' };
  }
  return { action: 'reject', reason: `http-${error.status}` };
}
