import { randomUUID } from 'node:crypto';
import { deletePrefix, openRedis } from '@koppel/runner/bullmq';

/** Redis of the tests: REDIS_URL or the local default (CI starts one). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other test uses. */
export const freshPrefix = (): string => `koppel-test-${randomUUID().slice(0, 8)}`;

/** Deletes every key of a test prefix; returns how many were left. */
export async function dropPrefix(prefix: string): Promise<number> {
  const redis = openRedis(REDIS_URL);
  try {
    return await deletePrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
