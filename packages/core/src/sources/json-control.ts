import { CONTROL_CHARACTER } from '../encoding/scan-input.js';
import { ControlCharacterError } from './errors.js';
import type { JsonToken, JsonTokenizer } from './json-tokenizer.js';

/**
 * Refuses a JSON string (value or key) holding a NUL or other C0 control character, written as an
 * escape (`\u0000`, `\b`, `\f`): raw ones are refused by the scan. Names file:line:col of the escape.
 */
export function checkJsonToken(file: string, token: JsonToken, tokenizer: JsonTokenizer): void {
  const at = tokenizer.controlEscape;
  if (!at || (token.name !== 'stringValue' && token.name !== 'keyValue')) return;
  const value = token.value as string;
  const code = value.charCodeAt(CONTROL_CHARACTER.exec(value)?.index ?? 0);
  const what =
    code === 0
      ? 'a NUL character (\\u0000)'
      : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const { line, column } = at;
  throw new ControlCharacterError(
    { file, line, column, byteOffset: -1 },
    `${file}:${line}:${column}: ${what} in a JSON ${token.name === 'keyValue' ? 'key' : 'string'}; Koppel refuses control characters (other than tab, CR and LF) in input fields: remove them from the file`,
  );
}
