/** Longest value echoed into a message, in characters; longer ones are cut with "…". */
export const EXCERPT_CHARS = 60;

/**
 * A value as it may appear inside an error message: control characters and line breaks shown
 * as spaces, cut to `max` characters with "…", so a 1 MB value never floods a terminal or log.
 */
export function excerpt(value: string, max = EXCERPT_CHARS): string {
  const head = value.length > max * 4 ? value.slice(0, max * 4) : value;
  const flat = head.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  const chars = Array.from(flat);
  return chars.length > max || head.length < value.length ? `${chars.slice(0, max).join('')}…` : flat;
}

/** Like JSON.stringify, cut like `excerpt` (strings keep their backticks). */
export function excerptValue(value: unknown, max = EXCERPT_CHARS): string {
  if (typeof value === 'string') return `\`${excerpt(value, max)}\``;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return excerpt(text, max);
}
