import { ProfitError } from './errors.js';

/** The parts of an HTTP response needed to build a ProfitError. */
export interface ErrorResponse {
  status: number;
  method: string;
  url: string;
  headers: Headers;
  text: string;
}

function decodeHeader(value: string | null): string | undefined {
  if (!value) return undefined;
  const compact = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return compact;
  const decoded = Buffer.from(compact, 'base64').toString('utf8').trim();
  return decoded === '' ? undefined : decoded;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfterHeader(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Build a ProfitError from a non-2xx response: `externalMessage`/`errorNumber`/`profitLogReference`
 * from the body, the 503 `{error:{message}, retry_after}` shape, the `{message}` shape, and the
 * base64 X-Profit-Error header as fallback message.
 */
export function parseProfitError(response: ErrorResponse): ProfitError {
  let body: Record<string, unknown> | undefined;
  try {
    body = record(JSON.parse(response.text));
  } catch {
    body = undefined;
  }
  const headerMessage = decodeHeader(response.headers.get('x-profit-error'));
  const errorObject = record(body?.error);
  const errorNumberRaw = body?.errorNumber;
  const errorNumber =
    typeof errorNumberRaw === 'number'
      ? errorNumberRaw
      : typeof errorNumberRaw === 'string' && /^-?\d+$/.test(errorNumberRaw)
        ? Number(errorNumberRaw)
        : undefined;
  const retryAfterBody = body?.retry_after;
  const retryAfter =
    typeof retryAfterBody === 'number' && Number.isFinite(retryAfterBody)
      ? retryAfterBody
      : typeof retryAfterBody === 'string' && /^\d+$/.test(retryAfterBody)
        ? Number(retryAfterBody)
        : parseRetryAfterHeader(response.headers.get('retry-after'));
  const externalMessage = text(body?.externalMessage);
  const contentType = response.headers.get('content-type') ?? undefined;
  // AFAS's own error shapes (reference §5.2): externalMessage (500 and others), the 503 `error`
  // object, the X-Profit-Error header; no body where Profit sends none (401, the 503 that "can" omit
  // it), and JSON on other 4xx. A 5xx with anything else (a gateway's HTML page or empty 504,
  // `{"message": "Bad gateway"}`) did not come from Profit: it says nothing about a write.
  const empty = response.text.trim() === '';
  const fromProfit =
    externalMessage !== undefined ||
    headerMessage !== undefined ||
    (response.status === 503 && (errorObject !== undefined || empty)) ||
    (response.status < 500 && (empty || body !== undefined));
  return new ProfitError({
    status: response.status,
    contentType,
    fromProfit,
    method: response.method,
    url: response.url,
    externalMessage: externalMessage ?? headerMessage ?? text(errorObject?.message) ?? text(body?.message),
    errorNumber,
    profitLogReference: text(body?.profitLogReference),
    headerMessage,
    retryAfter,
    body: response.text,
  });
}
