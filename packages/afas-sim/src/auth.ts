/** What an Authorization header holds, before it is checked against an environment. */
export type Credentials =
  | { kind: 'missing' }
  | { kind: 'invalid' }
  /** A token sent as plain text (bare hex or XML, not base64): HTTP 500 since Profit 6. */
  | { kind: 'plain' }
  | { kind: 'token'; data: string }
  | { kind: 'bearer'; token: string };

const TOKEN_XML =
  /^\s*<token>\s*<version>\s*1\s*<\/version>\s*<data>\s*([0-9a-fA-F]{64})\s*<\/data>\s*<\/token>\s*$/;

/** Parses `AfasToken <base64 of <token>…</token>>` or `Bearer <access token>` (reference §1.3, §1.4). */
export function parseAuthorization(header: string | undefined): Credentials {
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  const match = /^\s*(\S+)\s+(.*?)\s*$/.exec(header);
  if (!match) return { kind: 'invalid' };
  const scheme = (match[1] as string).toLowerCase();
  const value = match[2] as string;
  if (scheme === 'bearer') return value ? { kind: 'bearer', token: value } : { kind: 'invalid' };
  if (scheme !== 'afastoken') return { kind: 'invalid' };
  if (/^<token>/i.test(value) || /^[0-9a-fA-F]{64}$/.test(value)) return { kind: 'plain' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'invalid' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const xml = TOKEN_XML.exec(decoded);
  return xml ? { kind: 'token', data: (xml[1] as string).toLowerCase() } : { kind: 'invalid' };
}

/** The token XML for 64-hex data, as Profit issues it. */
export function tokenXml(data: string): string {
  return `<token><version>1</version><data>${data}</data></token>`;
}

/** The Authorization header value for 64-hex token data. */
export function afasTokenHeader(data: string): string {
  return `AfasToken ${Buffer.from(tokenXml(data), 'utf8').toString('base64')}`;
}
