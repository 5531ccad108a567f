import { type ControlTotal, ControlTotals, type PipelineDocument } from '@koppel/core';
import type { Queue } from 'bullmq';
import type { RunStats } from '../run-stats.js';
import type { ChunkData } from './chunk-jobs.js';
import { mergeControlTotals } from './control-totals.js';
import type { RedisLedger } from './redis-ledger.js';

/** Control totals per category of a session (FiEntries; empty lists for other connectors). */
export interface TallyTotals {
  read: ControlTotal[];
  done: ControlTotal[];
  rejected: ControlTotal[];
  delivered: ControlTotal[];
  uncertain: ControlTotal[];
  /** False when the submitter held more uncertain documents than it kept elements of. */
  complete: boolean;
}

/**
 * What one session of a submitted run did, counted where it is exact: the submitter counts what
 * it read and settled itself (mapping rejects, skips as settled or delivered, held uncertain);
 * the documents it enqueued are counted at the end from the chunks and the ledger (so a worker
 * killed mid-chunk loses nothing: what it settled is in the ledger, whoever finishes the chunk).
 */
export interface SessionTally {
  /** The submitter counted what it read (always, since this koppel). */
  readMeasured: boolean;
  read: number;
  sourceRecords: number;
  /** Enqueued for the workers. */
  enqueued: number;
  done: number;
  skipped: number;
  skippedDelivered: number;
  rejectedBeforeSending: number;
  rejectedByAfas: number;
  uncertain: number;
  /** Enqueued and still pending in the ledger (chunks not processed, or the run stopped). */
  notSettled: number;
  totals: TallyTotals;
}

/** The submitter's part of a session, from its RunStats. */
export function submittedTally(stats: RunStats, enqueued: number): SessionTally {
  const totals = stats.sessionTotals();
  return {
    readMeasured: stats.readMeasured,
    read: stats.read,
    sourceRecords: stats.sourceRecords,
    enqueued,
    done: stats.done,
    skipped: stats.skipped,
    skippedDelivered: stats.skippedDelivered,
    rejectedBeforeSending: stats.rejectedBeforeSending,
    rejectedByAfas: stats.rejectedByAfas,
    uncertain: stats.uncertain,
    notSettled: 0,
    totals: {
      read: totals.read,
      done: totals.done,
      rejected: totals.rejected,
      delivered: totals.delivered,
      uncertain: totals.uncertain,
      complete: totals.complete,
    },
  };
}

/** How the enqueued documents of a session ended, by the ledger (the chunks as submitted). */
export interface EnqueuedTally {
  done: number;
  rejected: number;
  uncertain: number;
  pending: number;
  totals: { done: ControlTotal[]; rejected: ControlTotal[]; uncertain: ControlTotal[] };
}

/**
 * Reads the session's chunks as they were submitted (`<runId>-s<session>-c<n>`) and the ledger
 * state of each of their documents. Chunks put back after a worker died, and the closing lookup
 * chunks, carry the same documents again and are not read.
 */
export async function tallyEnqueued(options: {
  chunks: Queue;
  ledger: RedisLedger;
  runId: string;
  session: number;
  count: number;
}): Promise<EnqueuedTally> {
  const tally = { done: 0, rejected: 0, uncertain: 0, pending: 0 };
  const totals = { done: new ControlTotals(), rejected: new ControlTotals(), uncertain: new ControlTotals() };
  for (let n = 0; n < options.count; n++) {
    const job = await options.chunks.getJob(`${options.runId}-s${options.session}-c${n}`);
    const documents: PipelineDocument[] = (job?.data as ChunkData | undefined)?.documents ?? [];
    const entries = await options.ledger.get(documents.map((document) => document.key));
    for (const [i, document] of documents.entries()) {
      const state = entries[i]?.state ?? 'pending';
      if (state === 'done' || state === 'rejected') {
        tally[state]++;
        totals[state].add(document.element);
      } else if (state === 'uncertain' || state === 'inflight') {
        tally.uncertain++;
        totals.uncertain.add(document.element);
      } else tally.pending++;
    }
  }
  return {
    ...tally,
    totals: {
      done: totals.done.list(),
      rejected: totals.rejected.list(),
      uncertain: totals.uncertain.list(),
    },
  };
}

/** The whole session: the submitter's part plus how the enqueued documents ended. */
export function sessionTally(submitted: SessionTally, enqueued: EnqueuedTally): SessionTally {
  return {
    ...submitted,
    done: submitted.done + enqueued.done,
    rejectedByAfas: submitted.rejectedByAfas + enqueued.rejected,
    uncertain: submitted.uncertain + enqueued.uncertain,
    notSettled: enqueued.pending,
    totals: {
      ...submitted.totals,
      done: mergeControlTotals([submitted.totals.done, enqueued.totals.done]),
      rejected: mergeControlTotals([submitted.totals.rejected, enqueued.totals.rejected]),
      uncertain: mergeControlTotals([submitted.totals.uncertain, enqueued.totals.uncertain]),
    },
  };
}
