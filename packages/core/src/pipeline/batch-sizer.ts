import type { PipelineEvent } from './pipeline-event.js';

/** AFAS refuses bodies over 75 MB (413); batches stay well below. */
export const MAX_REQUEST_BYTES = 75 * 1024 * 1024;

/** Decides how many documents go into the next request (`run.batch`). */
export interface BatchSizer {
  /** Documents for the next batch (>= 1). */
  size(): number;
  /** Largest body of one batch in bytes; default 8 MB. */
  readonly maxBytes: number;
  /** Sees every request outcome (latency-driven sizing). */
  observe?(event: PipelineEvent): void;
}

/** `batch: N`: always N documents per request (fewer at the end, or when the bytes cap is hit). */
export function fixedBatchSizer(size: number, maxBytes = 8 * 1024 * 1024): BatchSizer {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Expected \`run.batch\` to be \`auto\` or an integer >= 1, got \`${size}\``);
  }
  return { size: () => size, maxBytes: Math.min(maxBytes, MAX_REQUEST_BYTES) };
}

export interface AutoBatchOptions {
  /** First batch size in documents; default 16. */
  start?: number;
  /** Most documents per request; default 500 (AFAS limits a request by bytes, not Elements). */
  maxRecords?: number;
  /** Largest body in bytes; default 8 MB (AFAS refuses > 75 MB). */
  maxBytes?: number;
  /** Request latency in ms the sizer steers towards: grows below half of it, shrinks above it; default 2000. */
  targetLatencyMs?: number;
}

/**
 * `batch: auto`: starts small, grows while successful requests answer well under the target
 * latency (x4 under a tenth of it, x2 under half), halves when they get slow or a batch had
 * to be bisected (rejects cost less in small batches). Bounded by record count and bytes.
 */
export function autoBatchSizer(options: AutoBatchOptions = {}): BatchSizer {
  const maxRecords = options.maxRecords ?? 500;
  const target = options.targetLatencyMs ?? 2000;
  let current = Math.min(options.start ?? 16, maxRecords);
  let latency: number | undefined;
  return {
    size: () => current,
    maxBytes: Math.min(options.maxBytes ?? 8 * 1024 * 1024, MAX_REQUEST_BYTES),
    observe(event) {
      if (event.type === 'bisect') {
        current = Math.max(1, Math.floor(current / 2));
        return;
      }
      if (event.type !== 'request' || !event.ok) return;
      latency = latency === undefined ? event.latencyMs : latency * 0.8 + event.latencyMs * 0.2;
      if (event.size < current) return;
      if (latency < target / 10) current = Math.min(maxRecords, current * 4);
      else if (latency < target / 2) current = Math.min(maxRecords, current * 2);
      // Half the size of the slow batch, not of the current size again: batches cut before an
      // earlier halving still answer slowly and must not halve it over and over.
      else if (latency > target) current = Math.max(1, Math.min(current, Math.floor(event.size / 2)));
    },
  };
}

/** The sizer of `run.batch` (a number, `auto`, or a custom sizer; default 1), the same for every executor. */
export function batchSizerOf(batch: number | 'auto' | BatchSizer | undefined): BatchSizer {
  if (batch === undefined) return fixedBatchSizer(1);
  if (batch === 'auto') return autoBatchSizer();
  if (typeof batch === 'number') return fixedBatchSizer(batch);
  return batch;
}
