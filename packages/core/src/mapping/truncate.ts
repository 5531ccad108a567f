let segmenter: Intl.Segmenter | undefined;

/** Length in characters (Unicode code points), as AFAS counts field lengths. */
export function charLength(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    count++;
  }
  return count;
}

/**
 * The longest prefix of `text` of at most `max` code points that ends on a grapheme boundary, so
 * neither a surrogate pair nor a combining sequence (é as e + U+0301, emoji with modifiers) is split.
 */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let used = 0;
  let end = 0;
  for (const { segment, index } of segmenter.segment(text)) {
    const size = charLength(segment);
    if (used + size > max) break;
    used += size;
    end = index + segment.length;
  }
  return text.slice(0, end);
}
