import type { PipelineDocument } from '@koppel/core';
import { type ChunkRuntime, KoppelKeys, KoppelWorker, openRedis, RedisGate } from '@koppel/runner/bullmq';
import { FlowProducer, Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUES } from '../../src/bullmq/chunk-jobs.js';
import { RunFlow } from '../../src/bullmq/run-flow.js';
import { dropPrefix, freshPrefix, REDIS_URL } from './redis-env.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const documents = (count: number): PipelineDocument[] =>
  Array.from({ length: count }, (_, i) => ({ key: `d${i}`, element: { Fields: { Nr: i } }, records: [] }));

describe('a worker that shuts down hands its chunk back at the batch it reached', () => {
  let prefix: string;
  let keys: KoppelKeys;
  const connections: ReturnType<typeof openRedis>[] = [];
  const open = (): ReturnType<typeof openRedis> => {
    const redis = openRedis(REDIS_URL);
    connections.push(redis);
    return redis;
  };
  beforeEach(() => {
    prefix = freshPrefix();
    keys = new KoppelKeys(prefix);
  });
  afterEach(async () => {
    for (const redis of connections.splice(0)) redis.disconnect();
    await dropPrefix(prefix);
  });

  it('resumes on another worker from the saved cursor: every batch handled once, no attempt used', async () => {
    const handled: { worker: string; key: string }[] = [];
    const runtimeFor = (worker: string, redis: ReturnType<typeof openRedis>): ChunkRuntime => ({
      gate: new RedisGate({ redis, keys, environment: 'env', concurrency: 8 }),
      handler: () => async (batch) => {
        for (const doc of batch) handled.push({ worker, key: doc.key });
        await sleep(40);
      },
      // Like the ledger: records already handled are not sent again.
      filter: async (batch) => {
        const left = batch.filter((doc) => !handled.some((h) => h.key === doc.key));
        return { batch: left, skipped: batch.length - left.length };
      },
      signal: new AbortController().signal,
      fail: async () => {},
      stopped: async () => false,
    });
    const redisA = open();
    const a = new KoppelWorker({
      redis: redisA,
      keys,
      runtime: async () => runtimeFor('A', redisA),
      finalise: false,
    });
    const producer = open();
    const flow = new FlowProducer({ connection: producer, prefix: keys.bull });
    const chunks = new Queue(DEFAULT_QUEUES.chunks, { connection: producer, prefix: keys.bull });
    const runs = new Queue(DEFAULT_QUEUES.runs, { connection: producer, prefix: keys.bull });
    try {
      const run = new RunFlow({ flow, chunks, keys, queues: DEFAULT_QUEUES, runId: 'handback', session: 1 });
      await run.start();
      const docs = documents(10);
      await run.add([{ documents: docs, sizes: docs.map(() => 1) }]);
      await run.seal();
      while (handled.length < 3) await sleep(10);
      await a.close(); // SIGTERM: finish the batch in hand, save the cursor, hand the chunk back

      const job = await chunks.getJob('handback-s1-c0');
      const cursor = (job?.progress as { cursor?: number } | undefined)?.cursor;
      expect(await job?.getState()).toBe('waiting');
      expect(cursor).toBe(handled.length);
      expect(job?.attemptsMade).toBe(0);

      const redisB = open();
      const b = new KoppelWorker({ redis: redisB, keys, runtime: async () => runtimeFor('B', redisB) });
      try {
        while ((await runs.getJob('handback').then((j) => j?.getState())) !== 'completed') await sleep(20);
      } finally {
        await b.close();
      }
      expect(handled.map((h) => h.key)).toEqual(docs.map((d) => d.key));
      expect(handled.filter((h) => h.worker === 'B').map((h) => h.key)).toEqual(
        docs.slice(cursor).map((d) => d.key),
      );
      expect(await (await chunks.getJob('handback-s1-c0'))?.getState()).toBe('completed');
    } finally {
      await a.close();
      await Promise.allSettled([
        flow.close(),
        chunks.obliterate({ force: true }),
        runs.obliterate({ force: true }),
      ]);
      await Promise.allSettled([chunks.close(), runs.close()]);
    }
  });
});
