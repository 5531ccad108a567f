import type { Batch, Classify, Decision, Sink, SinkResult } from '@koppel/core';

/** An error a ScriptedSink throws, carrying the decision the test classifier returns for it. */
export class ScriptedError extends Error {
  readonly decision: Decision;
  constructor(decision: Decision) {
    super(decision.message ?? decision.action);
    this.decision = decision;
  }
}

/** The classifier matching ScriptedError: returns the error's decision, `stop` for anything else. */
export const scriptedClassify: Classify = (error) =>
  error instanceof ScriptedError ? error.decision : { action: 'stop', message: String(error) };

/**
 * A Sink for executor-contract tests (no AFAS involved): behaves like Profit's transaction per
 * request: a request containing a `bad` key is rejected whole; `failures` scripts errors per key
 * (consumed one per request that carries the key). Stores what landed and counts requests in flight.
 */
export class ScriptedSink implements Sink {
  readonly stored = new Map<string, number>();
  readonly requests: string[][] = [];
  inFlight = 0;
  highWater = 0;
  readonly #bad: Set<string>;
  readonly #failures: Map<string, Decision[]>;
  readonly #latencyMs: number;

  constructor(
    options: { bad?: Iterable<string>; failures?: Record<string, Decision[]>; latencyMs?: number } = {},
  ) {
    this.#bad = new Set(options.bad);
    this.#failures = new Map(Object.entries(options.failures ?? {}).map(([k, v]) => [k, [...v]]));
    this.#latencyMs = options.latencyMs ?? 1;
  }

  async send(batch: Batch): Promise<SinkResult[]> {
    this.inFlight++;
    this.highWater = Math.max(this.highWater, this.inFlight);
    const keys = batch.map((doc) => doc.key);
    this.requests.push(keys);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
      for (const key of keys) {
        const failure = this.#failures.get(key)?.shift();
        if (failure) {
          if (failure.action === 'uncertain') this.#store(keys);
          throw new ScriptedError(failure);
        }
      }
      const bad = keys.find((key) => this.#bad.has(key));
      if (bad)
        throw new ScriptedError({
          action: 'reject',
          message: `record ${bad} is invalid`,
          profitLogReference: 'ABC',
        });
      this.#store(keys);
      return keys.map((key) => ({ Id: `id-${key}` }));
    } finally {
      this.inFlight--;
    }
  }

  #store(keys: string[]): void {
    for (const key of keys) this.stored.set(key, (this.stored.get(key) ?? 0) + 1);
  }
}
