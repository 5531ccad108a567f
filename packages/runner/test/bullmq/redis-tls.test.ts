import { execFile, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkRedis, KoppelKeys, openRedis, RedisLedger, resolveRedisTarget } from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, RedisProcesses, redisServerMissing } from './redis-processes.js';

const noOpenssl = spawnSync('openssl', ['version']).status === 0 ? undefined : 'openssl is not installed';
const missing = redisServerMissing() ?? noOpenssl;
if (missing) console.warn(`skipping the Redis TLS tests: ${missing}`);

describe.skipIf(missing)('Redis over TLS (rediss://, a self-signed certificate)', () => {
  const processes = new RedisProcesses();
  let port: number;
  let cert: string;
  let config: string;

  beforeAll(async () => {
    const dir = await processes.dir();
    cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    port = await freePort();
    await processes.server(
      port,
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        cert,
        '--tls-key-file',
        key,
        '--tls-ca-cert-file',
        cert,
        '--tls-auth-clients',
        'no',
        '--requirepass',
        'tls-s3cret',
      ],
      { ping: ['--tls', '--cacert', cert, '-a', 'tls-s3cret', '--no-auth-warning'] },
    );
    config = join(dir, 'redis.yaml');
    await writeFile(config, `url: rediss://127.0.0.1:${port}\npassword: tls-s3cret\ntls:\n  ca: cert.pem\n`);
  }, 30_000);

  afterAll(async () => {
    await processes.stop();
  });

  it('connects with the CA from KOPPEL_REDIS_CA and runs a ledger write', async () => {
    const target = resolveRedisTarget(`rediss://:tls-s3cret@127.0.0.1:${port}`, { KOPPEL_REDIS_CA: cert });
    await expect(checkRedis(target)).resolves.toBeUndefined();
    const redis = openRedis(target);
    try {
      const ledger = new RedisLedger(redis, new KoppelKeys('koppel-tls'), 'run-1');
      await ledger.write([{ key: 'a', state: 'done', attempts: 1, at: new Date().toISOString() }]);
      expect((await ledger.counts()).done).toBe(1);
    } finally {
      redis.disconnect();
    }
  });

  it('connects with a config file (password and CA file there)', async () => {
    await expect(checkRedis(resolveRedisTarget(`@${config}`, {}))).resolves.toBeUndefined();
  });

  it('refuses a server whose certificate it cannot verify, without the password', async () => {
    const failure = checkRedis(resolveRedisTarget(`rediss://:tls-s3cret@127.0.0.1:${port}`, {}));
    await expect(failure).rejects.toThrow(
      `Cannot reach Redis at rediss://:***@127.0.0.1:${port} (DEPTH_ZERO_SELF_SIGNED_CERT): start Redis there`,
    );
    await expect(failure).rejects.not.toThrow('tls-s3cret');
  });
});
