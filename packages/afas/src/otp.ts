import type { AuthStrategy } from './auth.js';
import { type ConnectionOptions, resolveConnection } from './connection-options.js';
import { AfasOtpInvalidError, AfasResponseError } from './errors.js';
import { Transport } from './http.js';

/** The App Connector's API key and environment key, plus the user asking for access. */
export interface OtpRequestOptions extends ConnectionOptions {
  /** The App Connector's API key (API-sleutel). */
  apiKey: string;
  /** The environment key (Omgevingssleutel). */
  apiToken: string;
  /** The Profit user id (`12345.user`) or e-mail address. */
  userId: string;
}

const NO_AUTH: AuthStrategy = { type: 'none', authorization: () => '' };

function body(options: OtpRequestOptions, extra: Record<string, string> = {}): string {
  return JSON.stringify({
    apiKey: options.apiKey,
    apiToken: options.apiToken,
    userid: options.userId,
    ...extra,
  });
}

/** `POST /otprequest`: ask AFAS to send the user a one-time code (answers 200/201 even for wrong keys). */
export async function requestOtp(options: OtpRequestOptions): Promise<void> {
  const transport = new Transport(resolveConnection(options), NO_AUTH);
  await transport.request({ method: 'POST', path: '/otprequest', body: body(options), auth: false });
}

/** `POST /otpvalidation`: exchange the code for a token (XML, CRLF trimmed). A wrong code (204) throws AfasOtpInvalidError. */
export async function validateOtp(options: OtpRequestOptions & { otp: string }): Promise<string> {
  const transport = new Transport(resolveConnection(options), NO_AUTH);
  const result = await transport.request({
    method: 'POST',
    path: '/otpvalidation',
    body: body(options, { otp: options.otp }),
    auth: false,
  });
  if (result.status === 204 || result.text.trim() === '') {
    throw new AfasOtpInvalidError(
      'Expected AFAS to accept the one-time code, got 204 No Content: the code is wrong or expired. Request a new code.',
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(result.text) as { token?: unknown }).token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token.trim() === '') {
    throw new AfasResponseError('Expected { token } from /otpvalidation, got something else.');
  }
  return token.trim();
}
