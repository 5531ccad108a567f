import { existsSync } from 'node:fs';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  type DeliveryScope,
  type DeliveryStore,
  type Ledger,
  type LedgerEntry,
  runPipeline,
} from '@koppel/core';
import { LmdbDeliveryStore } from './delivery/lmdb-delivery-store.js';
import { FileLedger } from './file-ledger.js';
import { createInProcessExecutor } from './in-process-executor.js';
import { deliveryIdentityHash, deliveryRunIdentity, makeRunId } from './run-id.js';
import { RunLog, type RunLogOptions } from './run-log.js';
import { buildReport, formatReport, type RunFiles, type RunReport } from './run-report.js';
import type { RunSpec } from './run-spec.js';
import { RunStats } from './run-stats.js';
import { type RunMeta, RunStore } from './run-store.js';
import { resolveStateDir } from './state-dir.js';

export interface RunSessionOptions {
  /**
   * Directory of local state (`runs/<runId>/`, `delivery/`), i.e. `--state-dir`; default the job's
   * `state_dir:`, KOPPEL_STATE_DIR or the per-user state directory (resolveStateDir).
   */
  stateDir?: string;
  /** Start a new run even when one exists for this job and input (`--new-run`); default false. */
  newRun?: boolean;
  /** Send uncertain records again without a lookup (`--resend-uncertain`); default false. */
  resendUncertain?: boolean;
  /** Stops taking work when aborted (Ctrl-C); in-flight requests finish, the ledger is written. */
  signal?: AbortSignal;
  /** Logging and progress. */
  log?: Omit<RunLogOptions, 'secrets' | 'expectedRecords'>;
  /**
   * Delivery records shared with a BullMQ deployment (`koppel run --redis`): read and written
   * beside the local ones, so neither executor sends again what the other delivered.
   */
  sharedDeliveries?: (local: DeliveryStore) => DeliveryStore;
}

export interface RunSessionResult {
  runId: string;
  report: RunReport;
  /** The human summary (also in summary.txt). */
  summary: string;
}

/**
 * Runs (or resumes) a run: same job + same input = same run id, so running the command again
 * continues where it stopped. Writes results, rejects, report and summary from the ledger,
 * so they always agree with it.
 */
export async function runSession(spec: RunSpec, options: RunSessionOptions = {}): Promise<RunSessionResult> {
  const stateDir = resolveStateDir({ flag: options.stateDir, job: spec.stateDir }).dir;
  const store = new RunStore(stateDir);
  const scope = deliveryScopeOf(spec);
  const mode = spec.delivery?.mode ?? 'once';
  const identity = await deliveryRunIdentity({ ...scope, inputFile: spec.inputFile });
  const hash = deliveryIdentityHash(identity);
  const previous = options.newRun ? undefined : await store.latest(hash);
  const runId =
    previous?.runId ??
    makeRunId(spec.jobName, hash, options.newRun === true && (await store.latest(hash)) !== undefined);
  const release = await store.lock(runId);
  const log = new RunLog({ ...options.log, secrets: spec.secrets, expectedRecords: spec.expectedRecords });
  let ledger: FileLedger | undefined;
  let deliveries: LmdbDeliveryStore | undefined;
  try {
    deliveries = await LmdbDeliveryStore.open(stateDir);
    if (stateDir !== resolve('.koppel') && existsSync(resolve('.koppel', 'runs'))) {
      log.warn(
        `koppel: ./.koppel/runs holds runs of an earlier koppel version, which are not read (state is now in ${stateDir}); to resume one of them, pass --state-dir .koppel`,
      );
    }
    const dir = store.dir(runId);
    const ledgerOptions = spec.ledgerMemoryKeys ? { index: { memoryEntries: spec.ledgerMemoryKeys } } : {};
    ledger = await FileLedger.open(dir, ledgerOptions);
    if (ledger.droppedOnOpen > 0)
      log.warn(`koppel: ignored ${ledger.droppedOnOpen} torn ledger line(s) left by a crash`);
    const meta: RunMeta = previous ?? {
      runId,
      job: resolve(spec.jobFile),
      jobName: spec.jobName,
      input: resolve(spec.inputFile),
      identity: hash,
      createdAt: new Date().toISOString(),
      status: 'running',
      sessions: [],
    };
    meta.status = 'running';
    meta.sessions.push({ startedAt: new Date().toISOString(), pid: process.pid });
    await store.write(meta);
    log.info(
      `koppel: delivery scope ${scope.scope} (${scope.connector}, mode ${mode}) in ${deliveries.path}`,
    );
    log.info(
      previous
        ? `koppel: resuming run ${runId} (${ledger.counts().done} records already done)`
        : `koppel: run ${runId}`,
      { runId },
    );

    const stats = new RunStats();
    let skippedDelivered = 0;
    log.start(stats);
    const outcome = await runPipeline({
      items: stats.countRead(spec.items()),
      ledger,
      sink: spec.sink,
      executor: createInProcessExecutor({
        concurrency: spec.concurrency ?? 8,
        ...(spec.environment ? { environment: spec.environment } : {}),
      }),
      classify: spec.classify,
      retry: spec.retry,
      batch: spec.batch,
      verifier: spec.verifier,
      verifyDelayMs: spec.verifyDelayMs,
      ...(spec.verifyRounds !== undefined ? { verifyRounds: spec.verifyRounds } : {}),
      session: meta.sessions.length,
      resendUncertain: options.resendUncertain,
      delivery: {
        store: options.sharedDeliveries ? options.sharedDeliveries(deliveries) : deliveries,
        scope,
        mode,
        runId,
      },
      signal: options.signal,
      listener: (event) => {
        if (event.type === 'skipped' && event.state === 'delivered') skippedDelivered += event.keys.length;
        stats.listener(event);
        log.listener(event);
      },
    })
      .catch(async (error: unknown) => {
        // An error no retry handles (unreadable input, a missing column): the run is resumable.
        const last = meta.sessions.at(-1);
        if (last) Object.assign(last, { endedAt: new Date().toISOString(), exitCode: 1 });
        meta.status = 'stopped';
        meta.stopReason = log.redact(error instanceof Error ? error.message : String(error));
        meta.counts = { ...ledger?.counts() };
        await store.write(meta);
        throw error;
      })
      .finally(() => log.stop());
    if (skippedDelivered > 0) {
      log.info(
        `koppel: ${skippedDelivered} record(s) skipped as delivered: delivered by earlier runs (${mode === 'changed' ? 'unchanged' : 'mode once'}); never sent twice`,
      );
    }

    const files = outputFiles(spec, dir, ledger.path);
    await writeResults(files.results, ledger, { collectRejected: false, runId });
    await mkdir(dirname(files.rejects), { recursive: true });
    const rejectedSplit = { beforeSending: 0, byAfas: 0 };
    await spec.rejectsWriter(files.rejects, splitRejected(ledger.rejected(), rejectedSplit));
    await writeUncertain(files.uncertain ?? join(dirname(files.rejects), 'uncertain.jsonl'), {
      entries: ledger.entries(['uncertain']),
      documents: stats.uncertainDocuments(),
      runId,
      verify: spec.verifier !== undefined,
    });
    const stopReason =
      outcome.stopped === 'aborted'
        ? 'interrupted; records in flight were finished'
        : outcome.stopped
          ? log.redact(outcome.stopped.message)
          : undefined;
    const counts = ledger.counts();
    const report = buildReport({
      meta: {
        runId,
        jobName: spec.jobName,
        job: meta.job,
        input: meta.input,
        ...(spec.inputEncoding ? { inputEncoding: spec.inputEncoding } : {}),
      },
      counts,
      stats,
      ...(stopReason ? { stopReason } : {}),
      files,
      rejectedSplit,
    });
    let summary = formatReport(report);
    if (counts.uncertain > 0) {
      summary += `\n  ${counts.uncertain} record(s) are uncertain (sent, no answer): ${spec.verifier ? 'their lookup failed or found nothing yet; run again to look them up again' : 'add verify: to the job to look them up, or check them in Profit and run again with --resend-uncertain --force-resend'}`;
    }
    if (report.exitCode === 1) summary += `\n  resume: run the same command again (run ${runId})`;
    await writeAtomic(files.report, `${JSON.stringify(report, null, 2)}\n`);
    await writeAtomic(files.summary, `${summary}\n`);
    const last = meta.sessions.at(-1);
    if (last) Object.assign(last, { endedAt: report.endedAt, exitCode: report.exitCode });
    meta.status = report.status;
    meta.counts = { ...report.counts };
    if (stopReason) meta.stopReason = stopReason;
    else delete meta.stopReason;
    await store.write(meta);
    return { runId, report, summary: log.redact(summary) };
  } finally {
    await ledger?.close();
    await deliveries?.close();
    await spec.close?.();
    await release();
  }
}

export function outputFiles(
  spec: Pick<RunSpec, 'output' | 'rejectsExtension'>,
  runDir: string,
  ledgerPath: string,
): RunFiles {
  const dir = spec.output?.dir ? resolve(spec.output.dir) : runDir;
  const report = spec.output?.report ? resolve(spec.output.report) : join(dir, 'report.json');
  return {
    results: spec.output?.results ? resolve(spec.output.results) : join(dir, 'results.jsonl'),
    rejects: spec.output?.rejects
      ? resolve(spec.output.rejects)
      : join(dir, `rejects.${spec.rejectsExtension ?? 'csv'}`),
    report,
    summary: report.replace(/\.json$/, '') + '.txt',
    ledger: ledgerPath,
    uncertain: join(dir, 'uncertain.jsonl'),
  };
}

/**
 * results.jsonl: one `{"key", "result"}` line per done record, in the entries' order, streamed
 * in one pass (never all lines in memory) under a temporary name and renamed. Returns the
 * rejected entries (for the rejects file), unless `collectRejected` is false (then []).
 * `entries`: the entries, or a ledger to stream them from.
 */
export async function writeResults(
  path: string,
  entries: Iterable<LedgerEntry> | AsyncIterable<LedgerEntry> | Required<Pick<Ledger, 'entries'>>,
  options: { collectRejected?: boolean; runId?: string } = {},
): Promise<LedgerEntry[]> {
  const source =
    Symbol.asyncIterator in entries || Symbol.iterator in entries
      ? entries
      : entries.entries(options.collectRejected === false ? ['done'] : ['done', 'rejected']);
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, 'w');
  const rejected: LedgerEntry[] = [];
  try {
    let chunk = '';
    for await (const entry of source) {
      if (entry.state === 'rejected' && options.collectRejected !== false) rejected.push(entry);
      if (entry.state !== 'done') continue;
      chunk += `${JSON.stringify(resultLine(entry, options.runId))}\n`;
      if (chunk.length > 1 << 16) {
        await file.write(chunk);
        chunk = '';
      }
    }
    await file.write(chunk);
  } finally {
    await file.close();
  }
  await rename(temp, path);
  return rejected;
}

export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/** The delivery identity of a spec: its own, else the environment, `unknown` connector and the job name. */
export function deliveryScopeOf(spec: Pick<RunSpec, 'delivery' | 'environment' | 'jobName'>): DeliveryScope {
  if (spec.delivery) {
    const { environment, connector, scope } = spec.delivery;
    return { environment, connector, scope };
  }
  return { environment: spec.environment ?? 'local', connector: 'unknown', scope: spec.jobName };
}

/**
 * One results.jsonl line: the key, where it was sent (run, session, request number, element
 * index) and what AFAS returned for it. `result_scope` says what `result` is: the record's own
 * answer (`element`), nothing of its own because AFAS answered once for the whole request
 * (`request`: that answer is `request_result`), keys found by the verify lookup (`lookup`), or
 * nothing returned (`none`).
 */
export function resultLine(entry: LedgerEntry, runId?: string): Record<string, unknown> {
  return {
    key: entry.key,
    ...(runId ? { run: runId } : {}),
    ...(entry.session !== undefined ? { session: entry.session } : {}),
    ...(entry.request !== undefined ? { request: entry.request } : {}),
    ...(entry.element !== undefined ? { element: entry.element } : {}),
    result: entry.result ?? {},
    result_scope:
      entry.resultScope ?? (entry.result && Object.keys(entry.result).length > 0 ? 'element' : 'none'),
    ...(entry.requestResult ? { request_result: entry.requestResult } : {}),
  };
}

/** Counts rejected entries by where they were rejected (attempts 0: by the mapping) while they stream by. */
async function* splitRejected(
  entries: AsyncIterable<LedgerEntry>,
  split: { beforeSending: number; byAfas: number },
): AsyncGenerator<LedgerEntry> {
  for await (const entry of entries) {
    if (entry.attempts === 0) split.beforeSending++;
    else split.byAfas++;
    yield entry;
  }
}

/**
 * `uncertain.jsonl` beside the rejects: one line per record whose outcome is unknown (sent, no
 * answer, not settled by a lookup): key, session and request number, element index, the
 * Element that was sent, why it is uncertain and how to resolve it. Written (empty) every time,
 * so an old file never lingers.
 */
export async function writeUncertain(
  path: string,
  options: {
    entries: AsyncIterable<LedgerEntry> | Iterable<LedgerEntry>;
    documents?: ReadonlyMap<string, { element: unknown } | undefined>;
    runId: string;
    /** The job has a `verify:` lookup. */
    verify: boolean;
  },
): Promise<number> {
  const resolveText = options.verify
    ? 'run the same command again: koppel looks it up (verify:) no earlier than sent_at + verify.delay, over the verify rounds, and sends it again only when every round finds nothing'
    : 'check in Profit whether it was stored; if it was not, run again with --resend-uncertain --force-resend (an insert that was stored is booked twice); better: add verify: to the job so koppel looks it up';
  const lines: string[] = [];
  let count = 0;
  for await (const entry of options.entries) {
    if (entry.state !== 'uncertain' && entry.state !== 'inflight') continue;
    count++;
    const sent = entry.sent ?? options.documents?.get(entry.key)?.element;
    lines.push(
      JSON.stringify({
        key: entry.key,
        run: options.runId,
        ...(entry.session !== undefined ? { session: entry.session } : {}),
        ...(entry.request !== undefined ? { request: entry.request } : {}),
        ...(entry.element !== undefined ? { element: entry.element } : {}),
        ...(entry.sentAt ? { sent_at: entry.sentAt } : {}),
        attempts: entry.attempts,
        reason: entry.error ?? 'sent, no answer',
        sent: sent ?? null,
        resolve: resolveText,
      }),
    );
  }
  await writeAtomic(path, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return count;
}
