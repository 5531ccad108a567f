import { setMaxListeners } from 'node:events';
import type { Batch, BatchHandler, ExecuteOptions, Executor, ExecutorContext } from '@koppel/core';
import type PQueue from 'p-queue';
import { ExecutorOptionsError } from './errors.js';
import { MachineSlots } from './machine-slots.js';

/** AFAS allows at most 8 parallel calls per environment. */
export const MAX_CONCURRENCY = 8;

export interface InProcessExecutorOptions {
  /** Requests in flight to the environment at most (`run.concurrency`); 1..8, default 8. */
  concurrency?: number;
  /**
   * Base URL of the environment: when given, the cap also holds across koppel processes on this
   * machine (MachineSlots); default none (this process only).
   */
  environment?: string;
  /**
   * Batches handled at once (some write the ledger or sleep in a backoff while others send);
   * default 2 x concurrency: one batch with its `inflight` written waits behind each request, and
   * `batch: auto` sizes the next batches from the answers instead of cutting many ahead.
   */
  workers?: number;
}

/**
 * The default executor: p-queue in this process. One queue of batch tasks (the workers) and one
 * request gate per environment: a p-queue with the in-flight cap that a 503 pauses for everyone.
 */
export function createInProcessExecutor(options: InProcessExecutorOptions = {}): Executor {
  const concurrency = options.concurrency ?? MAX_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new ExecutorOptionsError(
      `Expected \`run.concurrency\` to be an integer from 1 to ${MAX_CONCURRENCY} (AFAS allows 8 parallel calls), got \`${concurrency}\``,
    );
  }
  const workers = options.workers ?? concurrency * 2;
  // p-queue is imported by the first run (not at load: ~10 ms of start-up for every command).
  let gate: PQueue | undefined;
  const slots = options.environment
    ? new MachineSlots(options.environment, { limit: concurrency })
    : undefined;
  let pausedUntil = 0;
  let resume: NodeJS.Timeout | undefined;

  const pause = (ms: number): void => {
    const until = Date.now() + Math.max(0, ms);
    if (until <= pausedUntil) return;
    pausedUntil = until;
    gate?.pause();
    clearTimeout(resume);
    resume = setTimeout(() => gate?.start(), until - Date.now());
  };

  return {
    async run(
      batches: AsyncIterable<Batch>,
      handler: BatchHandler,
      runOptions: ExecuteOptions = {},
    ): Promise<void> {
      const { default: Queue } = await import('p-queue');
      gate ??= new Queue({ concurrency });
      const requests = gate;
      const stop = new AbortController();
      const signal = runOptions.signal ? AbortSignal.any([runOptions.signal, stop.signal]) : stop.signal;
      // Every queued request listens to the signal; there are legitimately many at once.
      setMaxListeners(0, signal);
      const onAbort = (): void => {
        clearTimeout(resume);
        pausedUntil = 0;
        requests.start();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const context: ExecutorContext = {
        signal,
        request: (send) => requestThroughGate(send, { gate: requests, signal, slots }),
        pause,
      };
      const tasks = new Queue({ concurrency: workers });
      let failure: { error: unknown } | undefined;
      try {
        for await (const batch of batches) {
          if (signal.aborted) break;
          tasks
            .add(() => handler(batch, context))
            .catch((error: unknown) => {
              failure ??= { error };
              stop.abort();
            });
          await tasks.onSizeLessThan(1);
        }
      } finally {
        await tasks.onIdle();
        signal.removeEventListener('abort', onAbort);
      }
      if (failure) throw failure.error;
    },
    async close(): Promise<void> {
      clearTimeout(resume);
      gate?.clear();
      gate?.start();
    },
  };
}

/**
 * Runs `send` under the gate. An abort rejects the call only while it is still waiting for a
 * slot; once `send` started, it is never cut loose (p-queue's own `signal` option would reject
 * a running task and free its slot while the request is still in flight).
 */
function requestThroughGate<T>(
  send: () => Promise<T>,
  { gate, signal, slots }: { gate: PQueue; signal: AbortSignal; slots?: MachineSlots | undefined },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const aborted = (): Error =>
      Object.assign(new Error('stopped before the request was sent'), { name: 'AbortError' });
    if (signal.aborted) return reject(aborted());
    let started = false;
    const onAbort = (): void => {
      if (!started) reject(aborted());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    gate
      .add(async () => {
        const release = slots
          ? await slots.acquire(signal).catch((error: unknown) => {
              if (signal.aborted) return undefined;
              throw error;
            })
          : undefined;
        if (signal.aborted || (slots && !release)) {
          await release?.();
          return undefined as T;
        }
        started = true;
        signal.removeEventListener('abort', onAbort);
        try {
          return await send();
        } finally {
          await release?.();
        }
      })
      .then(resolve, reject);
  });
}
