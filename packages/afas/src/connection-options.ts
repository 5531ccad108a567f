import tls from 'node:tls';
import type { AuthStrategy } from './auth.js';
import { AfasOptionsError } from './errors.js';

/** AFAS environment types (reference §1.1). */
export type EnvironmentType = 'production' | 'test' | 'accept' | 'cursus';
/** Accept-Language values AFAS documents. */
export type Language = 'nl-nl' | 'en-us' | 'nl-be' | 'fr-fr' | 'de-de';

const ENVIRONMENT_TYPES: readonly EnvironmentType[] = ['production', 'test', 'accept', 'cursus'];
const LANGUAGES: readonly Language[] = ['nl-nl', 'en-us', 'nl-be', 'fr-fr', 'de-de'];
const HOST_SUFFIX: Record<EnvironmentType, string> = {
  production: '',
  test: 'test',
  accept: 'accept',
  cursus: 'cursus',
};

/** Authentication: a classic AFAS token, OAuth client credentials, or your own strategy. */
export type AuthOptions =
  | { type: 'token' /** The token in any pasted form: 64 hex, the XML, or its base64. */; token: string }
  | {
      type: 'oauth';
      /** OAuth client id of the App Connector. */
      clientId: string;
      /** OAuth client secret; never logged. */
      clientSecret: string;
      /** Seconds before `expires_in` at which the bearer is refreshed; default 60. */
      refreshMarginSeconds?: number;
    }
  | AuthStrategy;

/** Options of a connection to one AFAS Profit environment. */
export interface ConnectionOptions {
  /** The environment number, digits only (e.g. `12345`). */
  environmentId: string | number;
  /** Environment type, selecting `rest`, `resttest`, `restaccept` or `restcursus`; default `production`. */
  environmentType?: EnvironmentType;
  /** Base URL override (e.g. the simulator); plain http only for loopback hosts; default derived from the id and type. */
  url?: string;
  /** Accept-Language sent on every request; default `nl-nl`. */
  language?: Language;
  /** IntegrationId header (`<subscription>_<project>`) for partner integrations; default none. */
  integrationId?: string;
  /** Whole-request timeout in milliseconds, counted from when the request leaves the in-flight queue; default 120000 (same as `timeouts.totalMs`). */
  timeoutMs?: number;
  /** Timeouts per phase of a request (each in ms); see RequestTimeouts. */
  timeouts?: Partial<RequestTimeouts>;
  /** Requests in flight per environment, shared by all clients in this process for the same base URL; default 8. */
  maxInFlight?: number;
}

/**
 * Timeouts per phase of one request, in milliseconds. The error of a timeout names the phase.
 * A write whose first byte or whole-request timeout ran out may have been applied (uncertain);
 * a connect timeout means nothing was sent.
 */
export interface RequestTimeouts {
  /** Opening the TCP (and TLS) connection; default 10000. */
  connectMs: number;
  /** From the request being sent to the first byte of the answer, for POST/PUT/DELETE; default 60000. */
  firstByteMs: number;
  /** The same for GET (metainfo, GetConnectors, verify lookups); default 30000. */
  readFirstByteMs: number;
  /** The whole request, from leaving the in-flight queue to the last byte of the answer; default 120000. */
  totalMs: number;
}

/** Default timeouts per phase. */
export const DEFAULT_TIMEOUTS: Readonly<RequestTimeouts> = {
  connectMs: 10_000,
  firstByteMs: 60_000,
  readFirstByteMs: 30_000,
  totalMs: 120_000,
};

/** Validated connection settings. */
export interface ResolvedConnection {
  baseUrl: string;
  language: Language;
  integrationId: string | undefined;
  /** Whole-request timeout (= timeouts.totalMs). */
  timeoutMs: number;
  timeouts: RequestTimeouts;
  maxInFlight: number;
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/i;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return value === undefined ? 'undefined' : String(JSON.stringify(value) ?? typeof value);
}

function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new AfasOptionsError(`Expected \`${name}\` to be an integer >= 1, got ${show(value)}.`);
  }
  return value;
}

/** Check a base URL override: absolute http(s), plain http only to loopback hosts. Returns it without a trailing slash. */
export function checkBaseUrl(url: unknown): string {
  if (typeof url !== 'string')
    throw new AfasOptionsError(`Expected \`url\` to be a string, got ${show(url)}.`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AfasOptionsError(`Expected \`url\` to be an absolute http(s) URL, got ${show(url)}.`);
  }
  if (parsed.protocol === 'http:' && !LOOPBACK.test(parsed.hostname)) {
    throw new AfasOptionsError(
      `Expected \`url\` to use https (plain http is allowed only for 127.0.0.0/8, ::1 and localhost), got ${show(url)}.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AfasOptionsError(`Expected \`url\` to use https, got ${show(url)}.`);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new AfasOptionsError(
      `Expected \`url\` without credentials, query or fragment, got ${show(parsed.origin)}+….`,
    );
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.origin}${path === '' ? '/ProfitRestServices' : path}`;
}

/** The REST base URL of an environment (reference §1.1), e.g. `https://12345.resttest.afas.online/ProfitRestServices`. */
export function buildBaseUrl(
  environmentId: string | number,
  environmentType: EnvironmentType = 'production',
): string {
  const id = String(environmentId).trim();
  if (!/^\d+$/.test(id)) {
    throw new AfasOptionsError(
      `Expected \`environmentId\` to be the environment number (digits only, e.g. 12345), got ${show(environmentId)}.`,
    );
  }
  if (!ENVIRONMENT_TYPES.includes(environmentType)) {
    throw new AfasOptionsError(
      `Expected \`environmentType\` to be one of ${ENVIRONMENT_TYPES.join(', ')}, got ${show(environmentType)}.`,
    );
  }
  return `https://${id}.rest${HOST_SUFFIX[environmentType]}.afas.online/ProfitRestServices`;
}

/** Validate connection options before any I/O. */
export function resolveConnection(options: ConnectionOptions): ResolvedConnection {
  if (typeof options !== 'object' || options === null) {
    throw new AfasOptionsError(`Expected the connection options to be an object, got ${show(options)}.`);
  }
  if (typeof options.environmentId !== 'string' && typeof options.environmentId !== 'number') {
    throw new AfasOptionsError(
      `Expected \`environmentId\` to be the environment number (digits only, e.g. 12345), got ${show(options.environmentId)}.`,
    );
  }
  const derived = buildBaseUrl(options.environmentId, options.environmentType ?? 'production');
  const baseUrl = options.url === undefined ? derived : checkBaseUrl(options.url);
  const language = options.language ?? 'nl-nl';
  if (!LANGUAGES.includes(language)) {
    throw new AfasOptionsError(
      `Expected \`language\` to be one of ${LANGUAGES.join(', ')}, got ${show(language)}.`,
    );
  }
  const integrationId = options.integrationId;
  if (
    integrationId !== undefined &&
    (typeof integrationId !== 'string' || !/^[\w.-]{1,100}$/.test(integrationId))
  ) {
    throw new AfasOptionsError(
      `Expected \`integrationId\` to look like 12345_678900, got ${show(integrationId)}.`,
    );
  }
  if (baseUrl.startsWith('https:') && !['TLSv1.2', 'TLSv1.3'].includes(tls.DEFAULT_MIN_VERSION)) {
    throw new AfasOptionsError(
      `Expected Node's minimum TLS version to be TLSv1.2 or higher (AFAS requires it), got ${tls.DEFAULT_MIN_VERSION}; remove --tls-min-v1.x.`,
    );
  }
  const given = options.timeouts ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new AfasOptionsError(`Expected \`timeouts\` to be an object, got ${show(given)}.`);
  }
  const totalMs = positiveInt(
    'timeouts.totalMs',
    given.totalMs,
    positiveInt('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUTS.totalMs),
  );
  const timeouts: RequestTimeouts = {
    connectMs: positiveInt(
      'timeouts.connectMs',
      given.connectMs,
      Math.min(DEFAULT_TIMEOUTS.connectMs, totalMs),
    ),
    firstByteMs: positiveInt(
      'timeouts.firstByteMs',
      given.firstByteMs,
      Math.min(DEFAULT_TIMEOUTS.firstByteMs, totalMs),
    ),
    readFirstByteMs: positiveInt(
      'timeouts.readFirstByteMs',
      given.readFirstByteMs,
      Math.min(DEFAULT_TIMEOUTS.readFirstByteMs, totalMs),
    ),
    totalMs,
  };
  return {
    baseUrl,
    language,
    integrationId,
    timeoutMs: totalMs,
    timeouts,
    maxInFlight: positiveInt('maxInFlight', options.maxInFlight, 8),
  };
}

/** Environment variables that set the timeouts per phase (milliseconds). */
export const TIMEOUT_ENV: Readonly<Record<keyof RequestTimeouts, string>> = {
  connectMs: 'KOPPEL_CONNECT_TIMEOUT_MS',
  firstByteMs: 'KOPPEL_FIRST_BYTE_TIMEOUT_MS',
  readFirstByteMs: 'KOPPEL_READ_FIRST_BYTE_TIMEOUT_MS',
  totalMs: 'KOPPEL_REQUEST_TIMEOUT_MS',
};

/**
 * Timeouts per phase from KOPPEL_CONNECT_TIMEOUT_MS, KOPPEL_FIRST_BYTE_TIMEOUT_MS,
 * KOPPEL_READ_FIRST_BYTE_TIMEOUT_MS and KOPPEL_REQUEST_TIMEOUT_MS (whole request); only those set.
 */
export function timeoutsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<RequestTimeouts> {
  const out: Partial<RequestTimeouts> = {};
  for (const [key, name] of Object.entries(TIMEOUT_ENV) as Array<[keyof RequestTimeouts, string]>) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new AfasOptionsError(
        `Expected ${name} to be a whole number of milliseconds >= 1, got ${show(raw)}.`,
      );
    }
    out[key] = value;
  }
  return out;
}
