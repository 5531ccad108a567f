import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { BullmqOptionsError, RedisConfigError, RedisUnavailableError } from './errors.js';
import { type RedisTarget, redactRedisSpec } from './redis-options.js';
import { DEFAULT_REDIS_URL, resolveRedisSpec, resolveRedisTarget } from './redis-options-file.js';

export { DEFAULT_REDIS_URL };

/** Key prefix when `KOPPEL_REDIS_PREFIX` is unset. */
export const DEFAULT_PREFIX = 'koppel';

/** `--redis` wins over KOPPEL_REDIS_CONFIG (as `@file`), then REDIS_URL, then redis://127.0.0.1:6379. */
export const resolveRedisUrl = resolveRedisSpec;

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

/**
 * The prefix a Redis Cluster deployment uses: `prefix` itself when it holds a hash tag (`{…}`),
 * else `{prefix}`. Every key of the deployment then hashes to one slot, as BullMQ's multi-key
 * scripts and Koppel's (ledger + chunk lock, gate, delivery) require.
 */
export function clusterPrefix(prefix: string): string {
  return /\{[^}]+\}/.test(prefix) ? prefix : `{${prefix}}`;
}

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
  return redactRedisSpec(url).replace(/\/$/, '');
}

/** A Redis spec (URL or `@file`) or a target already resolved from one. */
export type RedisSpec = string | RedisTarget;

const targetOf = (spec: RedisSpec): RedisTarget =>
  typeof spec === 'string' ? resolveRedisTarget(spec) : spec;

// A replica promoted or demoted under a connection answers READONLY: reconnect (to the master the
// Sentinels or the Cluster name now) and send the command again.
const reconnectOnError = (error: Error): 2 | false => (error.message.startsWith('READONLY') ? 2 : false);

/** The ioredis options of one server connection of `target` (Cluster: of each node). */
function serverOptions(target: RedisTarget, extra: RedisOptions): RedisOptions {
  const options: RedisOptions = { ...extra };
  if (target.username !== undefined) options.username = target.username;
  if (target.password !== undefined) options.password = target.password;
  if (target.tls) options.tls = target.tls;
  if (target.db !== undefined) options.db = target.db;
  if (target.mode === 'standalone') {
    const node = target.nodes[0] as { host: string; port: number };
    options.host = node.host;
    options.port = node.port;
  } else if (target.mode === 'sentinel') {
    options.sentinels = target.nodes;
    options.name = target.name as string;
    options.failoverDetector = true;
    if (target.sentinelPassword !== undefined) options.sentinelPassword = target.sentinelPassword;
    if (target.tls) {
      options.enableTLSForSentinelMode = true;
      options.sentinelTLS = target.tls;
    }
  }
  return options;
}

function connect(target: RedisTarget, extra: RedisOptions, cluster: ClusterOptions = {}): Redis {
  if (target.mode !== 'cluster') return new Redis(serverOptions(target, extra));
  const { retryStrategy, enableOfflineQueue, lazyConnect, enableReadyCheck, ...perNode } = extra;
  const options: ClusterOptions = {
    ...cluster,
    redisOptions: serverOptions(target, perNode),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableReadyCheck === undefined ? {} : { enableReadyCheck }),
    ...(retryStrategy === undefined ? {} : { clusterRetryStrategy: retryStrategy }),
  };
  // Typed as Redis: a Cluster has the same commands (keyed ones routed by slot), and BullMQ tells
  // the two apart at run time. deletePrefix is the one place that needs the difference.
  return new Cluster(target.nodes, options) as unknown as Redis;
}

/** The mode of a connection opened by `openRedis`. */
export const isCluster = (redis: Redis): boolean =>
  (redis as unknown as { isCluster?: boolean }).isCluster === true;

/**
 * A connection for BullMQ workers and Koppel's scripts: commands wait through reconnects and
 * failovers (`maxRetriesPerRequest: null`), as BullMQ workers require. `spec` is a URL
 * (redis://, rediss://, redis+sentinel://, redis+cluster://), `@file`, or a resolved target.
 * `name` shows in CLIENT LIST (BullMQ's duplicates keep it).
 */
export function openRedis(spec: RedisSpec, name?: string): Redis {
  const redis = connect(
    targetOf(spec),
    {
      maxRetriesPerRequest: null,
      enableReadyCheck: true,
      reconnectOnError,
      ...(name ? { connectionName: name } : {}),
    },
    // Through a failover the Cluster answers CLUSTERDOWN / TRYAGAIN for a few seconds: wait.
    { maxRedirections: 64, retryDelayOnClusterDown: 300, retryDelayOnTryAgain: 300 },
  );
  redis.on('error', () => {}); // reconnects are automatic; commands wait for them
  // QUIT leaves the Sentinel failover detector's subscriptions open (they keep the process alive);
  // once the connection has ended for good, close them too.
  redis.once('end', () => redis.disconnect());
  return redis;
}

/**
 * Checks Redis once before anything starts: it must answer within `timeoutMs` (default 3000) and
 * run with `maxmemory-policy noeviction` (any eviction loses jobs and ledger entries); in a
 * Cluster, every node.
 */
export async function checkRedis(spec: RedisSpec, timeoutMs = 3000): Promise<void> {
  const target = targetOf(spec);
  const shown = target.shown;
  const probe = connect(target, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    ...(target.mode === 'sentinel' ? { sentinelRetryStrategy: () => null } : {}),
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
    const servers = isCluster(probe) ? (probe as unknown as Cluster).nodes('all') : [probe];
    for (const server of servers) {
      const info = await server.info('memory');
      const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
      if (policy !== undefined && policy !== 'noeviction') {
        const where =
          servers.length > 1 ? `${shown} (node ${server.options.host}:${server.options.port})` : shown;
        throw new RedisConfigError(
          `Redis at ${where} has maxmemory-policy ${policy}, expected noeviction (evicted keys lose jobs and ledger entries): run \`redis-cli CONFIG SET maxmemory-policy noeviction\` and set it in redis.conf`,
        );
      }
    }
  } finally {
    probe.disconnect();
  }
}
