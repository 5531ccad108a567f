/** What the CLI prints for a failure, and the exit code it ends with. */
export interface RenderedError {
  /** The text for stderr, without the final line break: one line, except a list of job problems. */
  text: string;
  /** 2 for usage errors, 1 for everything else. */
  exitCode: number;
}

/** Where the failure happened, for the advice of an internal error. */
export interface RenderErrorOptions {
  /** The koppel command that ran (`plan`, `run`, …), when known. */
  command?: string;
  /** Environment, for KOPPEL_DEBUG; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the token sent to a URL was written (core's tokenOriginOf), for a token AFAS refused. */
  tokenOrigin?: (url: string) => string | undefined;
}

/** Longest line printed; longer ones are cut with "…". */
const MAX_LINE = 400;
/** Most problem lines printed for one error (a job with many problems); `koppel validate` lists all. */
const MAX_LINES = 20;

/**
 * The one rendering path of the CLI: a typed error (`code` starting KOPPEL_) prints its own
 * message, a Node system error (ENOENT, EACCES, ECONNREFUSED, …) prints its path or address and
 * what to do, anything else is a bug in Koppel and says how to report it. Never a stack trace
 * unless KOPPEL_DEBUG is set; every quoted value is cut to a short excerpt.
 */
export function renderError(error: unknown, options: RenderErrorOptions = {}): RenderedError {
  const env = options.env ?? process.env;
  const code = codeOf(error);
  const exitCode = code === 'KOPPEL_USAGE' ? 2 : 1;
  if (env.KOPPEL_DEBUG && error instanceof Error && error.stack) {
    return { text: `koppel: ${error.stack}${causeStacks(error)}`, exitCode };
  }
  const refused = refusalOf(error);
  if (refused) return { text: bounded(renderRefusal(refused, options.tokenOrigin)), exitCode: 1 };
  if (error instanceof Error && code?.startsWith('KOPPEL_')) {
    return { text: bounded(error.message), exitCode };
  }
  const system = systemErrorOf(error);
  if (system) return { text: bounded(renderSystemError(system)), exitCode: 1 };
  return { text: bounded(renderInternal(error, options.command)), exitCode: 1 };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The message as printed: `koppel: ` before the first line, at most MAX_LINES lines. A value
 * echoed whole by a message (160+ characters without a space) is cut to 120, a line to MAX_LINE.
 */
function bounded(message: string): string {
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  const shown = lines
    .slice(0, MAX_LINES)
    .map((line) => cut(line.replace(/\S{161,}/g, (value) => `${value.slice(0, 120)}…`)));
  if (lines.length > MAX_LINES)
    shown.push(`… and ${lines.length - MAX_LINES} more (\`koppel validate\` lists every problem)`);
  return `koppel: ${shown.join('\n') || 'failed without a message'}`;
}

function cut(line: string): string {
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}

/** An answer of AFAS that refused the credentials (401, 403): a ProfitError of @koppel/afas. */
interface Refusal {
  status: 401 | 403;
  method: string;
  url: string;
  externalMessage?: string;
}

/** The first 401 or 403 from AFAS in the error or its cause chain (a MetainfoError wraps one). */
export function refusalOf(error: unknown, depth = 0): Refusal | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const candidate = error as Partial<Refusal> & { code?: unknown; cause?: unknown };
  if (
    candidate.code === 'KOPPEL_AFAS_PROFIT' &&
    (candidate.status === 401 || candidate.status === 403) &&
    typeof candidate.url === 'string'
  ) {
    return candidate as Refusal;
  }
  return refusalOf(candidate.cause, depth + 1);
}

/**
 * `token refused by AFAS (401) for GET /12345/ProfitRestServices/metainfo/update/FiEntries: check
 * the token of connection \`acme\` at koppel.yaml:4:12, from ACME_TOKEN: set ACME_TOKEN to a valid token`.
 */
function renderRefusal(refused: Refusal, tokenOrigin: RenderErrorOptions['tokenOrigin']): string {
  let path = refused.url;
  try {
    path = new URL(refused.url).pathname;
  } catch {}
  const said = refused.externalMessage ? ` ("${refused.externalMessage}")` : '';
  const origin = tokenOrigin?.(refused.url);
  const which = origin
    ? `the token of ${origin}`
    : "the connection's token (token, token_file or the variable it names)";
  return refused.status === 401
    ? `token refused by AFAS (401) for ${refused.method} ${path}${said}: check ${which}`
    : `access refused by AFAS (403) for ${refused.method} ${path}${said}: the token is valid but may not be used from this address (an IP restriction of its user) or for this connector; check ${which}, or its App Connector in Profit`;
}

/** A Node system error (it has an errno-style code such as ENOENT), here or in the cause chain. */
interface SystemError {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  address?: string;
  port?: number;
  hostname?: string;
  message: string;
}

function systemErrorOf(error: unknown, depth = 0): SystemError | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const code = codeOf(error);
  if (code && /^E[A-Z0-9]+$/.test(code) && typeof (error as { message?: unknown }).message === 'string') {
    return error as SystemError;
  }
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.length) {
    const found = systemErrorOf(nested[0], depth + 1);
    if (found) return found;
  }
  return systemErrorOf((error as { cause?: unknown }).cause, depth + 1);
}

const FILE_ADVICE: Record<string, string> = {
  ENOENT: 'does not exist (or its directory does not); check the path',
  EACCES:
    'permission denied; check the permissions of the file or directory (or run as a user who may use it)',
  EPERM: 'operation not permitted; check the permissions of the file or directory',
  EISDIR: 'is a directory where a file is expected; name a file',
  ENOTDIR: 'a part of the path is a file where a directory is expected; check the path',
  EEXIST: 'already exists; remove it or choose another path',
  ENOTEMPTY: 'the directory is not empty; empty it or choose another path',
  ENOSPC: 'no space left on the device; free some space and run the same command again',
  EDQUOT: 'the disk quota is exhausted; free some space and run the same command again',
  EROFS: 'the file system is read-only; choose a writable location',
  EMFILE: 'too many open files; raise the limit (`ulimit -n`) and run the same command again',
  EBUSY: 'the file or directory is busy; close what holds it and try again',
};

const NETWORK_ADVICE: Record<string, string> = {
  ECONNREFUSED: 'connection refused; is the server running and is the address right?',
  ECONNRESET: 'the connection was reset; run the same command again',
  ETIMEDOUT: 'the connection timed out; check the network and the address',
  ENOTFOUND: 'the host name does not resolve; check the URL',
  EAI_AGAIN: 'the host name could not be resolved right now (DNS); try again',
  EHOSTUNREACH: 'the host is unreachable; check the network and the address',
  EADDRINUSE: 'the port is already in use; stop what uses it or choose another --port',
  EADDRNOTAVAIL: 'the address is not available on this machine; choose another --host',
};

function renderSystemError(error: SystemError): string {
  const where = [error.path, error.dest].filter(Boolean).join(' -> ');
  const file = FILE_ADVICE[error.code];
  if (file) return `${where || `(${error.syscall ?? 'file system'})`}: ${file} (${error.code})`;
  const host = error.address ?? error.hostname;
  const address = host ? `${host}${error.port === undefined ? '' : `:${error.port}`}` : undefined;
  const network = NETWORK_ADVICE[error.code];
  if (network) return `${address ?? where ?? error.syscall ?? 'network'}: ${network} (${error.code})`;
  const first = error.message.split('\n')[0] ?? error.code;
  return `${where || address || error.syscall || 'system'}: ${first}; check the path or address and run the same command again`;
}

function renderInternal(error: unknown, command: string | undefined): string {
  const name = error instanceof Error ? error.name : typeof error;
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const short = message.length > 120 ? `${message.slice(0, 120)}…` : message;
  const where = command ? `koppel ${command}` : 'koppel';
  return `internal error: ${name}: ${short}; this is a bug in Koppel, not in your job: re-run with KOPPEL_DEBUG=1 for the stack trace and report it as an issue titled "internal error in ${where}: ${name}"`;
}

function causeStacks(error: Error): string {
  let text = '';
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    text += `\ncaused by: ${cause.stack ?? cause.message}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return text;
}
