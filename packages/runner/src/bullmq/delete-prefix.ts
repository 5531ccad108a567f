import type { Redis } from 'ioredis';

/**
 * Deletes every key under `<prefix>:` (queues, ledgers, runs, gates) with SCAN + UNLINK; returns
 * how many. For tests and for retiring a deployment; never run it against a live prefix.
 */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
