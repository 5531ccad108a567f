import type { FlowProducer, Queue } from 'bullmq';
import { type ChunkData, chunkJobOptions, type QueueNames, type RunJobData } from './chunk-jobs.js';
import type { KoppelKeys } from './keys.js';

/** About ten years: the seal waits delayed until the producer has added every chunk. */
const SEAL_DELAY_MS = 10 * 365 * 86_400_000;

/**
 * Writes one session of a run into BullMQ as a flow: the run job (`jobId = runId`, the summary)
 * with chunk children (`<runId>-s<session>-c<n>`, failures ignored so the run always finalises).
 * Chunks are added as the input streams in; a delayed "seal" child keeps the run job waiting until
 * the last chunk is added, then is promoted and completes.
 */
export class RunFlow {
  readonly runId: string;
  readonly session: number;
  readonly #flow: FlowProducer;
  readonly #chunks: Queue;
  readonly #keys: KoppelKeys;
  readonly #queues: QueueNames;
  #added = 0;

  constructor(options: {
    flow: FlowProducer;
    chunks: Queue;
    keys: KoppelKeys;
    queues: QueueNames;
    runId: string;
    session: number;
  }) {
    this.#flow = options.flow;
    this.#chunks = options.chunks;
    this.#keys = options.keys;
    this.#queues = options.queues;
    this.runId = options.runId;
    this.session = options.session;
  }

  get sealId(): string {
    return `${this.runId}-s${this.session}-seal`;
  }

  /** Chunks added so far. */
  get added(): number {
    return this.#added;
  }

  /** Adds the run job and its seal. */
  async start(attached = false): Promise<void> {
    const data: RunJobData = { runId: this.runId, session: this.session, ...(attached ? { attached } : {}) };
    const seal: ChunkData = { runId: this.runId, n: -1, documents: [], cursor: 0, seal: true };
    await this.#flow.add({
      name: 'run',
      queueName: this.#queues.runs,
      data,
      opts: {
        jobId: this.runId,
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: false,
        removeOnFail: false,
      },
      children: [
        {
          name: 'seal',
          queueName: this.#queues.chunks,
          data: seal,
          opts: { ...chunkJobOptions(this.sealId), delay: SEAL_DELAY_MS },
        },
      ],
    });
  }

  /** Adds chunks (documents plus, optionally, their batch sizes) as children of the run job. */
  async add(chunks: readonly Omit<ChunkData, 'runId' | 'n' | 'cursor'>[]): Promise<void> {
    if (chunks.length === 0) return;
    const parent = { id: this.runId, queue: `${this.#keys.bull}:${this.#queues.runs}` };
    await this.#chunks.addBulk(
      chunks.map((chunk) => {
        const n = this.#added++;
        const data: ChunkData = { runId: this.runId, n, cursor: 0, ...chunk };
        return {
          name: 'chunk',
          data,
          opts: { ...chunkJobOptions(`${this.runId}-s${this.session}-c${n}`), parent },
        };
      }),
    );
  }

  /** No more chunks: lets the run job finalise once they settle. */
  async seal(): Promise<void> {
    const seal = await this.#chunks.getJob(this.sealId);
    await seal?.promote();
  }
}
