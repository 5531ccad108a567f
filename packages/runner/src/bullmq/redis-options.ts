import type { ConnectionOptions } from 'node:tls';
import { BullmqOptionsError } from './errors.js';

/** How Koppel reaches Redis: one server, a Sentinel group naming the master, or a Redis Cluster. */
export type RedisMode = 'standalone' | 'sentinel' | 'cluster';

/** A host and port of a Redis server, a Sentinel or a Cluster seed node. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Where Redis is and how to log in, parsed from `--redis` / REDIS_URL (or a config file). */
export interface RedisTarget {
  mode: RedisMode;
  /** standalone: the server; sentinel: the Sentinels; cluster: the seed nodes. */
  nodes: RedisNode[];
  /** The master group name the Sentinels know (sentinel only). */
  name?: string;
  username?: string;
  password?: string;
  /** Password of the Sentinels themselves (sentinel only; they often have none). */
  sentinelPassword?: string;
  /** Database number (not in Cluster mode, which has only 0). */
  db?: number;
  /** TLS options (`rediss…://`): CA, client certificate and key, server name. */
  tls?: ConnectionOptions;
  /** The URL without its password, for every message. */
  shown: string;
}

/** The URL forms `--redis` / REDIS_URL accept, for messages. */
export const REDIS_URL_FORMS =
  'redis://[user:password@]host[:port][/db], rediss://… (TLS), redis+sentinel://[user:password@]host:port,host:port/mastername[/db], redis+cluster://[user:password@]host:port,host:port (rediss+… for TLS), or @config.yaml';

const SCHEME = /^(rediss?)(?:\+(sentinel|cluster))?:\/\/(.*)$/i;

/** `spec` with any password replaced by `***` (works on URLs that do not parse too). */
export function redactRedisSpec(spec: string): string {
  const scheme = /^([a-z+]+:\/\/)(.*)$/i.exec(spec);
  if (!scheme) return spec.includes('@') && !spec.startsWith('@') ? '(unparsable Redis URL)' : spec;
  const rest = scheme[2] as string;
  const at = rest.lastIndexOf('@');
  if (at < 0) return spec;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return spec;
  return `${scheme[1]}${userinfo.slice(0, colon)}:***${rest.slice(at)}`;
}

function refuse(spec: string, what: string): never {
  throw new BullmqOptionsError(
    `Cannot use Redis URL \`${redactRedisSpec(spec)}\`: ${what}; expected ${REDIS_URL_FORMS}`,
  );
}

function decode(spec: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return refuse(spec, 'the user or password is not URL-encoded (write %40 for @, %3A for :)');
  }
}

function parseNode(spec: string, text: string, defaultPort: number): RedisNode {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/i.exec(text);
  if (!match) return refuse(spec, `\`${text}\` is not host[:port]`);
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port < 1 || port > 65535) return refuse(spec, `port ${port} is not 1-65535`);
  return { host: (match[1] ?? match[2]) as string, port };
}

function parseDb(spec: string, text: string): number {
  if (!/^\d{1,2}$/.test(text)) return refuse(spec, `database \`${text}\` is not a number 0-99`);
  return Number(text);
}

/**
 * Parses one Redis URL into a target: `redis://` and `rediss://` (one server),
 * `redis+sentinel://` (Sentinels, then the master name), `redis+cluster://` (seed nodes); the
 * `rediss` forms use TLS. Throws BullmqOptionsError (password redacted) for anything else.
 */
export function parseRedisUrl(spec: string): RedisTarget {
  const scheme = SCHEME.exec(spec.trim());
  if (!scheme) return refuse(spec, 'unknown scheme');
  const tls = (scheme[1] as string).toLowerCase() === 'rediss';
  const mode: RedisMode = (scheme[2]?.toLowerCase() as 'sentinel' | 'cluster' | undefined) ?? 'standalone';
  let rest = scheme[3] as string;
  if (/[?#]/.test(rest))
    return refuse(spec, 'query options are not supported (use a config file: --redis @file)');
  const at = rest.lastIndexOf('@');
  let username: string | undefined;
  let password: string | undefined;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const user = decode(spec, colon < 0 ? userinfo : userinfo.slice(0, colon));
    if (user) username = user;
    if (colon >= 0) password = decode(spec, userinfo.slice(colon + 1));
  }
  const slash = rest.indexOf('/');
  const hostPart = slash < 0 ? rest : rest.slice(0, slash);
  const path = (slash < 0 ? '' : rest.slice(slash + 1)).replace(/\/$/, '');
  if (hostPart === '') return refuse(spec, 'no host');
  const hosts = hostPart.split(',');
  if (mode === 'standalone' && hosts.length > 1)
    return refuse(spec, 'several hosts need redis+sentinel:// or redis+cluster://');
  const nodes = hosts.map((host) => parseNode(spec, host, mode === 'sentinel' ? 26379 : 6379));
  const target: RedisTarget = { mode, nodes, shown: redactRedisSpec(spec.trim()).replace(/\/$/, '') };
  if (username !== undefined) target.username = username;
  if (password !== undefined && password !== '') target.password = password;
  if (tls) target.tls = {};
  const segments = path === '' ? [] : path.split('/');
  if (mode === 'sentinel') {
    const [name, db, ...extra] = segments;
    if (!name) return refuse(spec, 'no master name after the Sentinels (…/mymaster)');
    if (extra.length > 0) return refuse(spec, 'expected /mastername[/db] after the Sentinels');
    target.name = decode(spec, name);
    if (db !== undefined) target.db = parseDb(spec, db);
  } else if (mode === 'cluster') {
    if (segments.length > 0) return refuse(spec, 'a Redis Cluster has no database number or path');
  } else {
    if (segments.length > 1) return refuse(spec, 'expected at most /db after the host');
    if (segments[0] !== undefined) target.db = parseDb(spec, segments[0]);
  }
  return target;
}
