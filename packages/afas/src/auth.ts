import { AfasOptionsError, ProfitError } from './errors.js';
import { registerSecret } from './redact.js';
import { normalizeToken } from './token.js';

/** What an auth strategy may use: an unauthenticated request through the connection's transport. */
export interface AuthContext {
  baseUrl: string;
  /** POST a form-encoded body to `path` (relative to the base URL) without an Authorization header. */
  postForm(
    path: string,
    form: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string }>;
}

/** A pluggable authentication strategy. */
export interface AuthStrategy {
  readonly type: string;
  /** The Authorization header value for the next request. */
  authorization(context: AuthContext, signal?: AbortSignal): Promise<string> | string;
  /** Called once after a 401; return true to resend the request with a fresh header. */
  onUnauthorized?(context: AuthContext): Promise<boolean> | boolean;
}

/** Classic token auth: sends `Authorization: AfasToken <base64 XML>` whatever form the token was given in. */
export function afasTokenAuth(token: string): AuthStrategy {
  const { xml, header } = normalizeToken(token);
  registerSecret(token.trim());
  registerSecret(token.replace(/\s+/g, ''));
  registerSecret(xml);
  registerSecret(header.slice('AfasToken '.length));
  return { type: 'token', authorization: () => header };
}

/** Options of the OAuth 2 client-credentials strategy (reference §1.4). */
export interface OAuthClientCredentialsOptions {
  /** OAuth client id. */
  clientId: string;
  /** OAuth client secret; never logged. */
  clientSecret: string;
  /** Seconds before `expires_in` at which the cached bearer is refreshed; default 60. */
  refreshMarginSeconds?: number;
}

/**
 * OAuth client credentials: POST `{base}/oauth/token` (form-encoded), cache the bearer until
 * `refreshMarginSeconds` before `expires_in`, and fetch a new one once after a 401.
 */
export function oauthClientCredentials(options: OAuthClientCredentialsOptions): AuthStrategy {
  const { clientId, clientSecret } = options;
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw new AfasOptionsError(
      `Expected \`auth.clientId\` to be a non-empty string, got ${typeof clientId}.`,
    );
  }
  if (typeof clientSecret !== 'string' || clientSecret.trim() === '') {
    throw new AfasOptionsError(
      'Expected `auth.clientSecret` to be a non-empty string, got an empty or missing value.',
    );
  }
  const margin = options.refreshMarginSeconds ?? 60;
  if (!Number.isFinite(margin) || margin < 0) {
    throw new AfasOptionsError(`Expected \`auth.refreshMarginSeconds\` to be a number >= 0, got ${margin}.`);
  }
  registerSecret(clientSecret);
  let cached: { bearer: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchBearer(context: AuthContext, signal?: AbortSignal): Promise<string> {
    const form = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
    const { status, text } = await context.postForm('/oauth/token', form, signal);
    const url = `${context.baseUrl}/oauth/token`;
    if (status < 200 || status > 299) {
      throw new ProfitError({
        status,
        method: 'POST',
        url,
        externalMessage: 'OAuth token request was refused; check clientId and clientSecret.',
        body: text,
      });
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = {};
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new ProfitError({
        status,
        method: 'POST',
        url,
        externalMessage: 'Expected an access_token in the OAuth token response, got none.',
      });
    }
    registerSecret(body.access_token);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 3600);
    const lifetime = Number.isFinite(expiresIn) ? Math.max(0, expiresIn - margin) : 0;
    cached = { bearer: `Bearer ${body.access_token}`, expiresAt: Date.now() + lifetime * 1000 };
    return cached.bearer;
  }

  function refresh(context: AuthContext, signal?: AbortSignal): Promise<string> {
    pending ??= fetchBearer(context, signal).finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    type: 'oauth',
    authorization(context, signal) {
      if (cached && Date.now() < cached.expiresAt) return cached.bearer;
      return refresh(context, signal);
    },
    onUnauthorized() {
      cached = undefined;
      return true;
    },
  };
}

/** Turn auth options into a strategy (validates before any I/O). */
export function resolveAuth(
  auth: { type: 'token'; token: string } | ({ type: 'oauth' } & OAuthClientCredentialsOptions) | AuthStrategy,
): AuthStrategy {
  if (typeof auth !== 'object' || auth === null) {
    throw new AfasOptionsError(
      `Expected \`auth\` to be { type: 'token', token } or { type: 'oauth', clientId, clientSecret }, got ${auth === null ? 'null' : typeof auth}.`,
    );
  }
  if ('authorization' in auth && typeof auth.authorization === 'function') return auth;
  if (auth.type === 'token' && 'token' in auth) return afasTokenAuth(auth.token);
  if (auth.type === 'oauth' && 'clientId' in auth) return oauthClientCredentials(auth);
  throw new AfasOptionsError(
    `Expected \`auth.type\` to be 'token' or 'oauth', got ${JSON.stringify(String(auth.type))}.`,
  );
}
