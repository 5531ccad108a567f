/** Replacement text for anything that looks like a credential. */
export const REDACTED = '[redacted]';

const GENERIC_PATTERNS: Array<[RegExp, string]> = [
  [/\b(AfasToken|Bearer)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  [/<token>[\s\S]*?<\/token>/gi, REDACTED],
  [/PHRva2Vu[A-Za-z0-9+/=]*/g, REDACTED], // base64 of "<token"
  [/\b[0-9a-f]{64}\b/gi, REDACTED],
  [/\b(client_secret|access_token)=[^&\s]+/gi, `$1=${REDACTED}`],
];

const secrets = new Set<string>();

/**
 * Register a secret (token, client secret) so that every later `redact()` call removes it.
 * Secrets shorter than 6 characters are ignored: replacing them would mangle ordinary text.
 */
export function registerSecret(secret: string): void {
  if (secret.length >= 6) secrets.add(secret);
}

/** Remove registered secrets and anything shaped like an AFAS token or bearer credential. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of GENERIC_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Cut a text to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - 3);
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return `${buf.subarray(0, end).toString('utf8')}…`;
}
