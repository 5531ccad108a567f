import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Language } from './language.js';
import type { ProfitFault } from './profit-fault.js';

/** Headers Profit sends on every response (reference §1.6). */
const COMMON_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store, no-cache',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'deny',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, OnlineSessionId, Accept-Language',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
};

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The body and extra headers of a response `send` writes; no body is an empty one. */
export interface SendOptions {
  body?: string | Buffer | undefined;
  /** Headers on top of the common ones (and over the JSON Content-Type). */
  headers?: Record<string, string>;
}

/** Writes a complete response with the common headers; never throws on a closed socket. */
export function send(res: ServerResponse, status: number, { body, headers = {} }: SendOptions = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload =
    body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...(payload.length > 0 || body !== undefined ? { 'Content-Type': JSON_TYPE } : {}),
    ...headers,
    'Content-Length': String(payload.length),
  });
  res.end(payload);
}

/** Compact one-line JSON (Profit 7). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, { body: JSON.stringify(body) });
}

/** A Profit log reference: 32 upper-case hex characters. */
export function logReference(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** Renders a ProfitFault as §5.2: `{externalMessage, errorNumber, profitLogReference}` + X-Profit-Error. */
export function sendFault(
  res: ServerResponse,
  fault: ProfitFault,
  { language, profitErrorHeader }: { language: Language; profitErrorHeader: boolean },
): void {
  const externalMessage = fault.localized(language);
  const headers: Record<string, string> = profitErrorHeader
    ? { 'X-Profit-Error': Buffer.from(externalMessage, 'utf8').toString('base64') }
    : {};
  const body = { externalMessage, errorNumber: fault.errorNumber, profitLogReference: logReference() };
  send(res, fault.status, { body: JSON.stringify(body), headers });
}

/** The scheduled-maintenance 503 of reference §5.2, byte for byte. */
export function maintenanceBody(retryAfter: number): string {
  return `{"error":{"code":"503","message":"Service temporarily unavailable due to scheduled maintenance. Please check afasstatus.nl for details."},"retry_after":${retryAfter}}`;
}
