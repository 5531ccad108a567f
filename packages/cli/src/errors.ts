/** The command line was used wrongly (an option value, a missing argument, an unknown option): exit 2. */
export class UsageError extends Error {
  readonly code = 'KOPPEL_USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** What the command was asked about does not exist (a run, a schedule, a state): exit 1, the message says where to look. */
export class NotFoundError extends Error {
  readonly code = 'KOPPEL_NOT_FOUND';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}
