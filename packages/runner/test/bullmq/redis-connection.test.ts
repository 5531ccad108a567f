import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { checkRedis, redactRedisUrl, resolvePrefix } from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL } from './redis-env.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Redis checks at start', () => {
  let lru: ChildProcess;
  let lruPort: number;
  beforeAll(async () => {
    lruPort = await freePort();
    // A private Redis that evicts keys: the setting Koppel must refuse.
    lru = spawn(
      'redis-server',
      [
        '--port',
        String(lruPort),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory',
        '64mb',
        '--maxmemory-policy',
        'allkeys-lru',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const up = await checkRedis(`redis://127.0.0.1:${lruPort}`).then(
        () => true,
        (error: Error) => error.name === 'RedisConfigError',
      );
      if (up) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(() => {
    lru?.kill('SIGKILL');
  });

  it('passes a reachable Redis with noeviction', async () => {
    await expect(checkRedis(REDIS_URL)).resolves.toBeUndefined();
  });

  it('names the setting and the fix when maxmemory-policy is not noeviction', async () => {
    await expect(checkRedis(`redis://127.0.0.1:${lruPort}`)).rejects.toThrow(
      `Redis at redis://127.0.0.1:${lruPort} has maxmemory-policy allkeys-lru, expected noeviction (evicted keys lose jobs and ledger entries): run \`redis-cli CONFIG SET maxmemory-policy noeviction\` and set it in redis.conf`,
    );
  });

  it('names the URL without its password when Redis is unreachable', async () => {
    const port = await freePort();
    const failure = checkRedis(`redis://worker:s3cret@127.0.0.1:${port}/0`);
    await expect(failure).rejects.toThrow(
      `Cannot reach Redis at redis://worker:***@127.0.0.1:${port}/0 (ECONNREFUSED): start Redis there, or point REDIS_URL or --redis at a running one`,
    );
    await expect(failure).rejects.not.toThrow('s3cret');
  });

  it('redacts passwords and checks the key prefix', () => {
    expect(redactRedisUrl('rediss://:pw@cache.example:6380')).toBe('rediss://:***@cache.example:6380');
    expect(resolvePrefix(undefined, {})).toBe('koppel');
    expect(resolvePrefix(undefined, { KOPPEL_REDIS_PREFIX: 'acme-prod' })).toBe('acme-prod');
    expect(() => resolvePrefix(undefined, { KOPPEL_REDIS_PREFIX: 'a:b' })).toThrow(
      "Expected KOPPEL_REDIS_PREFIX to be 1-64 letters, digits or ._-{} (no ':'), got `a:b`",
    );
  });
});
