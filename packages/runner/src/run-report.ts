import { dirname } from 'node:path';
import { type ControlTotal, type GroupReconciliation, reconcileTotals } from '@koppel/core';
import type { LedgerCounts } from './file-ledger.js';
import type { RunStats, SessionTotals } from './run-stats.js';

/** The files a run writes. */
export interface RunFiles {
  results: string;
  rejects: string;
  report: string;
  summary: string;
  ledger: string;
  /** `uncertain.jsonl` beside the rejects: one line per uncertain record (key, request, element sent, why, what to do). */
  uncertain?: string;
}

/**
 * The session's identity: every item read is accounted for exactly once,
 * `read = done + skipped as settled + skipped as delivered + rejected before sending + rejected by AFAS + uncertain`,
 * overall (in documents, the ledger's unit) and per control-total group (FiEntries:
 * administration/journal/period, entries, debit and credit).
 */
export interface Reconciliation {
  /** False when the session's reads were not counted (nothing to check against). */
  checked: boolean;
  /** The unit of the identity: documents (one per key: a FiEntries document groups its lines). */
  unit: 'documents';
  /** Documents (ledger keys) read this session, mapping rejects included. */
  read: number;
  /** Source records (input rows) behind them; equal to `read` when every document is one record. */
  sourceRecords: number;
  /** Sent and done in this session (or found by a lookup). */
  done: number;
  /** Done or rejected in an earlier session of the run: skipped. */
  skippedSettled: number;
  /** Delivered by an earlier run (delivery store): skipped. */
  skippedDelivered: number;
  rejectedBeforeSending: number;
  rejectedByAfas: number;
  uncertain: number;
  /** Read but not settled because the session stopped early (0 for a finished session). */
  notSettled: number;
  /** The identity holds (for a stopped session: the unsettled rest is `notSettled`). */
  holds: boolean;
  /** Per control-total group; empty for other connectors. */
  groups: GroupReconciliation[];
  /** Every group holds (not checked when the session stopped or the uncertain totals are incomplete). */
  groupsHold: boolean;
}

/** What `reconcileSession` needs of the session's counters (RunStats has it). */
export interface ReconcileInput {
  readMeasured: boolean;
  read: number;
  sourceRecords: number;
  done: number;
  skipped: number;
  skippedDelivered: number;
  rejectedBeforeSending: number;
  rejectedByAfas: number;
  uncertain: number;
  sessionTotals?: () => SessionTotals;
}

/**
 * The identity of a session's counts (shared by `koppel run` and the BullMQ report). `stopped`:
 * the session ended early, so what was read and not settled is `notSettled` instead of a failure.
 */
export function reconcileSession(stats: ReconcileInput, options: { stopped: boolean }): Reconciliation {
  const accounted =
    stats.done +
    (stats.skipped - stats.skippedDelivered) +
    stats.skippedDelivered +
    stats.rejectedBeforeSending +
    stats.rejectedByAfas +
    stats.uncertain;
  const gap = stats.read - accounted;
  const totals = stats.sessionTotals?.();
  const groups = totals
    ? reconcileTotals(totals.read, [totals.done, totals.rejected, totals.delivered, totals.uncertain])
    : [];
  const holds = !stats.readMeasured || (options.stopped ? gap >= 0 : gap === 0);
  return {
    checked: stats.readMeasured,
    unit: 'documents',
    read: stats.read,
    sourceRecords: stats.sourceRecords,
    done: stats.done,
    skippedSettled: stats.skipped - stats.skippedDelivered,
    skippedDelivered: stats.skippedDelivered,
    rejectedBeforeSending: stats.rejectedBeforeSending,
    rejectedByAfas: stats.rejectedByAfas,
    uncertain: stats.uncertain,
    notSettled: options.stopped ? Math.max(0, gap) : 0,
    holds,
    groups,
    groupsHold: options.stopped || !totals?.complete || groups.every((g) => g.holds),
  };
}

/** The identity as one line of the summary, with its verdict. */
export function identityLine(r: Reconciliation): string {
  const parts = [
    `${r.done} sent`,
    `${r.skippedSettled} skipped as settled`,
    `${r.skippedDelivered} skipped as delivered`,
    `${r.rejectedBeforeSending} rejected before sending`,
    `${r.rejectedByAfas} rejected by AFAS`,
    `${r.uncertain} uncertain`,
    ...(r.notSettled > 0 ? [`${r.notSettled} not settled (stopped)`] : []),
  ];
  const verdict = r.holds && r.groupsHold ? 'holds' : 'DOES NOT HOLD';
  return `  identity (documents): read ${r.read} = ${parts.join(' + ')}: ${verdict}`;
}

/** Why a reconciliation fails, in one line; undefined when it holds. */
export function identityFailure(r: Reconciliation): string | undefined {
  if (!r.checked || (r.holds && r.groupsHold)) return undefined;
  if (!r.holds) {
    const accounted =
      r.done +
      r.skippedSettled +
      r.skippedDelivered +
      r.rejectedBeforeSending +
      r.rejectedByAfas +
      r.uncertain;
    return `the report does not reconcile: ${r.read} documents read, ${accounted} accounted for; this is a koppel bug, keep the run directory and report it`;
  }
  const bad = r.groups.filter((g) => !g.holds);
  const first = bad[0];
  return `the control totals do not reconcile in ${bad.length} group(s)${first ? `, e.g. administration ${first.administration} journal ${first.journal} ${first.year}/${first.period}: read ${first.read.entries} entries debit ${first.read.debit} credit ${first.read.credit}, accounted ${first.accounted.entries} debit ${first.accounted.debit} credit ${first.accounted.credit}` : ''}; this is a koppel bug, keep the run directory and report it`;
}

/** `report.json`: what a run did, over every session, and what this session did. */
export interface RunReport {
  runId: string;
  jobName: string;
  job: string;
  input: string;
  /** The encoding the input was decoded with and why, e.g. `utf-8 (detected: valid UTF-8 over all 1048576 bytes)`. */
  inputEncoding?: string;
  /**
   * `finished`: every record settled; `stopped`: ended early (Ctrl-C, fatal error, uncertain
   * records held); `incomplete`: the identity does not hold (a bug: some record is unaccounted for).
   */
  status: 'finished' | 'stopped' | 'incomplete';
  /** 0 all done, 2 some records rejected, 1 the run stopped. */
  exitCode: 0 | 1 | 2;
  stopReason?: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** Records per state in the ledger (the whole run). */
  counts: LedgerCounts & { total: number };
  /** The whole run's `counts.rejected` by where they were rejected (when counted). */
  rejectedWhere?: {
    /** Rejected by the mapping (bad date, unknown code, duplicate key, unbalanced): never sent. */
    beforeSending: number;
    /** Rejected by AFAS (or given up after the retry budget). */
    byAfas: number;
  };
  session: SessionCounts & { recordsPerSecond: number };
  /** This session's identity (read = sent + skipped + rejected before sending + rejected by AFAS + uncertain). */
  reconciliation?: Reconciliation;
  /** FiEntries control totals (debit/credit per administration, journal, year and period); empty for other connectors. */
  controlTotals: { done: ControlTotal[]; rejected: ControlTotal[] };
  files: RunFiles;
}

/** What one session (or one BullMQ chunk) settled and how many requests it took. */
export interface SessionCounts {
  done: number;
  rejected: number;
  uncertain: number;
  skipped: number;
  requests: number;
  failedRequests: number;
  retries: number;
  waits: number;
  bisections: number;
}

/** Builds the report of a session from the ledger counts and the session's stats. */
export function buildReport(input: {
  meta: { runId: string; jobName: string; job: string; input: string; inputEncoding?: string };
  counts: LedgerCounts;
  stats: RunStats;
  stopReason?: string;
  files: RunFiles;
  /** Rejected entries of the whole run split by where they were rejected (from the ledger's attempts). */
  rejectedSplit?: { beforeSending: number; byAfas: number };
}): RunReport {
  const { counts, stats } = input;
  const ended = Date.now();
  const settled = counts.pending === 0 && counts.uncertain === 0 && !input.stopReason;
  const reconciliation = reconcileSession(stats, { stopped: input.stopReason !== undefined });
  const failure = identityFailure(reconciliation);
  const exitCode = failure || !settled ? 1 : counts.rejected > 0 ? 2 : 0;
  const stopReason = input.stopReason ?? failure;
  return {
    ...input.meta,
    status: failure ? 'incomplete' : settled ? 'finished' : 'stopped',
    exitCode,
    ...(stopReason ? { stopReason } : {}),
    startedAt: new Date(stats.startedAt).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - stats.startedAt,
    counts: { ...counts, total: counts.pending + counts.done + counts.rejected + counts.uncertain },
    ...(input.rejectedSplit ? { rejectedWhere: { ...input.rejectedSplit } } : {}),
    session: {
      done: stats.done,
      rejected: stats.rejected,
      uncertain: stats.uncertain,
      skipped: stats.skipped,
      requests: stats.requests,
      failedRequests: stats.failedRequests,
      retries: stats.retries,
      waits: stats.waits,
      bisections: stats.bisections,
      recordsPerSecond: Math.round(stats.rate(ended) * 10) / 10,
    },
    controlTotals: stats.controlTotals(),
    ...(reconciliation.checked ? { reconciliation } : {}),
    files: input.files,
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Says what a record is when documents and source records differ (FiEntries: one entry of several lines). */
function recordsLine(r: Reconciliation): string[] {
  if (r.sourceRecords === r.read) return [];
  return [
    `  records above are documents (one per key); they were built from ${r.sourceRecords} source records`,
  ];
}

/** The groups whose totals do not reconcile (all hold: one line saying so). */
function groupLines(r: Reconciliation): string[] {
  if (r.groups.length === 0) return [];
  const bad = r.groups.filter((g) => !g.holds);
  if (r.groupsHold && bad.length === 0)
    return [
      `  control totals reconcile in all ${r.groups.length} group(s): read = done + rejected + delivered + uncertain`,
    ];
  if (r.notSettled > 0) return [];
  return bad.map(
    (g) =>
      `    DOES NOT RECONCILE administration ${g.administration} journal ${g.journal} ${g.year}/${g.period}: read ${g.read.entries} (debit ${g.read.debit}, credit ${g.read.credit}), accounted ${g.accounted.entries} (debit ${g.accounted.debit}, credit ${g.accounted.credit})`,
  );
}

function totalsLines(title: string, totals: ControlTotal[]): string[] {
  if (totals.length === 0) return [];
  return [
    `  control totals (${title}):`,
    ...totals.map(
      (t) =>
        `    administration ${t.administration} journal ${t.journal} ${t.year}/${t.period}: ${t.entries} ${t.entries === 1 ? 'entry' : 'entries'}, debit ${t.debit}, credit ${t.credit}`,
    ),
  ];
}

/** The human summary (also written as `summary.txt`); `command` is what re-runs the job with fixed rejects. */
export function formatReport(
  report: RunReport,
  options: { command?: 'koppel run' | 'koppel submit' } = {},
): string {
  const c = report.counts;
  const s = report.session;
  const r = report.reconciliation;
  const where = report.rejectedWhere;
  const lines = [
    `Run ${report.runId} ${report.status === 'incomplete' ? 'INCOMPLETE' : report.status} in ${seconds(report.durationMs)} (exit ${report.exitCode})`,
    `  records: ${c.done} done, ${c.rejected} rejected${where && c.rejected > 0 ? ` (${where.beforeSending} before sending, ${where.byAfas} by AFAS)` : ''}, ${c.uncertain} uncertain, ${c.pending} pending (of ${c.total} seen)`,
    `  this session: ${s.done} done, ${s.rejected} rejected, ${s.uncertain} uncertain, ${s.skipped} skipped (settled before)`,
    ...(r ? [identityLine(r), ...recordsLine(r), ...groupLines(r)] : []),
    `  requests: ${s.requests} (${s.failedRequests} failed), ${s.retries} retries, ${s.waits} waits on 503, ${s.bisections} bisections; ${s.recordsPerSecond} records/s`,
    ...totalsLines('done', report.controlTotals.done),
    ...totalsLines('rejected', report.controlTotals.rejected),
  ];
  if (report.stopReason) lines.push(`  stopped: ${report.stopReason}`);
  lines.push(`  results: ${report.files.results}`);
  if (c.rejected > 0) lines.push(...rejectsLines(report, c.rejected, options.command ?? 'koppel run'));
  if (c.uncertain > 0 && report.files.uncertain)
    lines.push(
      `  uncertain: ${report.files.uncertain} (${c.uncertain} records: key, request, what was sent, how to resolve)`,
    );
  lines.push(`  report:  ${report.files.report}`);
  return lines.join('\n');
}

/** A path as one shell word (quoted when it holds anything but safe characters). */
const shellWord = (path: string): string =>
  /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;

/**
 * The command that feeds a run's fixed rejects back (`koppel run|submit JOB --input FILE`): the
 * rejects file itself when it is in the run's folder, else a `.fixed` copy of the job's own
 * `output:` rejects file (every run rewrites that one). The summary and the dashboard show it.
 */
export function rejectsCommand(
  run: { job: string; files: Pick<RunFiles, 'rejects' | 'ledger'> },
  command: string,
): { inRunDir: boolean; input: string; command: string } {
  const { rejects, ledger } = run.files;
  const inRunDir = dirname(rejects) === dirname(ledger);
  const input = inRunDir ? rejects : rejects.replace(/(\.[^./]+)?$/, '.fixed$1');
  return { inRunDir, input, command: `${command} ${shellWord(run.job)} --input ${shellWord(input)}` };
}

/** A job file as one shell word (the resume command). */
export const jobCommand = (job: string, command: string): string => `${command} ${shellWord(job)}`;

/**
 * Where the rejects are and the exact command that feeds them back once fixed. A rejects file of
 * the job's own `output:` is rewritten by every run, so the advice is to fix a copy.
 */
function rejectsLines(report: RunReport, rejected: number, run: string): string[] {
  const { rejects } = report.files;
  const { inRunDir, input, command } = rejectsCommand(report, run);
  return [
    `  rejects: ${rejects} (${rejected} records)`,
    inRunDir
      ? `  fix them in that file, then run: ${command}`
      : `  copy it to ${input}, fix them there, then run: ${command}`,
  ];
}
