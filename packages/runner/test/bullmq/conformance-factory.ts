import type { Executor, Ledger } from '@koppel/core';
import { createBullmqExecutor, KoppelKeys, openRedis, RedisLedger } from '@koppel/runner/bullmq';
import { dropPrefix, freshPrefix, REDIS_URL } from './redis-env.js';

/**
 * The BullMQ executor for test/run-conformance.test.ts: a fresh prefix per executor and per
 * ledger, every key of it deleted on close.
 */
export const bullmqFactory = {
  name: 'bullmq',
  create({ concurrency }: { concurrency: number }): Executor {
    const prefix = freshPrefix();
    const redis = openRedis(REDIS_URL);
    const executor = createBullmqExecutor({ redis, prefix, concurrency });
    return {
      run: (batches, handler, options) => executor.run(batches, handler, options),
      async close() {
        await executor.close();
        await dropPrefix(prefix);
        redis.disconnect();
      },
    };
  },
  async ledger(_dir: string): Promise<Ledger & { close(): Promise<void> }> {
    const prefix = freshPrefix();
    const redis = openRedis(REDIS_URL);
    const ledger = new RedisLedger(redis, new KoppelKeys(prefix), 'conformance');
    return Object.assign(ledger, {
      async close() {
        await dropPrefix(prefix);
        redis.disconnect();
      },
    });
  },
};
