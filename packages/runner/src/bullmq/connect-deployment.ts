import type { Redis } from 'ioredis';
import { KoppelKeys } from './keys.js';
import { checkRedis, clusterPrefix, openRedis, resolvePrefix, resolveRedisUrl } from './redis-connection.js';
import type { RedisMode } from './redis-options.js';
import { resolveRedisTarget } from './redis-options-file.js';

/** A checked connection to a deployment's Redis plus its keys. */
export interface Deployment {
  redis: Redis;
  keys: KoppelKeys;
  /** The URL without its password. */
  url: string;
  /** One server, a Sentinel group or a Redis Cluster. */
  mode: RedisMode;
  close(): Promise<void>;
}

/**
 * Resolves `--redis` / KOPPEL_REDIS_CONFIG / REDIS_URL and KOPPEL_REDIS_PREFIX (in a Cluster made
 * a hash tag, `{prefix}`), checks Redis (reachable, `noeviction`) with one clear message when
 * not, and opens the connection the commands share.
 */
export async function connectDeployment(
  options: { redis?: string; prefix?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Deployment> {
  const env = options.env ?? process.env;
  const target = resolveRedisTarget(resolveRedisUrl(options.redis, env), env);
  const prefix = resolvePrefix(options.prefix, env);
  await checkRedis(target);
  const keyPrefix = target.mode === 'cluster' ? clusterPrefix(prefix) : prefix;
  const redis = openRedis(target, `koppel-${prefix}`);
  let closed = false;
  return {
    redis,
    keys: new KoppelKeys(keyPrefix),
    url: target.shown,
    mode: target.mode,
    async close() {
      if (closed) return;
      closed = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
