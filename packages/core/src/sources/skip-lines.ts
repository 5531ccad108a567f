/** Where the rest of `chunk` starts after dropping up to `left.count` lines; counts them down. */
function afterLines(
  chunk: { length: number; indexOf(value: never, from: number): number },
  breakValue: never,
  left: { count: number },
): number {
  let at = 0;
  while (left.count > 0 && at < chunk.length) {
    const nl = chunk.indexOf(breakValue, at);
    if (nl === -1) return chunk.length;
    at = nl + 1;
    left.count--;
  }
  return at;
}

/**
 * Drops the first `count` lines (up to and including `breakChar`) of a UTF-8 byte stream and
 * passes the rest through unchanged.
 */
export async function* skipLines(
  chunks: AsyncIterable<Buffer>,
  options: { count: number; breakChar: string },
): AsyncGenerator<Buffer> {
  const left = { count: options.count };
  const breakByte = options.breakChar.charCodeAt(0) as never;
  for await (const chunk of chunks) {
    const at = afterLines(chunk, breakByte, left);
    if (at < chunk.length) yield at === 0 ? chunk : chunk.subarray(at);
  }
}

/** Like `skipLines`, on decoded text chunks; with `count` 0 it returns `chunks` itself. */
export function skipTextLines(
  chunks: AsyncGenerator<string>,
  options: { count: number; breakChar: string },
): AsyncGenerator<string> {
  if (options.count === 0) return chunks;
  const left = { count: options.count };
  return (async function* () {
    for await (const chunk of chunks) {
      const at = afterLines(chunk, options.breakChar as never, left);
      if (at < chunk.length) yield at === 0 ? chunk : chunk.slice(at);
    }
  })();
}
