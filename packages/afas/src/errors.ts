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
}

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

  constructor(details: ProfitErrorDetails) {
    const text = details.externalMessage ?? `HTTP ${details.status}`;
    const ref = details.profitLogReference ? ` (profitLogReference ${details.profitLogReference})` : '';
    super(
      'KOPPEL_AFAS_PROFIT',
      `AFAS ${details.method} ${details.url} failed with ${details.status}: ${text}${ref}`,
    );
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

/** A request that got no HTTP answer. `requestMayHaveBeenSent` says whether AFAS may have received it. */
export class AfasNetworkError extends AfasError {
  readonly kind: NetworkErrorKind;
  readonly method: string;
  readonly url: string;
  /** True when the request (and its body) may have reached the server, so a write may have been applied. */
  readonly requestMayHaveBeenSent: boolean;

  constructor(
    details: {
      kind: NetworkErrorKind;
      method: string;
      url: string;
      requestMayHaveBeenSent: boolean;
      detail: string;
    },
    options: { cause?: unknown } = {},
  ) {
    const code = details.kind === 'timeout' ? 'KOPPEL_AFAS_TIMEOUT' : 'KOPPEL_AFAS_NETWORK';
    super(code, `AFAS ${details.method} ${details.url} got no answer: ${details.detail}`, options);
    this.kind = details.kind;
    this.method = details.method;
    this.url = redact(details.url);
    this.requestMayHaveBeenSent = details.requestMayHaveBeenSent;
  }
}

/** The per-request timeout elapsed before AFAS answered; the server may still be working on it. */
export class AfasTimeoutError extends AfasNetworkError {}

/** The connection was reset or closed before a complete answer arrived. */
export class AfasConnectionResetError extends AfasNetworkError {}
