import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clusterPrefix,
  connectDeployment,
  parseRedisUrl,
  redactRedisSpec,
  resolveRedisSpec,
  resolveRedisTarget,
} from '@koppel/runner/bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../test/helpers/cli.js';

describe('Redis URL forms', () => {
  it('reads one server, with TLS, login and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380')).toEqual({
      mode: 'standalone',
      nodes: [{ host: '127.0.0.1', port: 6380 }],
      shown: 'redis://127.0.0.1:6380',
    });
    expect(parseRedisUrl('rediss://worker:p%40ss@cache.example/2')).toEqual({
      mode: 'standalone',
      nodes: [{ host: 'cache.example', port: 6379 }],
      username: 'worker',
      password: 'p@ss',
      db: 2,
      tls: {},
      shown: 'rediss://worker:***@cache.example/2',
    });
    expect(parseRedisUrl('redis://:s3cret@[::1]:7000/')).toMatchObject({
      nodes: [{ host: '::1', port: 7000 }],
      password: 's3cret',
      shown: 'redis://:***@[::1]:7000',
    });
  });

  it('reads Sentinels with the master name and database, and Cluster seed nodes', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@10.0.0.1:26380,10.0.0.2/mymaster/3')).toEqual({
      mode: 'sentinel',
      nodes: [
        { host: '10.0.0.1', port: 26380 },
        { host: '10.0.0.2', port: 26379 },
      ],
      name: 'mymaster',
      password: 'pw',
      db: 3,
      shown: 'redis+sentinel://:***@10.0.0.1:26380,10.0.0.2/mymaster/3',
    });
    expect(parseRedisUrl('rediss+cluster://app:pw@n1:7000,n2:7001,n3')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
        { host: 'n3', port: 6379 },
      ],
      username: 'app',
      password: 'pw',
      tls: {},
      shown: 'rediss+cluster://app:***@n1:7000,n2:7001,n3',
    });
  });

  it.each([
    ['http://h:1', 'unknown scheme'],
    ['redis://a:1,b:2', 'several hosts need redis+sentinel:// or redis+cluster://'],
    ['redis+sentinel://:hunter2@a:1,b:2', 'no master name after the Sentinels (…/mymaster)'],
    ['redis+cluster://:hunter2@a:1/0', 'a Redis Cluster has no database number or path'],
    ['redis://:hunter2@h:99999', 'port 99999 is not 1-65535'],
    ['redis://:hunter2@h/x', 'database `x` is not a number 0-99'],
    ['redis://:hunter2@h?tls=1', 'query options are not supported (use a config file: --redis @file)'],
    ['redis://:%zz@h', 'the user or password is not URL-encoded (write %40 for @, %3A for :)'],
  ])('refuses %s in one line, without the password', (url, why) => {
    const refusal = (): unknown => parseRedisUrl(url);
    expect(refusal).toThrow(`\`: ${why}; expected redis://[user:password@]host[:port][/db], rediss://`);
    expect(refusal).not.toThrow(/hunter2|%zz/);
  });

  it('redacts the password of anything that looks like a URL, parsable or not', () => {
    expect(redactRedisSpec('redis+sentinel://u:a@b@h:1/m')).toBe('redis+sentinel://u:***@h:1/m');
    expect(redactRedisSpec('redis://h:6379')).toBe('redis://h:6379');
    expect(redactRedisSpec('weird:secret@host')).toBe('(unparsable Redis URL)');
  });

  it('turns a Cluster prefix into a hash tag unless it has one', () => {
    expect(clusterPrefix('koppel')).toBe('{koppel}');
    expect(clusterPrefix('acme-{prod}')).toBe('acme-{prod}');
  });
});

describe('Redis config file and environment', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'koppel-redis-url-'));
    await writeFile(join(dir, 'ca.pem'), 'CA PEM');
    await writeFile(join(dir, 'client.pem'), 'CERT PEM');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers --redis, then KOPPEL_REDIS_CONFIG, then REDIS_URL', () => {
    expect(resolveRedisSpec('redis://a', { REDIS_URL: 'redis://b', KOPPEL_REDIS_CONFIG: 'c.yaml' })).toBe(
      'redis://a',
    );
    expect(resolveRedisSpec(undefined, { REDIS_URL: 'redis://b', KOPPEL_REDIS_CONFIG: 'c.yaml' })).toBe(
      '@c.yaml',
    );
    expect(resolveRedisSpec(undefined, { REDIS_URL: 'redis://b' })).toBe('redis://b');
    expect(resolveRedisSpec(undefined, {})).toBe('redis://127.0.0.1:6379');
  });

  it('reads url, password and TLS files (relative to the file) from YAML', async () => {
    const file = join(dir, 'redis.yaml');
    await writeFile(
      file,
      'url: rediss+sentinel://s1:26379,s2:26379/prod\npassword: "p w"\nsentinelPassword: sp\ntls:\n  ca: ca.pem\n  cert: client.pem\n  servername: redis.internal\n',
    );
    expect(resolveRedisTarget(`@${file}`, { KOPPEL_REDIS_KEY: join(dir, 'client.pem') })).toEqual({
      mode: 'sentinel',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'prod',
      password: 'p w',
      sentinelPassword: 'sp',
      tls: { ca: 'CA PEM', cert: 'CERT PEM', key: 'CERT PEM', servername: 'redis.internal' },
      shown: `rediss+sentinel://s1:26379,s2:26379/prod (from ${file})`,
    });
  });

  it('lists every problem of a config file', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ url: 1, pasword: 'x', tls: { ca: 2, verify: true } }));
    expect(() => resolveRedisTarget(`@${file}`, {})).toThrow(
      `Redis config file ${file} is not usable: unknown key \`pasword\`; \`url\` must be a Redis URL; \`tls.ca\` must be a string; unknown key \`tls.verify\`. Expected YAML or JSON with`,
    );
  });

  it('takes the password and TLS files from the environment, and refuses TLS files without rediss', () => {
    expect(
      resolveRedisTarget('rediss://h:6380', {
        KOPPEL_REDIS_PASSWORD: 'pw',
        KOPPEL_REDIS_CA: join(dir, 'ca.pem'),
      }),
    ).toMatchObject({ password: 'pw', tls: { ca: 'CA PEM' } });
    expect(() => resolveRedisTarget('redis://h', { KOPPEL_REDIS_CA: join(dir, 'ca.pem') })).toThrow(
      'KOPPEL_REDIS_CA is set but Redis at redis://h is not TLS: write rediss://… (or unset KOPPEL_REDIS_CA)',
    );
    expect(() => resolveRedisTarget('rediss://h', { KOPPEL_REDIS_CA: join(dir, 'missing.pem') })).toThrow(
      `Cannot read the Redis TLS ca file \`${join(dir, 'missing.pem')}\` (ENOENT): check the path and its permissions`,
    );
  });

  it('koppel worker refuses an unusable --redis in one line, without the password', async () => {
    const result = await runCli(['worker', '--redis', 'redis+cluster://:hunter2@h:1/0'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^koppel: Cannot use Redis URL `redis\+cluster:\/\/:\*\*\*@h:1\/0`: a Redis Cluster has no database number or path; expected redis:\/\//,
      ),
    ]);
    expect(result.stderr + result.stdout).not.toContain('hunter2');
  });

  it('refuses an unusable --redis before connecting, naming it without the password', async () => {
    await expect(connectDeployment({ redis: 'redis+sentinel://:hunter2@h:1', env: {} })).rejects.toThrow(
      'Cannot use Redis URL `redis+sentinel://:***@h:1`: no master name after the Sentinels',
    );
  });
});
