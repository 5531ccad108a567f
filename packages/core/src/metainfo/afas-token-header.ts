/**
 * The Authorization header for a classic AFAS token given as 64 hex characters, the token XML
 * or its base64 (reference §1.3): always `AfasToken <base64 of the XML>`.
 */
export function afasTokenHeader(token: string): string {
  const trimmed = token.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    return `AfasToken ${Buffer.from(`<token><version>1</version><data>${trimmed}</data></token>`).toString('base64')}`;
  }
  if (trimmed.startsWith('<')) return `AfasToken ${Buffer.from(trimmed).toString('base64')}`;
  return `AfasToken ${trimmed}`;
}
