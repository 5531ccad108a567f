import { describe, expect, it } from 'vitest';
import { AfasTokenError } from './errors.js';
import { normalizeToken } from './token.js';

const HEX = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
const XML = `<token><version>1</version><data>${HEX}</data></token>`;
const B64 = Buffer.from(XML).toString('base64');
const HEADER = `AfasToken ${B64}`;

describe('normalizeToken', () => {
  it.each([
    ['bare hex', HEX],
    ['bare hex with CRLF and spaces', `  ${HEX}\r\n`],
    ['XML', XML],
    [
      'XML with line breaks and indentation',
      `<token>\r\n  <version>1</version>\r\n  <data>${HEX}</data>\r\n</token>\r\n`,
    ],
    ['base64 of the XML', B64],
    ['base64 wrapped over lines', `${B64.slice(0, 40)}\r\n${B64.slice(40)}\n`],
    ['a pasted AfasToken header value', HEADER],
    ['base64 of XML that ends in CRLF', Buffer.from(`${XML}\r\n`).toString('base64')],
  ])('accepts %s', (_name, raw) => {
    expect(normalizeToken(raw)).toEqual({ xml: XML, header: HEADER });
  });

  it.each([
    ['empty', '', /got an empty string/],
    ['63 hex', HEX.slice(1), /none of these/],
    ['garbage', 'hello world this is no token', /none of these/],
    [
      'XML with short data',
      '<token><version>1</version><data>ABCDEF</data></token>',
      /64 hex characters, got 6/,
    ],
    ['base64 of garbage', Buffer.from('not xml at all').toString('base64'), /none of these/],
  ])('rejects %s without echoing it', (_name, raw, message) => {
    expect(() => normalizeToken(raw)).toThrow(message);
    try {
      normalizeToken(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(AfasTokenError);
      expect((error as AfasTokenError).code).toBe('KOPPEL_AFAS_TOKEN');
      if (raw.length > 0) expect((error as Error).message).not.toContain(raw);
    }
  });
});
