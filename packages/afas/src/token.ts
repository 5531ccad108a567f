import { AfasTokenError } from './errors.js';

const HEX_64 = /^[0-9a-f]{64}$/i;
const TOKEN_XML =
  /^<token>\s*<version>\s*(\d+)\s*<\/version>\s*<data>\s*([0-9a-f]+)\s*<\/data>\s*<\/token>$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A token in canonical form: the XML envelope and the header value derived from it. */
export interface NormalizedToken {
  /** `<token><version>1</version><data>…</data></token>` */
  xml: string;
  /** `AfasToken <base64 of xml>` */
  header: string;
}

function describe(raw: string): string {
  return `a value of ${raw.length} characters that is none of these (the value is not shown)`;
}

function fromXml(xml: string, raw: string): NormalizedToken | undefined {
  const match = TOKEN_XML.exec(xml);
  if (!match) return undefined;
  const [, version, data] = match;
  if (!data || !HEX_64.test(data)) {
    throw new AfasTokenError(
      `Expected the <data> of the AFAS token to be 64 hex characters, got ${data?.length ?? 0} characters in ${describe(raw)}. Copy the token again from Profit (App Connector > tokens).`,
    );
  }
  const canonical = `<token><version>${version}</version><data>${data}</data></token>`;
  return { xml: canonical, header: `AfasToken ${Buffer.from(canonical, 'utf8').toString('base64')}` };
}

/**
 * Accept a token in any form a user pastes — bare 64 hex, the `<token>…</token>` XML, its base64
 * (optionally prefixed `AfasToken `), with surrounding whitespace or line breaks — and return the
 * canonical XML and `Authorization` header value. Throws AfasTokenError (without the token) otherwise.
 */
export function normalizeToken(raw: string): NormalizedToken {
  if (typeof raw !== 'string') {
    throw new AfasTokenError(
      `Expected the AFAS token to be a string, got ${raw === null ? 'null' : typeof raw}.`,
    );
  }
  let text = raw.trim().replace(/^AfasToken\s+/i, '');
  if (text === '')
    throw new AfasTokenError(
      'Expected an AFAS token, got an empty string. Set the token of the App Connector user.',
    );
  if (HEX_64.test(text)) text = `<token><version>1</version><data>${text}</data></token>`;
  if (text.startsWith('<')) {
    const token = fromXml(text, raw);
    if (token) return token;
  } else {
    const compact = text.replace(/\s+/g, '');
    if (BASE64.test(compact)) {
      const decoded = Buffer.from(compact, 'base64').toString('utf8').trim();
      const token = decoded.startsWith('<') ? fromXml(decoded, raw) : undefined;
      if (token) return token;
    }
  }
  throw new AfasTokenError(
    `Expected the AFAS token as 64 hex characters, the <token><version>1</version><data>…</data></token> XML, or the base64 of that XML; got ${describe(raw)}.`,
  );
}
