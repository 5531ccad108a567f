import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { describeTokenOrigin, noteTokenOrigin } from './connection-origins.js';
import { suggestion } from './did-you-mean.js';
import type { JobProblem } from './errors.js';
import { interpolate } from './interpolate.js';
import type { Connection } from './job-types.generated.js';
import { readYamlFileSync } from './read-job-text.js';
import { validateConnectionSchema } from './validate-schema.js';
import { type DocPath, YamlSource } from './yaml-source.js';

/** Languages AFAS answers in (Accept-Language). */
export type Language = NonNullable<Connection['language']>;

/** A connection ready to use. `token` is not enumerable, so logging or serialising it never shows it. */
export interface ResolvedConnection {
  /** The name it was looked up by, when the job named one. */
  name?: string;
  /** Base URL ending in /ProfitRestServices. */
  baseUrl: string;
  /** Accept-Language for every request. */
  language: Language;
  /** IntegrationId header, when set. */
  integrationId?: string;
  /** The token as written (hex, XML or base64); empty when none was given. Not enumerable. */
  readonly token: string;
}

/** Where named connections are looked up, in order. */
export interface ConnectionLookupOptions {
  /** Environment, for KOPPEL_CONNECTIONS and ${VAR}; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory holding ./koppel.yaml; default process.cwd(). */
  cwd?: string;
  /** Home directory holding .koppel/connections.yaml; default os.homedir(). */
  home?: string;
}

/** The connections files to try, in order: KOPPEL_CONNECTIONS alone when set, else ./koppel.yaml then ~/.koppel/connections.yaml. */
export function connectionFiles(options: ConnectionLookupOptions = {}): string[] {
  const env = options.env ?? process.env;
  if (env.KOPPEL_CONNECTIONS) return [resolve(env.KOPPEL_CONNECTIONS)];
  return [
    resolve(options.cwd ?? process.cwd(), 'koppel.yaml'),
    resolve(options.home ?? homedir(), '.koppel', 'connections.yaml'),
  ];
}

/** Derives the REST base URL of an environment (reference §1.1) unless `url` overrides it. */
export function baseUrlOf(connection: Connection): string {
  if (connection.url) return connection.url.replace(/\/+$/, '');
  const suffix = !connection.type || connection.type === 'production' ? '' : connection.type;
  const environment = String(connection.environment ?? '').replace(/\D/g, '');
  return `https://${environment}.rest${suffix}.afas.online/ProfitRestServices`;
}

/**
 * Turns a connection written in a YAML file into a ResolvedConnection, reading `token_file`
 * relative to that file. Problems are positioned at `path` inside `source`.
 */
export function resolveConnection(
  connection: Connection,
  source: YamlSource,
  path: DocPath,
): { connection?: ResolvedConnection; problems: JobProblem[] } {
  return resolveAt(connection, { source, path });
}

/** resolveConnection of the connection at `at`, named `name` when it comes from a connections file. */
function resolveAt(
  connection: Connection,
  at: { source: YamlSource; path: DocPath },
  name?: string,
): { connection?: ResolvedConnection; problems: JobProblem[] } {
  const { source, path } = at;
  const problems: JobProblem[] = [];
  if (!connection.url && connection.environment === undefined) {
    problems.push(source.problem(path, 'the connection needs `environment` (e.g. 12345) or `url`'));
  }
  if (connection.token && connection.token_file) {
    problems.push(
      source.problem([...path, 'token_file'], 'give either `token` or `token_file`, not both', 'key'),
    );
  }
  let token = connection.token ?? '';
  const tokenFile = connection.token_file
    ? resolve(dirname(source.file), connection.token_file.replace(/^~(?=\/)/, homedir()))
    : undefined;
  if (tokenFile) {
    try {
      token = readFileSync(tokenFile, 'utf8').trim();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(
        source.problem([...path, 'token_file'], `cannot read token_file ${tokenFile} (${reason})`),
      );
    }
  }
  if (problems.length) return { problems };
  const resolved: ResolvedConnection = {
    ...(name === undefined ? {} : { name }),
    baseUrl: baseUrlOf(connection),
    language: connection.language ?? 'nl-nl',
    ...(connection.integration_id ? { integrationId: connection.integration_id } : {}),
    token: '',
  };
  Object.defineProperty(resolved, 'token', { value: token, enumerable: false });
  noteTokenOrigin(resolved.baseUrl, describeTokenOrigin(source, path, { name, token, tokenFile }));
  return { connection: resolved, problems };
}

/**
 * Looks a named connection up in the connections files. A missing name is a problem positioned at
 * `at` in the job; problems inside a connections file are positioned in that file.
 */
export function lookupConnection(
  name: string,
  at: { source: YamlSource; path: DocPath },
  options: ConnectionLookupOptions = {},
): { connection?: ResolvedConnection; problems: JobProblem[] } {
  const env = options.env ?? process.env;
  const files = connectionFiles(options);
  const known: string[] = [];
  if (env.KOPPEL_CONNECTIONS && !existsSync(files[0] ?? '')) {
    const message = `KOPPEL_CONNECTIONS names ${files[0]}, which does not exist; fix the path or unset the variable (then ./koppel.yaml and ~/.koppel/connections.yaml are read)`;
    return { problems: [at.source.problem(at.path, message)] };
  }
  for (const file of files) {
    if (!existsSync(file)) continue;
    const { text } = readYamlFileSync(file, 'connections file', { allowEmpty: true });
    const source = new YamlSource(file, text);
    if (source.unusable) return { problems: source.problems };
    interpolate(source, env);
    if (source.problems.length) return { problems: source.problems };
    const data = source.toJS() as { connections?: Record<string, unknown> } | null;
    const entries = data?.connections;
    if (!entries || typeof entries !== 'object') continue;
    known.push(...Object.keys(entries));
    if (!Object.hasOwn(entries, name)) continue;
    const path = ['connections', name];
    const problems = validateConnectionSchema(source, entries[name], path);
    if (problems.length) return { problems };
    return resolveAt(entries[name] as Connection, { source, path }, name);
  }
  const where = files.join(' or ');
  const message = known.length
    ? `connection \`${name}\` is not defined in ${where}${suggestion(name, known) || `; known: ${known.join(', ')}`}`
    : `connection \`${name}\` not found: no \`connections:\` in ${where}; add it there or set KOPPEL_CONNECTIONS`;
  return { problems: [at.source.problem(at.path, message)] };
}
