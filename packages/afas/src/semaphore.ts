interface Waiter {
  limit: number;
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
}

/**
 * A FIFO-fair counting semaphore. Each acquire may bring its own limit: it is granted once fewer
 * than that many permits are held, and never ahead of an earlier waiter.
 */
export class Semaphore {
  #limit: number;
  #active = 0;
  #highWater = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get limit(): number {
    return this.#limit;
  }
  set limit(value: number) {
    this.#limit = value;
    this.#drain();
  }
  /** Permits currently held. */
  get active(): number {
    return this.#active;
  }
  /** Callers waiting for a permit. */
  get waiting(): number {
    return this.#queue.length;
  }
  /** The most permits ever held at once. */
  get highWater(): number {
    return this.#highWater;
  }

  /** Wait (in arrival order) until fewer than `limit` permits are held; resolves to an idempotent release. */
  acquire(signal?: AbortSignal, limit = this.#limit): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { limit, resolve, reject };
      this.#queue.push(waiter);
      if (signal) {
        const onAbort = () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) {
            this.#queue.splice(index, 1);
            reject(signal.reason);
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiter.resolve = (release) => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        };
      }
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#active < Math.min(this.#limit, this.#queue[0]!.limit)) {
      const waiter = this.#queue.shift()!;
      this.#active++;
      this.#highWater = Math.max(this.#highWater, this.#active);
      let released = false;
      waiter.resolve(() => {
        if (released) return;
        released = true;
        this.#active--;
        this.#drain();
      });
    }
  }
}

const registry = new Map<string, Semaphore>();

/**
 * The process-wide semaphore of one environment (keyed by base URL, case-insensitive). Clients pass
 * their own `maxInFlight` to `acquire`, so a client never adds a request once that many are in
 * flight for the environment, whichever clients sent them.
 */
export function environmentSemaphore(baseUrl: string): Semaphore {
  const key = baseUrl.toLowerCase();
  let semaphore = registry.get(key);
  if (!semaphore) {
    semaphore = new Semaphore(Number.POSITIVE_INFINITY);
    registry.set(key, semaphore);
  }
  return semaphore;
}
