interface Waiter {
  resolve: (release: () => void) => void;
  reject: (reason: unknown) => void;
}

/** A FIFO-fair counting semaphore. `limit` can be lowered or raised at any time. */
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

  /** Wait (in arrival order) for a permit; resolves to an idempotent release function. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
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
    while (this.#active < this.#limit && this.#queue.length > 0) {
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
 * The process-wide semaphore of one environment (keyed by base URL, case-insensitive). When clients
 * ask for different limits, the smallest one wins.
 */
export function environmentSemaphore(baseUrl: string, limit: number): Semaphore {
  const key = baseUrl.toLowerCase();
  const existing = registry.get(key);
  if (existing) {
    if (limit < existing.limit) existing.limit = limit;
    return existing;
  }
  const created = new Semaphore(limit);
  registry.set(key, created);
  return created;
}
