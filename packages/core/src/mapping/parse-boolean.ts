const TRUE = new Set(['true', 'ja', 'j', 'waar', 'yes', 'y', '1', 'wel']);
const FALSE = new Set(['false', 'nee', 'n', 'onwaar', 'no', '0', 'niet']);

/** The accepted spellings, for messages. */
export const BOOLEAN_SPELLINGS = 'true/false, ja/nee, j/n, waar/onwaar, yes/no, y/n, 1/0';

/** Parses Dutch and English spellings of a boolean (case-insensitive); undefined when it is none of them. */
export function parseBoolean(text: string): boolean | undefined {
  const folded = text.toLowerCase();
  if (TRUE.has(folded)) return true;
  if (FALSE.has(folded)) return false;
  return undefined;
}
