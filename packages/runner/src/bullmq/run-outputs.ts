import { dirname, join } from 'node:path';
import type { ControlTotal } from '@koppel/core';
import type { Redis } from 'ioredis';
import { ledgerRejectsWriter } from '../prepare-job-run.js';
import { buildReport, formatReport, type RunFiles, type RunReport } from '../run-report.js';
import { outputFiles, writeAtomic, writeResults, writeUncertain } from '../run-session.js';
import { RunStats, type SessionTotals } from '../run-stats.js';
import type { ChunkResult } from './chunk-jobs.js';
import { sumResults } from './chunk-runtime.js';
import { BullmqOptionsError } from './errors.js';
import type { KoppelKeys } from './keys.js';
import { RedisLedger } from './redis-ledger.js';
import type { RemoteRunMeta } from './redis-run-store.js';
import type { SessionTally } from './session-tally.js';

export interface RunOutputsOptions {
  redis: Redis;
  keys: KoppelKeys;
  /** Directory for every file instead of the job's `output:` or the default beside the job file. */
  dir?: string;
  /** Why the session stopped, when it did; default the run meta's `stopReason`. */
  stopReason?: string;
}

/**
 * A distributed session's counters, started when it was submitted: requests, retries and waits
 * added up over the chunks; what was read and how every record ended from the session's tally
 * (the submitter's counts plus the ledger's word on each enqueued document), so the report is the
 * one `koppel run` gives for the same input, however many workers died on the way.
 */
class SessionStats extends RunStats {
  override readonly startedAt: number;
  readonly #totals: SessionTotals;

  constructor(startedAt: number, totals: ChunkResult, tally: SessionTally | undefined) {
    super();
    this.startedAt = startedAt;
    const { uncertainDocuments: _u, verifyDelayMs: _v, controlTotals, ...counters } = totals;
    Object.assign(this, counters);
    const events = controlTotals ?? { done: [], rejected: [] };
    this.#totals = { read: [], ...events, delivered: [], uncertain: [], complete: false };
    if (!tally) return;
    this.readMeasured = tally.readMeasured;
    this.read = tally.read;
    this.sourceRecords = tally.sourceRecords;
    this.done = tally.done;
    this.skipped = tally.skipped;
    this.skippedDelivered = tally.skippedDelivered;
    this.rejectedBeforeSending = tally.rejectedBeforeSending;
    this.rejectedByAfas = tally.rejectedByAfas;
    this.rejected = tally.rejectedBeforeSending + tally.rejectedByAfas;
    this.uncertain = tally.uncertain;
    this.#totals = { ...tally.totals };
  }

  override controlTotals(): { done: ControlTotal[]; rejected: ControlTotal[] } {
    return { done: this.#totals.done, rejected: this.#totals.rejected };
  }

  override sessionTotals(): SessionTotals {
    return this.#totals;
  }
}

/** Where a submitted run's files go: the job's `output:`, else `.koppel/runs/<runId>/` beside the job file. */
export function remoteRunFiles(
  meta: Pick<RemoteRunMeta, 'runId' | 'job' | 'output' | 'rejectsExtension'>,
  keys: KoppelKeys,
  dir?: string,
): RunFiles {
  const spec = dir
    ? { ...(meta.rejectsExtension ? { rejectsExtension: meta.rejectsExtension } : {}) }
    : {
        ...(meta.output ? { output: meta.output } : {}),
        ...(meta.rejectsExtension ? { rejectsExtension: meta.rejectsExtension } : {}),
      };
  return outputFiles(
    spec,
    dir ?? join(dirname(meta.job), '.koppel', 'runs', meta.runId),
    keys.ledger(meta.runId),
  );
}

/**
 * Writes the outputs of a submitted run from its Redis ledger with the local runner's code:
 * `results.jsonl`, the rejects file in the input's own format (error columns added),
 * `report.json` and `report.txt`. The session counters are the submitting process's plus the
 * chunks' (`meta.totals`); the counts are the ledger's.
 */
export async function writeRunOutputs(
  meta: RemoteRunMeta,
  options: RunOutputsOptions,
): Promise<{ report: RunReport; summary: string }> {
  const files = remoteRunFiles(meta, options.keys, options.dir);
  if (!meta.rejectsSource) {
    throw new BullmqOptionsError(
      `Run ${meta.runId} has no input format in Redis (submitted by an older koppel); submit it again to write its files`,
    );
  }
  const ledger = new RedisLedger(options.redis, options.keys, meta.runId);
  const rejected = await writeResults(files.results, ledger);
  await ledgerRejectsWriter(meta.rejectsSource)(files.rejects, rejected);
  await writeUncertain(files.uncertain ?? join(dirname(files.rejects), 'uncertain.jsonl'), {
    entries: ledger.entries(['uncertain', 'inflight']),
    runId: meta.runId,
    verify: meta.verify === true,
  });
  // Rejected by the mapping (never sent: no attempt) or by AFAS, as `koppel run` splits them.
  const beforeSending = rejected.filter((entry) => entry.attempts === 0).length;
  const split = { beforeSending, byAfas: rejected.length - beforeSending };
  const report = sessionReport(meta, files, {
    stopReason: options.stopReason ?? meta.stopReason,
    rejectedSplit: split,
  });
  const summary = formatRemoteReport(report);
  await writeAtomic(files.report, `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomic(files.summary, `${summary}\n`);
  return { report, summary };
}

/** The summary of a submitted run: `koppel run`'s, advising `koppel submit … --input` for fixed rejects. */
export function formatRemoteReport(report: RunReport): string {
  return formatReport(report, { command: 'koppel submit' });
}

/** The report of a run's last session, as `koppel run` builds it. */
export function sessionReport(
  meta: RemoteRunMeta,
  files: RunFiles,
  {
    stopReason,
    rejectedSplit,
  }: { stopReason?: string; rejectedSplit?: { beforeSending: number; byAfas: number } } = {},
): RunReport {
  const session = meta.sessions.at(-1);
  const startedAt = session ? Date.parse(session.startedAt) : Date.now();
  const totals = sumResults([meta.submitted ?? {}, meta.totals ?? {}]);
  const c = meta.counts ?? {};
  const report = buildReport({
    meta: { runId: meta.runId, jobName: meta.jobName, job: meta.job, input: meta.input },
    counts: {
      pending: Number(c.pending ?? 0),
      done: Number(c.done ?? 0),
      rejected: Number(c.rejected ?? 0),
      uncertain: Number(c.uncertain ?? 0),
    },
    stats: new SessionStats(startedAt, totals, meta.tally),
    ...(stopReason ? { stopReason } : {}),
    files,
    ...(rejectedSplit ? { rejectedSplit } : {}),
  });
  if (session?.endedAt) {
    // Written after the session ended (`koppel status --write-outputs`): its own end, not now.
    report.endedAt = session.endedAt;
    report.durationMs = Date.parse(session.endedAt) - startedAt;
    const seconds = report.durationMs / 1000;
    report.session.recordsPerSecond =
      seconds > 0 ? Math.round(((totals.done + totals.rejected) / seconds) * 10) / 10 : 0;
  }
  return report;
}
