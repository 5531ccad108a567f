/** An extract could not run as configured (bad option, unknown column, unusable output). */
export class ExtractError extends Error {
  readonly code = 'KOPPEL_EXTRACT';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExtractError';
  }
}

/** Named job state (`.koppel/state/<job>.json`) is unreadable or malformed. */
export class StateError extends Error {
  readonly code = 'KOPPEL_STATE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateError';
  }
}
