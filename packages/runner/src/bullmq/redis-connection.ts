import { Redis } from 'ioredis';
import { BullmqOptionsError, RedisConfigError, RedisUnavailableError } from './errors.js';

/** Where Redis is when neither `--redis` nor `REDIS_URL` says. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Key prefix when `KOPPEL_REDIS_PREFIX` is unset. */
export const DEFAULT_PREFIX = 'koppel';

/** `--redis` wins over `REDIS_URL`, which wins over redis://127.0.0.1:6379. */
export function resolveRedisUrl(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.REDIS_URL || DEFAULT_REDIS_URL;
}

/** The deployment's key prefix (`KOPPEL_REDIS_PREFIX`); letters, digits and `._-{}` only. */
export function resolvePrefix(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = flag || env.KOPPEL_REDIS_PREFIX || DEFAULT_PREFIX;
  if (!/^[\w.{}-]{1,64}$/.test(prefix)) {
    throw new BullmqOptionsError(
      `Expected KOPPEL_REDIS_PREFIX to be 1-64 letters, digits or ._-{} (no ':'), got \`${prefix}\``,
    );
  }
  return prefix;
}

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/**
 * A connection for BullMQ workers and Koppel's scripts: commands wait through reconnects
 * (`maxRetriesPerRequest: null`), as BullMQ workers require. `name` shows in CLIENT LIST
 * (BullMQ's duplicates keep it).
 */
export function openRedis(url: string, name?: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...(name ? { connectionName: name } : {}),
  });
  redis.on('error', () => {}); // reconnects are automatic; commands wait for them
  return redis;
}

/**
 * Checks Redis once before anything starts: it must answer within `timeoutMs` (default 3000) and
 * run with `maxmemory-policy noeviction` (any eviction loses jobs and ledger entries).
 */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  const shown = redactRedisUrl(url);
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let cause: Error | undefined;
  probe.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await probe.connect();
  } catch (error) {
    probe.disconnect();
    const first = (cause ?? error) as NodeJS.ErrnoException;
    const reason = first.code ?? first.message;
    throw new RedisUnavailableError(
      `Cannot reach Redis at ${shown} (${reason}): start Redis there, or point REDIS_URL or --redis at a running one`,
      { cause: error },
    );
  }
  try {
    const info = await probe.info('memory');
    const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
    if (policy !== undefined && policy !== 'noeviction') {
      throw new RedisConfigError(
        `Redis at ${shown} has maxmemory-policy ${policy}, expected noeviction (evicted keys lose jobs and ledger entries): run \`redis-cli CONFIG SET maxmemory-policy noeviction\` and set it in redis.conf`,
      );
    }
  } finally {
    probe.disconnect();
  }
}
