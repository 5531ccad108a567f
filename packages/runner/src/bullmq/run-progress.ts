import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_QUEUES } from './chunk-jobs.js';
import { chunkName } from './finalise-run.js';
import type { KoppelKeys } from './keys.js';
import type { RemoteRunMeta } from './redis-run-store.js';

/** Where a submitted run that has not been finalised stands. */
export interface RunProgress {
  /** The session was finalised (its report is in the run meta). */
  finalised: boolean;
  /** Chunks of the session not processed yet (waiting, delayed, or held by a worker), by short name (`c3`). */
  pendingChunks: string[];
  /** Chunk workers connected to the deployment now. */
  workers: number;
  /**
   * Set when the run cannot progress: chunks are left and no worker is connected (a worker
   * killed and not replaced). The counts so far are partial.
   */
  incomplete?: string;
}

/**
 * Reads the progress of a run from BullMQ: its run job's unprocessed children and the workers
 * connected to the chunk queue. `koppel status` and `koppel submit --wait` say INCOMPLETE, and
 * name the chunks, instead of presenting the partial counts as the run's result.
 */
export async function runProgress(
  meta: RemoteRunMeta,
  { redis, keys }: { redis: Redis; keys: KoppelKeys },
): Promise<RunProgress> {
  const finalised = meta.status !== 'running' && meta.sessions.at(-1)?.endedAt !== undefined;
  if (finalised) return { finalised, pendingChunks: [], workers: 0 };
  const runs = new Queue(DEFAULT_QUEUES.runs, { connection: redis, prefix: keys.bull });
  const chunks = new Queue(DEFAULT_QUEUES.chunks, { connection: redis, prefix: keys.bull });
  try {
    const job = await runs.getJob(meta.runId);
    const pending: string[] = [];
    if (job) {
      let cursor = 0;
      do {
        const page = await job.getDependencies({ unprocessed: { cursor, count: 1000 } });
        for (const child of page.unprocessed ?? []) {
          const id = child.slice(child.lastIndexOf(':') + 1);
          if (!id.endsWith('-seal')) pending.push(chunkName(meta.runId, id));
        }
        cursor = page.nextUnprocessedCursor ?? 0;
      } while (cursor !== 0);
    }
    const workers = await chunks.getWorkersCount();
    const progress: RunProgress = { finalised, pendingChunks: pending, workers };
    if (pending.length > 0 && workers === 0) {
      const shown = pending.slice(0, 10).join(', ');
      const more = pending.length > 10 ? ` and ${pending.length - 10} more` : '';
      progress.incomplete = `INCOMPLETE: ${pending.length} chunk(s) of run ${meta.runId} not processed (${shown}${more}) and no \`koppel worker\` is connected; the counts so far are partial, not the run's result. Start a worker and the run continues`;
    }
    return progress;
  } finally {
    await Promise.allSettled([runs.close(), chunks.close()]);
  }
}
