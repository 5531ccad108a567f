import { DEFAULT_VERIFY_ROUNDS } from '@koppel/core';
import { type Job, type Queue, WaitingChildrenError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunReport } from '../run-report.js';
import {
  type ChunkData,
  type ChunkResult,
  chunkJobOptions,
  cursorOf,
  type RunJobData,
  STALLED_REASON,
} from './chunk-jobs.js';
import { sumResults } from './chunk-runtime.js';
import type { KoppelKeys } from './keys.js';
import { RedisLedger } from './redis-ledger.js';
import type { RedisRunStore } from './redis-run-store.js';
import { formatRemoteReport, remoteRunFiles, sessionReport, writeRunOutputs } from './run-outputs.js';
import { sessionTally, tallyEnqueued } from './session-tally.js';

/** Times a chunk whose worker died is put back before its records are left pending. */
export const MAX_REQUEUES = 3;

/** Closing lookups of uncertain records at most: core's, the same as `koppel run`. */
export const VERIFY_ROUNDS = DEFAULT_VERIFY_ROUNDS;

/** What finalising needs: the chunk queue, the deployment's connection and keys, the run store. */
export interface FinaliseDeps {
  chunks: Queue;
  redis: Redis;
  keys: KoppelKeys;
  store: RedisRunStore;
}

/** What the run job returns once every chunk settled. */
export interface RunSummary {
  runId: string;
  session: number;
  chunks: number;
  failedChunks: number;
  requeued: number;
  /** Events of this session added up over its chunks. */
  totals: ChunkResult;
  stopReason?: string;
  /** Chunks that ended without being processed to the end, and why (e.g. `c3: failed: …`). */
  unfinished: string[];
}

/** A chunk's short name in messages: `c3` (session 1), `s2-c3`, `c3-r1` (put back), `v1` (closing lookup). */
export function chunkName(runId: string, id: string): string {
  return id.startsWith(`${runId}-`) ? id.slice(runId.length + 1).replace(/^s1-/, '') : id;
}

/**
 * The run job's processor (the flow parent), run once every chunk settled. Chunks whose worker
 * died (failed as stalled, `maxStalledCount: 0`) are put back as new children from their saved
 * cursor (the ledger keeps what was sent from being sent again; what was in flight is held as
 * uncertain) and the run waits for them. Then it adds the chunk results up and, for a submitted
 * run, writes status, exit code and summary into the run's meta.
 */
export async function finaliseRun(
  job: Job<RunJobData>,
  token: string | undefined,
  deps: FinaliseDeps,
): Promise<RunSummary> {
  const { runId, session } = job.data;
  const failures = await job.getIgnoredChildrenFailures();
  let requeued = 0;
  let added = 0;
  const unfinished: string[] = [];
  for (const [childKey, reason] of Object.entries(failures)) {
    const id = childKey.slice(childKey.lastIndexOf(':') + 1);
    if (!STALLED_REASON.test(reason)) {
      unfinished.push(`${chunkName(runId, id)} failed: ${reason}`);
      continue;
    }
    const match = /^(.*)-r(\d+)$/.exec(id);
    const base = match ? (match[1] as string) : id;
    const next = match ? Number(match[2]) + 1 : 1;
    if (next > MAX_REQUEUES) {
      unfinished.push(`${chunkName(runId, base)}: its worker died ${next} times`);
      continue;
    }
    const nextId = `${base}-r${next}`;
    requeued++;
    if (await deps.chunks.getJob(nextId)) continue;
    const failed = await deps.chunks.getJob(id);
    if (!failed) continue;
    const data = failed.data as ChunkData;
    await deps.chunks.add(
      'chunk',
      { ...data, cursor: cursorOf({ data, progress: failed.progress }) },
      {
        ...chunkJobOptions(nextId),
        parent: { id: job.id as string, queue: `${deps.keys.bull}:${job.queueName}` },
      },
    );
    added++;
  }
  const values = await job.getChildrenValues<Partial<ChunkResult>>();
  // Records that became uncertain are looked up once more at the end (the job's `verify:`), as
  // `koppel run` does: a closing chunk of them, delayed by `verify.delay`; up to VERIFY_ROUNDS
  // rounds while lookups find records missing and their resend ends uncertain again. A round
  // starts only once the chunks put back above have run (their uncertain records join it); a
  // put-back chunk (`-r<n>`) belongs to the round of the chunk it continues.
  const roundOf = (key: string): number => Number(/-v(\d+)(?:-r\d+)?$/.exec(key)?.[1] ?? 0);
  const round = Math.max(0, ...Object.keys(values).map(roundOf));
  const uncertain = Object.entries(values)
    .filter(([key]) => roundOf(key) === round)
    .flatMap(([, value]) => value?.uncertainDocuments ?? []);
  const closing = `${runId}-s${session}-v${round + 1}`;
  if (added === 0 && uncertain.length > 0 && round < VERIFY_ROUNDS && !(await deps.chunks.getJob(closing))) {
    const delay = Math.max(...Object.values(values).map((value) => value?.verifyDelayMs ?? 0));
    const data: ChunkData = {
      runId,
      n: -1 - round,
      documents: uncertain,
      sizes: uncertain.map(() => 1),
      cursor: 0,
    };
    await deps.chunks.add('chunk', data, {
      ...chunkJobOptions(closing),
      delay,
      parent: { id: job.id as string, queue: `${deps.keys.bull}:${job.queueName}` },
    });
    added++;
  }
  if (added > 0 && token && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();

  const results = Object.values(values).filter((value) => value && typeof value === 'object');
  const total = sumResults(results);
  const stop = await deps.store.stopped(runId);
  const summary: RunSummary = {
    runId,
    session,
    chunks: [...Object.keys(values), ...Object.keys(failures)].filter((key) => !key.endsWith('-seal')).length,
    failedChunks: Object.keys(failures).length,
    requeued,
    totals: total,
    ...(stop ? { stopReason: stop.message } : {}),
    unfinished,
  };
  if (!job.data.attached) await recordOutcome(deps, runId, summary);
  return summary;
}

/**
 * Writes the session's outcome into the run meta and the run's files (results, rejects, report)
 * from the ledger, as `koppel run` does. A disk the finaliser cannot write does not fail the run:
 * the summary says how to write the files elsewhere.
 */
async function recordOutcome(deps: FinaliseDeps, runId: string, summary: RunSummary): Promise<void> {
  const { store } = deps;
  const before = await store.read(runId);
  if (!before) return;
  // The session's identity from the ledger: what the enqueued documents ended as, whichever
  // worker (or how many, one killed mid-chunk) settled them.
  const enqueued = await tallyEnqueued({
    chunks: deps.chunks,
    ledger: new RedisLedger(deps.redis, deps.keys, runId),
    runId,
    session: summary.session,
    count: before.chunks,
  });
  if (!summary.stopReason && enqueued.pending > 0) {
    const list = summary.unfinished;
    const which =
      list.length === 0
        ? 'no chunk failed'
        : `${list.slice(0, 3).join('; ')}${list.length > 3 ? `; and ${list.length - 3} more chunk(s)` : ''}`;
    summary.stopReason = `${enqueued.pending} record(s) were not processed (${which}); submit the same job again to resume`;
  }
  await store.update(runId, (stored) => {
    stored.totals = summary.totals;
    if (stored.submittedTally) stored.tally = sessionTally(stored.submittedTally, enqueued);
    if (summary.unfinished.length > 0) stored.unprocessed = summary.unfinished.join('; ');
    else delete stored.unprocessed;
  });
  const read = await store.read(runId);
  if (!read) return;
  const ended = new Date().toISOString();
  let report: RunReport;
  let text: string;
  try {
    ({ report, summary: text } = await writeRunOutputs(read, {
      redis: deps.redis,
      keys: deps.keys,
      ...(summary.stopReason ? { stopReason: summary.stopReason } : {}),
    }));
  } catch (error) {
    report = sessionReport(read, read.files ?? remoteRunFiles(read, deps.keys), {
      stopReason: summary.stopReason,
    });
    text = `${formatRemoteReport(report)}\n  outputs not written (${(error as Error)?.message ?? String(error)}); write them with \`koppel status ${runId} --write-outputs DIR\``;
  }
  const lines = [text, `  executor: bullmq, session ${summary.session}, ${summary.chunks} chunks`];
  if (summary.requeued > 0) lines.push(`  ${summary.requeued} chunk(s) put back after their worker died`);
  const uncertain = report.counts.uncertain;
  if (uncertain > 0)
    lines.push(
      `  ${uncertain} record(s) are uncertain (sent, no answer): add verify: to the job, or check them in Profit and submit again with --resend-uncertain`,
    );
  if (report.exitCode === 1) lines.push('  resume: submit the same job again');
  await store.update(runId, (stored) => {
    stored.status = report.status;
    stored.exitCode = report.exitCode;
    stored.summary = lines.join('\n');
    stored.files = report.files;
    if (summary.stopReason) stored.stopReason = summary.stopReason;
    else delete stored.stopReason;
    stored.counts = { ...read.counts };
    const last = stored.sessions.at(-1);
    if (last) Object.assign(last, { endedAt: ended, exitCode: report.exitCode });
  });
  await store.releaseJobLock(read.jobName, runId);
}
