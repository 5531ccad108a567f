/**
 * The run stopped on an error no retry can fix (401/403, a connector missing from the App
 * Connector, ...). The message says what to fix; the run is resumable.
 */
export class RunStoppedError extends Error {
  readonly code = 'KOPPEL_RUN_STOPPED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunStoppedError';
  }
}

/** A ledger file or run directory that cannot be used (locked by another process, unreadable). */
export class LedgerError extends Error {
  readonly code = 'KOPPEL_LEDGER';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerError';
  }
}
