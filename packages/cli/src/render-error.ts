/**
 * Turns any thrown value into a one-line message for a user. Typed errors carry their own
 * advice in `message`; anything else is an internal bug, reported without a stack trace unless
 * KOPPEL_DEBUG is set.
 */
export function renderError(error: unknown): string {
  if (process.env.KOPPEL_DEBUG && error instanceof Error && error.stack) return `koppel: ${error.stack}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const prefix = typeof code === 'string' && code.startsWith('KOPPEL_') ? '' : 'internal error: ';
    return `koppel: ${prefix}${error.message}`;
  }
  return `koppel: internal error: ${String(error)}`;
}
