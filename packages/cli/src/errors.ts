/** The command line was used wrongly (an option value, a missing argument, an unknown option): exit 2. */
export class UsageError extends Error {
  readonly code = 'KOPPEL_USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}
