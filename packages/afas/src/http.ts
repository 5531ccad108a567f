import http from 'node:http';
import https from 'node:https';
import type { AuthContext, AuthStrategy } from './auth.js';
import type { RequestTimeouts, ResolvedConnection } from './connection-options.js';
import {
  AfasConnectionResetError,
  AfasNetworkError,
  AfasTimeoutError,
  type NetworkErrorKind,
  type RequestPhase,
} from './errors.js';
import { parseProfitError } from './parse-profit-error.js';
import { environmentSemaphore, type Semaphore } from './semaphore.js';

/** HTTP methods used by the Profit REST API. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One request to Profit; `path` is relative to the base URL and includes the query string. */
export interface RequestSpec {
  method: HttpMethod;
  path: string;
  /** JSON text body. */
  body?: string;
  /** Form-encoded body (sent instead of `body`). */
  form?: Record<string, string>;
  /** Send the Authorization header; default true. */
  auth?: boolean;
  /** Caller's abort signal, combined with the per-phase timeouts. */
  signal?: AbortSignal | undefined;
  /** Timeouts of this request instead of the connection's (per phase). */
  timeouts?: Partial<RequestTimeouts> | undefined;
}

/** A 2xx answer. */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
}

/** A request in flight, for progress lines: what it waits on and since when. */
export interface PendingRequest {
  method: HttpMethod;
  /** Path relative to the base URL, without the query string. */
  path: string;
  /** Where the request is now. */
  phase: RequestPhase;
  /** `Date.now()` when it left the in-flight queue. */
  startedAt: number;
  /** When the current phase times out (`Date.now()` scale). */
  deadline: number;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

const HINTS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (ECONNREFUSED); check the URL and that the service is running',
  ENOTFOUND: 'host not found (ENOTFOUND); check environmentId, environmentType or url',
  ECONNRESET: 'connection reset (ECONNRESET)',
  EPIPE: 'connection closed while sending (EPIPE)',
};

const PHASE_TEXT: Record<RequestPhase, string> = {
  connect: 'while connecting',
  send: 'while sending the request',
  'first-byte': 'while waiting for the answer',
  body: 'while reading the answer',
};

/** `10 s`, `1.5 s`, `200 ms`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

const PHASE_SHORT: Record<RequestPhase, string> = {
  connect: 'connecting',
  send: 'sending',
  'first-byte': 'first byte',
  body: 'reading the answer',
};

/**
 * For a progress line: the oldest request pending longer than `afterMs` (default 10 s), as
 * `waiting 45 s on POST /connectors/FiEntries (first byte, gives up in 15 s)`; undefined when none.
 * Show it instead of an ETA, which a hanging request makes stale.
 */
export function describeStalled(
  pending: readonly PendingRequest[],
  options: { now?: number; afterMs?: number } = {},
): string | undefined {
  const now = options.now ?? Date.now();
  const oldest = [...pending].sort((a, b) => a.startedAt - b.startedAt)[0];
  if (!oldest || now - oldest.startedAt < (options.afterMs ?? 10_000)) return undefined;
  const waited = Math.round((now - oldest.startedAt) / 1000);
  const left = Math.max(0, Math.round((oldest.deadline - now) / 1000));
  const more = pending.length > 1 ? ` (+${pending.length - 1} more in flight)` : '';
  return `waiting ${waited} s on ${oldest.method} ${oldest.path} (${PHASE_SHORT[oldest.phase]}, gives up in ${left} s)${more}`;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// Idle connections are closed after 4 s, before servers with a 5 s keep-alive (Node's default)
// close them under a request that is being sent.
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, timeout: 4000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 4000, minVersion: 'TLSv1.2' }),
};

/** A timeout of one phase, carried as the reason of the request's destruction. */
class PhaseTimeout extends Error {
  readonly phase: RequestPhase | 'total';
  readonly ms: number;
  constructor(phase: RequestPhase | 'total', ms: number) {
    super(`${phase} timeout after ${ms} ms`);
    this.phase = phase;
    this.ms = ms;
  }
}

/** Sends requests for one connection: base URL, headers, auth, timeouts per phase, and the environment's in-flight cap. */
export class Transport {
  readonly connection: ResolvedConnection;
  readonly semaphore: Semaphore;
  readonly #auth: AuthStrategy;
  readonly #authContext: AuthContext;
  readonly #pending = new Set<PendingRequest>();

  constructor(connection: ResolvedConnection, auth: AuthStrategy) {
    this.connection = connection;
    this.#auth = auth;
    this.semaphore = environmentSemaphore(connection.baseUrl);
    this.#authContext = {
      baseUrl: connection.baseUrl,
      postForm: async (path, form, signal) => {
        const result = await this.#send({ method: 'POST', path, form, auth: false, signal }, undefined);
        return { status: result.status, text: result.text };
      },
    };
  }

  /** The requests of this transport in flight now (sent, not yet answered), oldest first. */
  pending(): PendingRequest[] {
    return [...this.#pending].map((entry) => ({ ...entry }));
  }

  /** Send a request; non-2xx statuses throw ProfitError, transport failures AfasNetworkError. */
  async request(spec: RequestSpec): Promise<HttpResult> {
    const useAuth = spec.auth !== false;
    const authorization = useAuth
      ? await this.#auth.authorization(this.#authContext, spec.signal)
      : undefined;
    let result = await this.#send(spec, authorization);
    if (
      result.status === 401 &&
      useAuth &&
      this.#auth.onUnauthorized &&
      (await this.#auth.onUnauthorized(this.#authContext))
    ) {
      result = await this.#send(spec, await this.#auth.authorization(this.#authContext, spec.signal));
    }
    if (result.status < 200 || result.status > 299) {
      throw parseProfitError({ ...result, method: spec.method, url: this.connection.baseUrl + spec.path });
    }
    return result;
  }

  async #send(spec: RequestSpec, authorization: string | undefined): Promise<HttpResult> {
    const url = this.connection.baseUrl + spec.path;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.connection.language,
    };
    if (this.connection.integrationId) headers.IntegrationId = this.connection.integrationId;
    if (authorization) headers.Authorization = authorization;
    let body: string | undefined;
    if (spec.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(spec.form).toString();
    } else {
      headers['Content-Type'] = 'application/json;charset=utf-8';
      body = spec.body;
    }
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    headers['Content-Length'] = String(payload?.length ?? 0);
    let release: () => void;
    try {
      release = await this.semaphore.acquire(spec.signal, this.connection.maxInFlight);
    } catch (error) {
      const detail = 'the request was aborted by the caller before it was sent';
      throw new AfasNetworkError(
        { kind: 'aborted', method: spec.method, url, requestMayHaveBeenSent: false, detail },
        { cause: error },
      );
    }
    const limits = { ...this.connection.timeouts, ...spec.timeouts };
    const firstByteMs = spec.method === 'GET' ? limits.readFirstByteMs : limits.firstByteMs;
    const startedAt = Date.now();
    const entry: PendingRequest = {
      method: spec.method,
      path: spec.path.split('?')[0] ?? spec.path,
      phase: 'connect',
      startedAt,
      deadline: startedAt + Math.min(limits.connectMs, limits.totalMs),
    };
    this.#pending.add(entry);
    try {
      return await this.#exchange({ spec, url, headers, payload, entry, limits, firstByteMs });
    } finally {
      this.#pending.delete(entry);
      release();
    }
  }

  #exchange(options: {
    spec: RequestSpec;
    url: string;
    headers: Record<string, string>;
    payload: Buffer | undefined;
    entry: PendingRequest;
    limits: RequestTimeouts;
    firstByteMs: number;
  }): Promise<HttpResult> {
    const { spec, url, headers, payload, entry, limits, firstByteMs } = options;
    return new Promise<HttpResult>((resolve, reject) => {
      const target = new URL(url);
      const agent = target.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'];
      const client = target.protocol === 'https:' ? https : http;
      let phaseTimer: NodeJS.Timeout | undefined;
      let settled = false;
      const req = client.request(target, { method: spec.method, headers, agent });
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(this.#networkError(error, { spec, url, phase: entry.phase, startedAt: entry.startedAt }));
      };
      const phase = (next: RequestPhase, ms: number | undefined) => {
        entry.phase = next;
        if (phaseTimer) clearTimeout(phaseTimer);
        phaseTimer = undefined;
        if (ms === undefined) {
          entry.deadline = entry.startedAt + limits.totalMs;
          return;
        }
        const end = entry.startedAt + limits.totalMs;
        entry.deadline = Math.min(Date.now() + ms, end);
        // A phase that would outlast the whole request is bounded by the total timeout alone.
        if (Date.now() + ms < end) phaseTimer = setTimeout(() => req.destroy(new PhaseTimeout(next, ms)), ms);
      };
      const totalTimer = setTimeout(
        () => req.destroy(new PhaseTimeout('total', limits.totalMs)),
        limits.totalMs,
      );
      const onAbort = () => req.destroy(spec.signal?.reason ?? new Error('aborted'));
      const cleanup = () => {
        clearTimeout(totalTimer);
        if (phaseTimer) clearTimeout(phaseTimer);
        spec.signal?.removeEventListener('abort', onAbort);
      };
      if (spec.signal?.aborted) {
        onAbort();
      } else {
        spec.signal?.addEventListener('abort', onAbort, { once: true });
      }
      phase('connect', limits.connectMs);
      let written = false;
      req.on('socket', (socket) => {
        const connected = () => {
          if (entry.phase !== 'connect') return;
          if (written) phase('first-byte', firstByteMs);
          else phase('send', undefined);
        };
        if (!socket.connecting) connected();
        else socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      });
      req.on('finish', () => {
        written = true;
        if (entry.phase === 'send') phase('first-byte', firstByteMs);
      });
      req.on('error', fail);
      req.on('response', (res) => {
        phase('body', undefined);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('aborted', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (settled) return;
          if (!res.complete) {
            fail(Object.assign(new Error('incomplete answer'), { code: 'ECONNRESET' }));
            return;
          }
          settled = true;
          cleanup();
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            // As fetch's text(): UTF-8, a leading byte order mark dropped.
            text: Buffer.concat(chunks)
              .toString('utf8')
              .replace(/^\uFEFF/, ''),
          });
        });
      });
      req.end(payload);
    });
  }

  #networkError(
    error: unknown,
    context: { spec: RequestSpec; url: string; phase: RequestPhase; startedAt: number },
  ): AfasNetworkError {
    const { spec, url, phase, startedAt } = context;
    const method = spec.method;
    const elapsedMs = Date.now() - startedAt;
    const code = causeCode(error);
    const timeout = error instanceof PhaseTimeout ? error : undefined;
    const callerAborted = spec.signal?.aborted === true && !timeout;
    let kind: NetworkErrorKind = 'other';
    if (timeout) kind = 'timeout';
    else if (callerAborted) kind = 'aborted';
    else if (code && RESET_CODES.has(code)) kind = 'reset';
    else if (code === 'ECONNREFUSED') kind = 'refused';
    // Nothing left this machine while the connection was still being opened.
    const notSent =
      phase === 'connect' && (timeout !== undefined || (code !== undefined && NOT_SENT_CODES.has(code)));
    let detail: string;
    if (timeout) {
      const knob =
        timeout.phase === 'total'
          ? 'timeouts.totalMs'
          : timeout.phase === 'connect'
            ? 'timeouts.connectMs'
            : method === 'GET'
              ? 'timeouts.readFirstByteMs'
              : 'timeouts.firstByteMs';
      const what =
        timeout.phase === 'connect'
          ? `could not connect within ${formatMs(timeout.ms)} (${knob}); nothing was sent`
          : timeout.phase === 'total'
            ? `no complete answer within ${formatMs(timeout.ms)} (${knob}, ${PHASE_TEXT[phase]})`
            : `no answer within ${formatMs(timeout.ms)} (${knob}, first byte)`;
      detail =
        timeout.phase === 'connect' || method === 'GET' ? what : `${what}; AFAS may still be processing it`;
    } else if (kind === 'aborted') {
      detail = `the request was aborted by the caller ${PHASE_TEXT[phase]}`;
    } else {
      const what = HINTS[code ?? ''] ?? code ?? (error as Error)?.message ?? 'network error';
      detail = phase === 'connect' ? what : `${what} ${PHASE_TEXT[phase]}`;
    }
    const details = {
      kind,
      method,
      url,
      requestMayHaveBeenSent: !notSent,
      detail,
      phase,
      elapsedMs,
      ...(timeout ? { limitMs: timeout.ms } : {}),
    };
    if (kind === 'timeout') return new AfasTimeoutError(details, { cause: error });
    if (kind === 'reset') return new AfasConnectionResetError(details, { cause: error });
    return new AfasNetworkError(details, { cause: error });
  }
}
