/** Redis cannot be reached; the message names the URL (without password) and what to do. */
export class RedisUnavailableError extends Error {
  readonly code = 'KOPPEL_REDIS_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisUnavailableError';
  }
}

/** Redis answers but is set up in a way that loses jobs or ledger entries (eviction). */
export class RedisConfigError extends Error {
  readonly code = 'KOPPEL_REDIS_CONFIG';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisConfigError';
  }
}

/**
 * A worker tried to mark records `inflight` for a chunk it no longer holds (its BullMQ lock
 * expired and the chunk went elsewhere), or over a record that is already `done`; nothing was sent.
 */
export class LedgerFenceError extends Error {
  readonly code = 'KOPPEL_LEDGER_FENCE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerFenceError';
  }
}

/** A run (or a scheduled job) is still going; a second one would overlap it. */
export class RunInProgressError extends Error {
  readonly code = 'KOPPEL_RUN_IN_PROGRESS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunInProgressError';
  }
}

/** An option of the distributed executor, worker or scheduler is out of range or unknown. */
export class BullmqOptionsError extends Error {
  readonly code = 'KOPPEL_BULLMQ_OPTIONS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BullmqOptionsError';
  }
}

/** A delivery record in Redis cannot be read (not written by Koppel, or damaged). */
export class DeliveryStoreError extends Error {
  readonly code = 'KOPPEL_DELIVERY_STORE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryStoreError';
  }
}
