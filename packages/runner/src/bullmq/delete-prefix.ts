import type { Cluster, Redis } from 'ioredis';
import { isCluster } from './redis-connection.js';

/**
 * Deletes every key under `<prefix>:` (queues, ledgers, runs, gates) with SCAN + UNLINK; returns
 * how many. In a Cluster it scans every master (each holds only its own slots). For tests and for
 * retiring a deployment; never run it against a live prefix.
 */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  if (!isCluster(redis)) return deleteOn(redis, prefix, false);
  let deleted = 0;
  for (const master of (redis as unknown as Cluster).nodes('master'))
    deleted += await deleteOn(master, prefix, true);
  return deleted;
}

async function deleteOn(redis: Redis, prefix: string, perKey: boolean): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    // A Cluster node refuses a multi-key UNLINK across slots: one key per command there.
    if (!perKey) deleted += await redis.unlink(...keys);
    else for (const key of keys) deleted += await redis.unlink(key);
  } while (cursor !== '0');
  return deleted;
}
