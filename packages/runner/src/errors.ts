/** An executor or runner option out of range; the message names the option, expected and got. */
export class ExecutorOptionsError extends Error {
  readonly code = 'KOPPEL_RUN_OPTIONS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecutorOptionsError';
  }
}
