import type { AuthContext, AuthStrategy } from './auth.js';
import type { ResolvedConnection } from './connection-options.js';
import {
  AfasConnectionResetError,
  AfasNetworkError,
  AfasTimeoutError,
  type NetworkErrorKind,
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
  /** Caller's abort signal, combined with the per-request timeout. */
  signal?: AbortSignal | undefined;
}

/** A 2xx answer. */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
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
  UND_ERR_SOCKET: 'connection closed by the server (UND_ERR_SOCKET)',
};

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Sends requests for one connection: base URL, headers, auth, timeout, and the environment's in-flight cap. */
export class Transport {
  readonly connection: ResolvedConnection;
  readonly semaphore: Semaphore;
  readonly #auth: AuthStrategy;
  readonly #authContext: AuthContext;

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
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new Error(`timed out after ${this.connection.timeoutMs} ms`)),
      this.connection.timeoutMs,
    );
    const signal = spec.signal ? AbortSignal.any([timeout.signal, spec.signal]) : timeout.signal;
    let phase: 'connect' | 'body' = 'connect';
    try {
      const response = await fetch(url, { method: spec.method, headers, body, signal, redirect: 'manual' });
      phase = 'body';
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      throw this.#networkError(
        error,
        spec.method,
        url,
        phase,
        timeout.signal.aborted,
        spec.signal?.aborted === true,
      );
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  #networkError(
    error: unknown,
    method: string,
    url: string,
    phase: 'connect' | 'body',
    timedOut: boolean,
    callerAborted: boolean,
  ): AfasNetworkError {
    const code = causeCode(error);
    const aborted = callerAborted || (error as { name?: unknown })?.name === 'AbortError';
    let kind: NetworkErrorKind = 'other';
    if (timedOut) kind = 'timeout';
    else if (aborted) kind = 'aborted';
    else if (code && RESET_CODES.has(code)) kind = 'reset';
    else if (code === 'ECONNREFUSED') kind = 'refused';
    const notSent = phase === 'connect' && code !== undefined && NOT_SENT_CODES.has(code) && !timedOut;
    const detail =
      kind === 'timeout'
        ? `no response within ${this.connection.timeoutMs} ms (timeoutMs); AFAS may still be processing it`
        : kind === 'aborted'
          ? 'the request was aborted by the caller'
          : `${HINTS[code ?? ''] ?? code ?? (error as Error)?.message ?? 'network error'}${phase === 'body' ? ' while reading the response' : ''}`;
    const details = { kind, method, url, requestMayHaveBeenSent: !notSent, detail };
    if (kind === 'timeout') return new AfasTimeoutError(details, { cause: error });
    if (kind === 'reset') return new AfasConnectionResetError(details, { cause: error });
    return new AfasNetworkError(details, { cause: error });
  }
}
