import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { STALLED_REASON } from './chunk-jobs.js';
import { chunkName, MAX_REQUEUES } from './finalise-run.js';
import type { KoppelKeys } from './keys.js';
import type { RemoteRunMeta } from './redis-run-store.js';

/** A chunk worker connected to the deployment now (BullMQ `getWorkers()` of the chunk queue). */
export interface ConnectedWorker {
  /** The worker's name (`koppel worker`: `<host>:<pid>`), `(unnamed)` without one. */
  name: string;
  /** Address of its Redis connection (`ip:port`). */
  addr: string;
  /** Seconds since it connected, and since its connection last did anything. */
  ageSeconds: number;
  idleSeconds: number;
}

/**
 * Where the chunks of a run's last session stand. `stalled` chunks lost their worker (its lock
 * expired or it is no longer connected, or BullMQ failed them as stalled): the run puts them back
 * from their cursor, so they are not failures; bull-board lists the ones BullMQ failed as failed.
 */
export interface ChunkActivity {
  done: number;
  /** Held by a connected worker with a live lock. */
  active: number;
  /** Waiting or delayed. */
  waiting: number;
  /** Whose worker died, to be put back when the other chunks settled (`-r<n>`). */
  stalled: number;
  /** Stalled chunks already put back as a new chunk. */
  putBack: number;
  /** Failed for another reason, or their worker died too often: not processed. */
  failed: number;
  /** Short names of the stalled, and of the failed chunks with their reasons. */
  stalledChunks: string[];
  failures: string[];
  /** Short names of the active chunks per worker name. */
  holders: Record<string, string[]>;
}

/** The chunk workers connected now. */
export async function connectedWorkers(chunks: Queue): Promise<ConnectedWorker[]> {
  const clients = (await chunks.getWorkers()) as Record<string, string>[];
  return clients
    .map((client) => {
      const raw = client.rawname ?? '';
      const at = raw.indexOf(':w:');
      return {
        name: at >= 0 ? raw.slice(at + 3) : '(unnamed)',
        addr: client.addr ?? '',
        ageSeconds: Number(client.age ?? 0),
        idleSeconds: Number(client.idle ?? 0),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const idOf = (key: string): string => key.slice(key.lastIndexOf(':') + 1);

/**
 * Reads a run's chunk states from its run job's children (the last session's), the active
 * chunks of the queue (`active`, read once for every run on a page) and their locks.
 * Undefined when BullMQ has no run job (a run of `Executor.run`, or one cleaned up).
 */
export async function chunkActivity(
  meta: RemoteRunMeta,
  deps: {
    redis: Redis;
    keys: KoppelKeys;
    runs: Queue;
    chunks: Queue;
    active: readonly Job[];
    workers: readonly ConnectedWorker[];
  },
): Promise<ChunkActivity | undefined> {
  const job = await deps.runs.getJob(meta.runId);
  if (!job) return undefined;
  const session = `${meta.runId}-s${meta.session}-`;
  const ours = (id: string) => id.startsWith(session) && !id.endsWith('-seal');
  const dependencies = await job.getDependencies();
  const processed = Object.keys(dependencies.processed ?? {})
    .map(idOf)
    .filter(ours);
  const unprocessed = new Set((dependencies.unprocessed ?? []).map(idOf).filter(ours));
  const failures = Object.entries(await job.getIgnoredChildrenFailures())
    .map(([key, reason]) => [idOf(key), reason] as const)
    .filter(([id]) => ours(id));
  const all = new Set([...processed, ...unprocessed, ...failures.map(([id]) => id)]);
  const activity: ChunkActivity = {
    done: processed.length,
    active: 0,
    waiting: 0,
    stalled: 0,
    putBack: 0,
    failed: 0,
    stalledChunks: [],
    failures: [],
    holders: {},
  };
  const name = (id: string) => chunkName(meta.runId, id);
  const connected = new Set(deps.workers.map((worker) => worker.name));
  const active = deps.active.filter((chunk) => unprocessed.has(chunk.id as string));
  const locks = await Promise.all(
    active.map((chunk) => deps.redis.exists(deps.keys.jobLockOf(chunk.queueName, chunk.id as string))),
  );
  active.forEach((chunk, i) => {
    const holder = chunk.processedBy;
    if (locks[i] === 0 || (holder !== undefined && !connected.has(holder))) {
      activity.stalled++;
      activity.stalledChunks.push(name(chunk.id as string));
      return;
    }
    activity.active++;
    const by = holder ?? '(unnamed)';
    if (!activity.holders[by]) activity.holders[by] = [];
    activity.holders[by].push(name(chunk.id as string));
  });
  activity.waiting = unprocessed.size - active.length;
  for (const [id, reason] of failures) {
    if (!STALLED_REASON.test(reason)) {
      activity.failed++;
      activity.failures.push(`${name(id)}: ${reason}`);
      continue;
    }
    const match = /^(.*)-r(\d+)$/.exec(id);
    const next = match ? Number(match[2]) + 1 : 1;
    if (next > MAX_REQUEUES) {
      activity.failed++;
      activity.failures.push(`${name(id)}: its worker died ${next} times`);
    } else if (all.has(`${match ? match[1] : id}-r${next}`)) activity.putBack++;
    else {
      activity.stalled++;
      activity.stalledChunks.push(name(id));
    }
  }
  return activity;
}
