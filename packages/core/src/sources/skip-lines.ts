/**
 * Drops the first `count` lines (up to and including `breakChar`) of a UTF-8 byte stream and
 * passes the rest through unchanged.
 */
export async function* skipLines(
  chunks: AsyncIterable<Buffer>,
  options: { count: number; breakChar: string },
): AsyncGenerator<Buffer> {
  let left = options.count;
  const breakByte = options.breakChar.charCodeAt(0);
  for await (const chunk of chunks) {
    let at = 0;
    while (left > 0 && at < chunk.length) {
      const nl = chunk.indexOf(breakByte, at);
      if (nl === -1) {
        at = chunk.length;
        break;
      }
      at = nl + 1;
      left--;
    }
    if (at < chunk.length) yield at === 0 ? chunk : chunk.subarray(at);
  }
}
