import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { parse as parseYaml } from 'yaml';
import { BullmqOptionsError } from './errors.js';
import { parseRedisUrl, type RedisTarget } from './redis-options.js';

/** Where Redis is when neither `--redis`, KOPPEL_REDIS_CONFIG nor `REDIS_URL` says. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const FILE_KEYS = new Set(['url', 'username', 'password', 'sentinelPassword', 'tls']);
const TLS_KEYS = new Set(['ca', 'cert', 'key', 'servername', 'rejectUnauthorized']);

/**
 * The Redis spec in force: `--redis` wins over KOPPEL_REDIS_CONFIG (a config file, as `@path`),
 * which wins over REDIS_URL, which wins over redis://127.0.0.1:6379.
 */
export function resolveRedisSpec(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.KOPPEL_REDIS_CONFIG) return `@${env.KOPPEL_REDIS_CONFIG}`;
  return env.REDIS_URL || DEFAULT_REDIS_URL;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new BullmqOptionsError(
      `Cannot read ${what} \`${path}\` (${code}): check the path and its permissions`,
    );
  }
}

/**
 * The target of a Redis spec: a URL (see `parseRedisUrl`) or `@file`, a YAML/JSON file with
 * `url` plus optional `username`, `password`, `sentinelPassword` and `tls: { ca, cert, key,
 * servername, rejectUnauthorized }` (file paths relative to the config file). Then
 * KOPPEL_REDIS_PASSWORD and KOPPEL_REDIS_CA / _CERT / _KEY (file paths) fill what is still unset.
 * Every refusal names the problem without the password.
 */
export function resolveRedisTarget(spec: string, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  let target: RedisTarget;
  const tlsFiles: Partial<Record<'ca' | 'cert' | 'key', string>> = {};
  let tlsExtra: ConnectionOptions = {};
  if (spec.startsWith('@')) {
    const file = resolve(spec.slice(1));
    const config = readConfig(file);
    target = parseRedisUrl(config.url);
    target.shown = `${target.shown} (from ${spec.slice(1)})`;
    if (config.username !== undefined) target.username = config.username;
    if (config.password !== undefined) target.password = config.password;
    if (config.sentinelPassword !== undefined) target.sentinelPassword = config.sentinelPassword;
    const { ca, cert, key, ...rest } = config.tls ?? {};
    for (const [name, path] of Object.entries({ ca, cert, key }))
      if (path !== undefined) tlsFiles[name as 'ca'] = resolve(dirname(file), path);
    tlsExtra = rest;
    if (config.tls && !target.tls)
      refuseFile(file, ['`tls` is set but `url` is not rediss:// (write rediss:// to use TLS)']);
  } else {
    target = parseRedisUrl(spec);
  }
  if (target.password === undefined && env.KOPPEL_REDIS_PASSWORD) target.password = env.KOPPEL_REDIS_PASSWORD;
  for (const [name, variable] of [
    ['ca', 'KOPPEL_REDIS_CA'],
    ['cert', 'KOPPEL_REDIS_CERT'],
    ['key', 'KOPPEL_REDIS_KEY'],
  ] as const) {
    const path = env[variable];
    if (!path || tlsFiles[name] !== undefined) continue;
    if (!target.tls) {
      throw new BullmqOptionsError(
        `${variable} is set but Redis at ${target.shown} is not TLS: write rediss://… (or unset ${variable})`,
      );
    }
    tlsFiles[name] = path;
  }
  if (target.tls) {
    const tls: ConnectionOptions = { ...tlsExtra };
    for (const [name, path] of Object.entries(tlsFiles))
      tls[name as 'ca'] = readText(path, `the Redis TLS ${name} file`);
    target.tls = tls;
  }
  return target;
}

interface RedisConfigFile {
  url: string;
  username?: string;
  password?: string;
  sentinelPassword?: string;
  tls?: { ca?: string; cert?: string; key?: string; servername?: string; rejectUnauthorized?: boolean };
}

function refuseFile(file: string, problems: string[]): never {
  throw new BullmqOptionsError(
    `Redis config file ${file} is not usable: ${problems.join('; ')}. Expected YAML or JSON with \`url\` and optionally \`username\`, \`password\`, \`sentinelPassword\`, \`tls: { ca, cert, key, servername, rejectUnauthorized }\``,
  );
}

function readConfig(file: string): RedisConfigFile {
  let data: unknown;
  try {
    data = parseYaml(readText(file, 'the Redis config file'));
  } catch (error) {
    if (error instanceof BullmqOptionsError) throw error;
    refuseFile(file, [`it does not parse (${(error as Error).message.split('\n')[0]})`]);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    refuseFile(file, ['it is not a mapping']);
  const config = data as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(config)) if (!FILE_KEYS.has(key)) problems.push(`unknown key \`${key}\``);
  if (typeof config.url !== 'string') problems.push('`url` must be a Redis URL');
  for (const key of ['username', 'password', 'sentinelPassword'])
    if (config[key] !== undefined && typeof config[key] !== 'string')
      problems.push(`\`${key}\` must be a string`);
  const tls = config.tls;
  if (tls !== undefined) {
    if (typeof tls !== 'object' || tls === null || Array.isArray(tls))
      problems.push('`tls` must be a mapping');
    else
      for (const [key, value] of Object.entries(tls)) {
        if (!TLS_KEYS.has(key)) problems.push(`unknown key \`tls.${key}\``);
        else if (key === 'rejectUnauthorized' ? typeof value !== 'boolean' : typeof value !== 'string')
          problems.push(`\`tls.${key}\` must be a ${key === 'rejectUnauthorized' ? 'boolean' : 'string'}`);
      }
  }
  if (problems.length > 0) refuseFile(file, problems);
  return config as unknown as RedisConfigFile;
}
