import { KoppelKeys, openRedis, RedisGate } from '@koppel/runner/bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix, REDIS_URL } from './redis-env.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisGate', () => {
  let prefix: string;
  const connections: ReturnType<typeof openRedis>[] = [];
  const gates: RedisGate[] = [];
  const gate = (options: { concurrency: number; leaseMs?: number }): RedisGate => {
    const redis = openRedis(REDIS_URL);
    connections.push(redis);
    const created = new RedisGate({ redis, keys: new KoppelKeys(prefix), environment: 'env-1', ...options });
    gates.push(created);
    return created;
  };
  beforeEach(() => {
    prefix = freshPrefix();
  });
  afterEach(async () => {
    for (const created of gates.splice(0)) await created.close();
    for (const redis of connections.splice(0)) redis.disconnect();
    await dropPrefix(prefix);
  });

  it('caps requests in flight across gates on separate connections (separate processes)', async () => {
    const [a, b] = [gate({ concurrency: 3 }), gate({ concurrency: 3 })];
    let inFlight = 0;
    let highWater = 0;
    const send = async (): Promise<void> => {
      inFlight++;
      highWater = Math.max(highWater, inFlight);
      await sleep(3);
      inFlight--;
    };
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => ((i % 2 === 0 ? a : b) as RedisGate).request(send)),
    );
    expect(highWater).toBe(3);
  });

  it('frees the slots of a process that died holding them once their lease ends', async () => {
    const dead = gate({ concurrency: 1, leaseMs: 300 });
    void dead.request(() => new Promise(() => {})); // never settles, like a process killed mid-request
    await sleep(50);
    await dead.close(); // stops renewing: the process is gone
    const alive = gate({ concurrency: 1, leaseMs: 300 });
    await expect(alive.request(async () => 'sent')).resolves.toBe('sent');
  });

  it('holds every gate of the environment while one of them paused it', async () => {
    const [a, b] = [gate({ concurrency: 2 }), gate({ concurrency: 2 })];
    a.pause(300);
    const pauseKey = new KoppelKeys(prefix).gate('env-1').pause;
    const redis = connections[0] as ReturnType<typeof openRedis>;
    while ((await redis.pttl(pauseKey)) <= 0) await sleep(5); // the pause reached Redis
    const ttlWhenSent = await b.request(() => redis.pttl(pauseKey));
    expect(ttlWhenSent).toBe(-2); // b sent only once the key had expired
  });

  it('rejects a waiting request with an AbortError, without sending, when its signal aborts', async () => {
    const a = gate({ concurrency: 1 });
    a.pause(60_000);
    const stop = new AbortController();
    let sent = false;
    const waiting = a.request(async () => {
      sent = true;
    }, stop.signal);
    setTimeout(() => stop.abort(), 30);
    await expect(waiting).rejects.toThrow('aborted');
    expect(sent).toBe(false);
  });

  it('refuses a cap AFAS does not allow', () => {
    expect(() => gate({ concurrency: 9 })).toThrow(
      'Expected `run.concurrency` to be an integer from 1 to 8 (AFAS allows 8 parallel calls), got `9`',
    );
  });
});
