/**
 * Drops the first `count` lines (up to and including `breakChar`) of a text stream and passes
 * the rest through unchanged.
 */
export async function* skipLines(
  chunks: AsyncIterable<string>,
  options: { count: number; breakChar: string },
): AsyncGenerator<string> {
  let left = options.count;
  for await (const chunk of chunks) {
    let at = 0;
    while (left > 0 && at < chunk.length) {
      const nl = chunk.indexOf(options.breakChar, at);
      if (nl === -1) {
        at = chunk.length;
        break;
      }
      at = nl + 1;
      left--;
    }
    if (at < chunk.length) yield at === 0 ? chunk : chunk.slice(at);
  }
}
