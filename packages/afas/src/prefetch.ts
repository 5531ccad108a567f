/**
 * Start consuming `source` now, buffering up to `maxBuffered` items ahead of the reader. Errors are
 * delivered when the reader reaches them. `stop()` ends the producer at its next item.
 */
export function prefetch<T>(
  source: AsyncIterable<T>,
  maxBuffered: number,
): AsyncIterable<T> & { stop(): void } {
  const buffer: T[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let wakeReader: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const notifyReader = () => {
    wakeReader?.();
    wakeReader = undefined;
  };

  void (async () => {
    try {
      for await (const item of source) {
        if (stopped) return;
        buffer.push(item);
        notifyReader();
        while (buffer.length >= maxBuffered && !stopped)
          await new Promise<void>((resolve) => (wakeProducer = resolve));
        if (stopped) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      done = true;
      notifyReader();
    }
  })();

  return {
    stop() {
      stopped = true;
      wakeProducer?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (buffer.length > 0) {
          const item = buffer.shift()!;
          wakeProducer?.();
          wakeProducer = undefined;
          yield item;
          continue;
        }
        if (failure) throw failure.error;
        if (done) return;
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
    },
  };
}
