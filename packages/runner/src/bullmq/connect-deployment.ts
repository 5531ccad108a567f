import type { Redis } from 'ioredis';
import { KoppelKeys } from './keys.js';
import { checkRedis, openRedis, redactRedisUrl, resolvePrefix, resolveRedisUrl } from './redis-connection.js';

/** A checked connection to a deployment's Redis plus its keys. */
export interface Deployment {
  redis: Redis;
  keys: KoppelKeys;
  /** The URL without its password. */
  url: string;
  close(): Promise<void>;
}

/**
 * Resolves `--redis` / REDIS_URL and KOPPEL_REDIS_PREFIX, checks Redis (reachable, `noeviction`)
 * with one clear message when not, and opens the connection the commands share.
 */
export async function connectDeployment(
  options: { redis?: string; prefix?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Deployment> {
  const env = options.env ?? process.env;
  const url = resolveRedisUrl(options.redis, env);
  const prefix = resolvePrefix(options.prefix, env);
  await checkRedis(url);
  const redis = openRedis(url, `koppel-${prefix}`);
  let closed = false;
  return {
    redis,
    keys: new KoppelKeys(prefix),
    url: redactRedisUrl(url),
    async close() {
      if (closed) return;
      closed = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
