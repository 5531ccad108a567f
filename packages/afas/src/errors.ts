import { redact, truncateUtf8 } from './redact.js';

/** Maximum size of the response body kept on a ProfitError, in UTF-8 bytes. */
export const MAX_ERROR_BODY_BYTES = 2048;

/** Copy an error chain into plain Errors whose messages are redacted (depth-limited). */
export function sanitizeCause(cause: unknown, depth = 0): Error | undefined {
  if (cause === undefined || cause === null || depth > 3) return undefined;
  if (!(cause instanceof Error)) return new Error(redact(String(cause)));
  const nested = sanitizeCause((cause as { cause?: unknown }).cause, depth + 1);
  const copy = new Error(redact(cause.message), nested ? { cause: nested } : undefined);
  copy.name = cause.name;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/** Base class of every error thrown by @koppel/afas. `code` is stable; messages are redacted. */
export class AfasError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    const cause = sanitizeCause(options.cause);
    super(redact(message), cause ? { cause } : undefined);
    this.name = new.target.name;
    this.code = code;
  }

  /** Name, code, message and the class's own fields (all redacted), for logs and reports. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...Object.fromEntries(Object.entries(this)),
    };
  }
}

/** Invalid client options (thrown before any I/O). */
export class AfasOptionsError extends AfasError {
  constructor(message: string) {
    super('KOPPEL_AFAS_OPTIONS', message);
  }
}

/** A token that is not an AFAS token in any accepted form. Never contains the token. */
export class AfasTokenError extends AfasError {
  constructor(message: string) {
    super('KOPPEL_AFAS_TOKEN', message);
  }
}

/** A GetConnector query that cannot be sent as asked (paging without sort, skip too far, filter too long). */
export class AfasQueryError extends AfasError {
  constructor(message: string) {
    super('KOPPEL_AFAS_QUERY', message);
  }
}

/** A 2xx response whose body is not what the protocol promises (e.g. invalid JSON). */
export class AfasResponseError extends AfasError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('KOPPEL_AFAS_RESPONSE', message, options);
  }
}

/** Where an answer that is not a well-formed AFAS answer came from, for the message. */
export interface UnverifiedAnswerDetails {
  method: string;
  /** Request URL (no credentials). */
  url: string;
  status: number;
  /** Content-Type of the answer, or undefined when none was sent. */
  contentType: string | undefined;
  /** The body as received (redacted and bounded in the message). */
  body: string;
  /** What was wrong, e.g. `an HTML page`, `a body that is not JSON`, `JSON without results`. */
  problem: string;
}

/** Longest body excerpt in messages, in characters. */
export const MAX_EXCERPT_CHARS = 200;

/** A one-line, redacted excerpt of a body of at most MAX_EXCERPT_CHARS characters. */
export function bodyExcerpt(body: string): string {
  const line = redact(body).replace(/\s+/g, ' ').trim();
  if (line === '') return '(empty body)';
  return JSON.stringify(line.length > MAX_EXCERPT_CHARS ? `${line.slice(0, MAX_EXCERPT_CHARS - 1)}…` : line);
}

/** The path part of a URL (what messages name; the host is the connection's). */
export function urlPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/**
 * A 2xx answer to a write that is not a well-formed AFAS answer for that connector (an HTML login
 * page of a proxy, a garbage body, a 201 without results, a 2xx AFAS never sends). The write may or
 * may not have reached Profit: the classifier marks the record uncertain, never done.
 */
export class AfasUnverifiedAnswerError extends AfasError {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string | undefined;
  /** The bounded, redacted excerpt of the body. */
  readonly excerpt: string;

  constructor(details: UnverifiedAnswerDetails) {
    const excerpt = bodyExcerpt(details.body);
    super(
      'KOPPEL_AFAS_UNVERIFIED_ANSWER',
      `AFAS ${details.method} ${urlPath(details.url)} answered ${details.status} ${details.contentType ?? '(no content-type)'} with ${details.problem}, not a well-formed AFAS answer: ${excerpt}; a proxy or gateway in front of Profit may have answered, so the write is uncertain (look it up with verify:, see docs/troubleshooting.md)`,
    );
    this.method = details.method;
    this.url = redact(details.url);
    this.status = details.status;
    this.contentType = details.contentType;
    this.excerpt = excerpt;
  }
}

/** OTP validation answered 204: the code is wrong or expired. */
export class AfasOtpInvalidError extends AfasError {
  constructor(message: string) {
    super('KOPPEL_AFAS_OTP_INVALID', message);
  }
}

/** Fields of a ProfitError, as parsed from an AFAS error response. */
export interface ProfitErrorDetails {
  status: number;
  method: string;
  url: string;
  externalMessage?: string | undefined;
  errorNumber?: number | undefined;
  profitLogReference?: string | undefined;
  headerMessage?: string | undefined;
  retryAfter?: number | undefined;
  body?: string | undefined;
  /** Content-Type of the answer. */
  contentType?: string | undefined;
  /**
   * True when the answer carries AFAS's error shape (`externalMessage`, the 503 `error` object, or
   * the X-Profit-Error header); false for e.g. a gateway's HTML page. Default true.
   */
  fromProfit?: boolean | undefined;
}

/** What an AFAS status without a message means (AFAS sends 401 and 403 with an empty body). */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  401: 'the token was refused (wrong, expired or of another environment)',
  403: 'access refused (an IP restriction of the token, or a connector its App Connector does not allow)',
};

/** An HTTP error answered by AFAS Profit (any non-2xx status). */
export class ProfitError extends AfasError {
  readonly status: number;
  readonly method: string;
  /** Request URL; never contains credentials. */
  readonly url: string;
  /** The `externalMessage` of the body, else the decoded X-Profit-Error header, else the 503/`message` text. */
  readonly externalMessage: string | undefined;
  readonly errorNumber: number | undefined;
  readonly profitLogReference: string | undefined;
  /** The decoded (obsolete) X-Profit-Error header. */
  readonly headerMessage: string | undefined;
  /** Seconds to wait, from the 503 body's `retry_after`, else the Retry-After header. */
  readonly retryAfter: number | undefined;
  /** The response body, redacted and bounded to MAX_ERROR_BODY_BYTES. */
  readonly body: string;
  /** Content-Type of the answer, when one was sent. */
  readonly contentType: string | undefined;
  /** The answer has AFAS's error shape; false for a page of a proxy or gateway in front of Profit. */
  readonly fromProfit: boolean;

  constructor(details: ProfitErrorDetails) {
    const fromProfit = details.fromProfit ?? true;
    const ref = details.profitLogReference ? ` (profitLogReference ${details.profitLogReference})` : '';
    const message = fromProfit
      ? `AFAS ${details.method} ${details.url} failed with ${details.status}: ${details.externalMessage ?? STATUS_TEXT[details.status] ?? `HTTP ${details.status}`}${ref}`
      : `AFAS ${details.method} ${urlPath(details.url)} answered ${details.status} ${details.contentType ?? '(no content-type)'} without AFAS's error shape (a proxy or gateway in front of Profit?): ${bodyExcerpt(details.body ?? '')}`;
    super(fromProfit ? 'KOPPEL_AFAS_PROFIT' : 'KOPPEL_AFAS_GATEWAY', message);
    this.fromProfit = fromProfit;
    this.contentType = details.contentType;
    this.status = details.status;
    this.method = details.method;
    this.url = redact(details.url);
    this.externalMessage =
      details.externalMessage === undefined ? undefined : redact(details.externalMessage);
    this.errorNumber = details.errorNumber;
    this.profitLogReference = details.profitLogReference;
    this.headerMessage = details.headerMessage === undefined ? undefined : redact(details.headerMessage);
    this.retryAfter = details.retryAfter;
    this.body = truncateUtf8(redact(details.body ?? ''), MAX_ERROR_BODY_BYTES);
  }
}

/** How a failed request ended on the wire. */
export type NetworkErrorKind = 'timeout' | 'reset' | 'refused' | 'aborted' | 'other';

/**
 * Where a request was when it failed: opening the connection, sending the request, waiting for the
 * first byte of the answer (its status line and headers), or reading the body.
 */
export type RequestPhase = 'connect' | 'send' | 'first-byte' | 'body';

/** A request that got no HTTP answer. `requestMayHaveBeenSent` says whether AFAS may have received it. */
export class AfasNetworkError extends AfasError {
  readonly kind: NetworkErrorKind;
  readonly method: string;
  readonly url: string;
  /** True when the request (and its body) may have reached the server, so a write may have been applied. */
  readonly requestMayHaveBeenSent: boolean;
  /** Where the request was when it failed (undefined when unknown). */
  readonly phase: RequestPhase | undefined;
  /** Milliseconds from the start of the request to the failure. */
  readonly elapsedMs: number | undefined;
  /** The timeout that ran out, in ms (timeouts only). */
  readonly limitMs: number | undefined;

  constructor(
    details: {
      kind: NetworkErrorKind;
      method: string;
      url: string;
      requestMayHaveBeenSent: boolean;
      detail: string;
      phase?: RequestPhase;
      elapsedMs?: number;
      limitMs?: number;
    },
    options: { cause?: unknown } = {},
  ) {
    const code = details.kind === 'timeout' ? 'KOPPEL_AFAS_TIMEOUT' : 'KOPPEL_AFAS_NETWORK';
    super(code, `AFAS ${details.method} ${details.url} got no answer: ${details.detail}`, options);
    this.kind = details.kind;
    this.method = details.method;
    this.url = redact(details.url);
    this.requestMayHaveBeenSent = details.requestMayHaveBeenSent;
    this.phase = details.phase;
    this.elapsedMs = details.elapsedMs;
    this.limitMs = details.limitMs;
  }
}

/** A per-phase timeout elapsed before AFAS answered; the server may still be working on it. */
export class AfasTimeoutError extends AfasNetworkError {}

/** The connection was reset or closed before a complete answer arrived. */
export class AfasConnectionResetError extends AfasNetworkError {}
