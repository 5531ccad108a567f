import { isScalar } from 'yaml';
import { formatProblem } from './errors.js';
import type { DocPath, YamlSource } from './yaml-source.js';

/**
 * Where the token of each connection resolved in this process was written, by base URL, so the
 * CLI can say which token AFAS refused (`token refused by AFAS (401) …: check the token of
 * connection \`acme\` at koppel.yaml:4:12 …`). Holds positions and variable names, never a token.
 */
const origins = new Map<string, string>();

/** How a connection's token was given: its position, and the variable or file it came from. */
export function describeTokenOrigin(
  source: YamlSource,
  path: DocPath,
  options: { name?: string | undefined; token: string; tokenFile?: string | undefined },
): string {
  const what = options.name === undefined ? "the job's connection" : `connection \`${options.name}\``;
  const key = options.tokenFile ? 'token_file' : 'token';
  const where = formatProblem(source.problem([...path, key], '')).replace(/: $/, '');
  if (options.tokenFile)
    return `${what}, token_file ${options.tokenFile} at ${where}: put a valid token in that file`;
  const node = source.doc.getIn([...path, 'token'], true);
  const written = isScalar(node) ? ((node as { source?: string }).source ?? String(node.value)) : '';
  const variable = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/.exec(written);
  if (!variable)
    return `${what} at ${where} (written there): replace it, better with a \${VAR} or token_file`;
  const [, name, fallback] = variable;
  if (fallback !== undefined && options.token === fallback)
    return `${what} at ${where}: ${name} is not set, so the default written there was sent; set ${name} to a valid token`;
  return `${what} at ${where}, from ${name}: set ${name} to a valid token`;
}

/** Remembers where the token of the connection at `baseUrl` comes from. */
export function noteTokenOrigin(baseUrl: string, origin: string): void {
  origins.set(baseUrl.replace(/\/+$/, ''), origin);
}

/** Where the token sent with a request to `url` was written, when a connection of this process covers it. */
export function tokenOriginOf(url: string): string | undefined {
  let best: [string, string] | undefined;
  for (const entry of origins) {
    if (url.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}
