import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why the Redis process tests cannot run here (no redis-server / redis-cli), or undefined. */
export function redisServerMissing(): string | undefined {
  for (const bin of ['redis-server', 'redis-cli']) {
    const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0)
      return `${bin} is not installed (Debian: apt-get install redis-server)`;
  }
  return undefined;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `done` until it holds; fails naming `what` after `ms`. */
export async function until(
  done: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (
      await Promise.resolve()
        .then(done)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** `redis-cli -p port …args`, its stdout trimmed (TLS options first when given). */
export async function cli(
  port: number,
  args: readonly string[],
  tls: readonly string[] = [],
): Promise<string> {
  const { stdout } = await run('redis-cli', [...tls, '-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout.trim();
}

/** The `field:value` lines of an INFO reply as a map. */
export const infoOf = (text: string): Map<string, string> =>
  new Map(
    text
      .split(/\r?\n/)
      .flatMap((line) => (line.includes(':') ? [line.split(/:(.*)/s) as [string, string]] : [])),
  );

/**
 * Redis processes of one test file, in one temp dir: started on free ports, all killed by
 * `stop()` (idempotent; call it in afterAll), and killed when the test process exits anyway.
 */
export class RedisProcesses {
  readonly #children = new Map<number, ChildProcess>();
  #dir: string | undefined;
  readonly #onExit = (): void => {
    for (const child of this.#children.values()) child.kill('SIGKILL');
  };

  constructor() {
    process.once('exit', this.#onExit);
  }

  async dir(): Promise<string> {
    this.#dir ??= await mkdtemp(join(tmpdir(), 'koppel-redis-'));
    return this.#dir;
  }

  /** Starts `redis-server` (or a Sentinel with `sentinel: true`) on `port`; resolves once it answers PING. */
  async server(
    port: number,
    args: readonly string[] = [],
    options: { sentinel?: boolean; ping?: readonly string[] } = {},
  ): Promise<void> {
    const dir = join(await this.dir(), String(port));
    await mkdir(dir, { recursive: true });
    const common = ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
    let argv: string[];
    if (options.sentinel) {
      // A Sentinel rewrites its config file: it needs one of its own.
      const conf = join(dir, 'sentinel.conf');
      await writeFile(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\n${args.join('\n')}\n`);
      argv = [conf, '--sentinel'];
    } else {
      argv = ['--port', String(port), ...common, ...args];
    }
    const child = spawn('redis-server', argv, { stdio: 'ignore' });
    this.#children.set(port, child);
    await until(
      async () => (await cli(port, ['PING'], options.ping)) === 'PONG',
      `redis-server on port ${port}`,
      15_000,
    );
  }

  /** Kills the server on `port` at once (a crash); resolves when it is gone. */
  async kill(port: number): Promise<void> {
    const child = this.#children.get(port);
    if (!child) return;
    this.#children.delete(port);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  /** Kills every process and deletes the temp dir; runs every step even when one fails. */
  async stop(): Promise<void> {
    for (const port of [...this.#children.keys()]) await this.kill(port).catch(() => {});
    process.off('exit', this.#onExit);
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true }).catch(() => {});
  }
}

/** A local Redis Cluster: 3 masters, each with one replica. */
export interface LocalCluster {
  url: string;
  ports: number[];
  /** Hands the slot of `key` to its master's replica (CLUSTER FAILOVER, no write lost); resolves with the new master's port. */
  failover(key: string): Promise<number>;
}

/** Starts 6 cluster-enabled servers and joins them with `redis-cli --cluster create … --cluster-replicas 1`. */
export async function startCluster(processes: RedisProcesses): Promise<LocalCluster> {
  const ports: number[] = [];
  for (let i = 0; i < 6; i++) ports.push(await freePort());
  await Promise.all(
    ports.map((port) =>
      processes.server(port, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
      ]),
    ),
  );
  await run('redis-cli', [
    '--cluster',
    'create',
    ...ports.map((port) => `127.0.0.1:${port}`),
    '--cluster-replicas',
    '1',
    '--cluster-yes',
  ]);
  const settled = async (): Promise<boolean> => {
    for (const port of ports) {
      const info = infoOf(await cli(port, ['CLUSTER', 'INFO']));
      if (info.get('cluster_state') !== 'ok' || info.get('cluster_known_nodes') !== '6') return false;
    }
    const nodes = await cli(ports[0] as number, ['CLUSTER', 'NODES']);
    return nodes.split('\n').filter((line) => / slave [0-9a-f]{40} /.test(line)).length === 3;
  };
  await until(settled, 'the cluster to settle (state ok, 3 replicas)');
  return {
    url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`,
    ports,
    async failover(key) {
      const slot = Number(await cli(ports[0] as number, ['CLUSTER', 'KEYSLOT', key]));
      const nodes = (await cli(ports[0] as number, ['CLUSTER', 'NODES']))
        .split('\n')
        .map((line) => line.split(' '));
      const master = nodes.find(
        (fields) =>
          (fields[2] as string).includes('master') &&
          fields.slice(8).some((range) => {
            const [from, to = from] = range.split('-').map(Number);
            return (from as number) <= slot && slot <= (to as number);
          }),
      );
      const replica = nodes.find((fields) => fields[3] === master?.[0]);
      if (!master || !replica) throw new Error(`no master with a replica serves slot ${slot}`);
      const port = Number((replica[1] as string).split(/[:@]/)[1]);
      await cli(port, ['CLUSTER', 'FAILOVER']);
      await until(
        async () => infoOf(await cli(port, ['INFO', 'replication'])).get('role') === 'master',
        `the replica on ${port} to take over slot ${slot}`,
      );
      return port;
    },
  };
}

/** A local Sentinel group: one master, one replica, three Sentinels watching `mymaster`. */
export interface LocalSentinels {
  url: string;
  master: number;
  replica: number;
  sentinels: number[];
  /**
   * A planned failover: writes on the master are paused, the replica catches up, the Sentinels
   * promote it (SENTINEL FAILOVER) and the old master is killed, so no acknowledged write is lost.
   */
  failover(): Promise<void>;
}

export async function startSentinels(processes: RedisProcesses): Promise<LocalSentinels> {
  const [master, replica, ...sentinels] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
  const m = master as number;
  const r = replica as number;
  await processes.server(m);
  await processes.server(r, ['--replicaof', '127.0.0.1', String(m)]);
  await until(
    async () => infoOf(await cli(r, ['INFO', 'replication'])).get('master_link_status') === 'up',
    'the replica to sync',
  );
  const conf = [
    `sentinel monitor mymaster 127.0.0.1 ${m} 2`,
    'sentinel down-after-milliseconds mymaster 1000',
    'sentinel failover-timeout mymaster 5000',
    'sentinel parallel-syncs mymaster 1',
  ];
  await Promise.all(sentinels.map((port) => processes.server(port, conf, { sentinel: true })));
  await until(async () => {
    for (const port of sentinels) {
      const replicas = await cli(port, ['SENTINEL', 'REPLICAS', 'mymaster']);
      const peers = await cli(port, ['SENTINEL', 'SENTINELS', 'mymaster']);
      if (!replicas.includes(String(r)) || peers.split('\n').filter((l) => l === 'runid').length !== 2)
        return false;
    }
    return true;
  }, 'the Sentinels to know the replica and each other');
  return {
    url: `redis+sentinel://${sentinels.map((port) => `127.0.0.1:${port}`).join(',')}/mymaster`,
    master: m,
    replica: r,
    sentinels,
    async failover() {
      await cli(m, ['CLIENT', 'PAUSE', '30000', 'WRITE']);
      await until(async () => {
        const offset = infoOf(await cli(m, ['INFO', 'replication'])).get('master_repl_offset');
        return infoOf(await cli(r, ['INFO', 'replication'])).get('slave_repl_offset') === offset;
      }, 'the replica to catch up with the paused master');
      await cli(sentinels[0] as number, ['SENTINEL', 'FAILOVER', 'mymaster']);
      await until(async () => {
        for (const port of sentinels) {
          const address = await cli(port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster']);
          if (address.split('\n')[1] !== String(r)) return false;
        }
        return infoOf(await cli(r, ['INFO', 'replication'])).get('role') === 'master';
      }, 'the Sentinels to name the replica master');
      await processes.kill(m);
    },
  };
}
