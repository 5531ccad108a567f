import { describe, expect, it } from 'vitest';
import { REDACTED, redact, registerSecret, truncateUtf8 } from './redact.js';

describe('redact', () => {
  const hex = 'ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789';
  const xml = `<token><version>1</version><data>${hex}</data></token>`;
  it.each([
    [`token ${hex} here`, `token ${REDACTED} here`],
    [`x ${xml} y`, `x ${REDACTED} y`],
    [
      `Authorization: AfasToken ${Buffer.from(xml).toString('base64')}`,
      `Authorization: AfasToken ${REDACTED}`,
    ],
    ['Bearer abc.def.ghi', `Bearer ${REDACTED}`],
    [
      'grant_type=client_credentials&client_secret=s3cr3t',
      `grant_type=client_credentials&client_secret=${REDACTED}`,
    ],
    [
      'profitLogReference B8213AF1C3C54E579686406A8DE71C6C',
      'profitLogReference B8213AF1C3C54E579686406A8DE71C6C',
    ],
  ])('%s', (input, output) => {
    expect(redact(input)).toBe(output);
  });

  it('removes registered secrets', () => {
    registerSecret('my-oauth-secret-1');
    expect(redact('echo my-oauth-secret-1!')).toBe(`echo ${REDACTED}!`);
  });

  it('truncates by UTF-8 bytes', () => {
    expect(truncateUtf8('abc', 10)).toBe('abc');
    expect(Buffer.byteLength(truncateUtf8('€'.repeat(10), 10))).toBeLessThanOrEqual(10);
  });
});
