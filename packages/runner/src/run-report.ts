import { dirname } from 'node:path';
import type { ControlTotal } from '@koppel/core';
import type { LedgerCounts } from './file-ledger.js';
import type { RunStats } from './run-stats.js';

/** The files a run writes. */
export interface RunFiles {
  results: string;
  rejects: string;
  report: string;
  summary: string;
  ledger: string;
}

/** `report.json`: what a run did, over every session, and what this session did. */
export interface RunReport {
  runId: string;
  jobName: string;
  job: string;
  input: string;
  /** The encoding the input was decoded with and why, e.g. `utf-8 (detected: valid UTF-8 over all 1048576 bytes)`. */
  inputEncoding?: string;
  /** `finished`: every record settled; `stopped`: ended early (Ctrl-C, fatal error, uncertain records held). */
  status: 'finished' | 'stopped';
  /** 0 all done, 2 some records rejected, 1 the run stopped. */
  exitCode: 0 | 1 | 2;
  stopReason?: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** Records per state in the ledger (the whole run). */
  counts: LedgerCounts & { total: number };
  session: SessionCounts & { recordsPerSecond: number };
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
}): RunReport {
  const { counts, stats } = input;
  const ended = Date.now();
  const settled = counts.pending === 0 && counts.uncertain === 0 && !input.stopReason;
  const exitCode = !settled ? 1 : counts.rejected > 0 ? 2 : 0;
  return {
    ...input.meta,
    status: settled ? 'finished' : 'stopped',
    exitCode,
    ...(input.stopReason ? { stopReason: input.stopReason } : {}),
    startedAt: new Date(stats.startedAt).toISOString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - stats.startedAt,
    counts: { ...counts, total: counts.pending + counts.done + counts.rejected + counts.uncertain },
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
    files: input.files,
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

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
  const lines = [
    `Run ${report.runId} ${report.status} in ${seconds(report.durationMs)} (exit ${report.exitCode})`,
    `  records: ${c.done} done, ${c.rejected} rejected, ${c.uncertain} uncertain, ${c.pending} pending (of ${c.total} seen)`,
    `  this session: ${s.done} done, ${s.rejected} rejected, ${s.uncertain} uncertain, ${s.skipped} skipped (settled before)`,
    `  requests: ${s.requests} (${s.failedRequests} failed), ${s.retries} retries, ${s.waits} waits on 503, ${s.bisections} bisections; ${s.recordsPerSecond} records/s`,
    ...totalsLines('done', report.controlTotals.done),
    ...totalsLines('rejected', report.controlTotals.rejected),
  ];
  if (report.stopReason) lines.push(`  stopped: ${report.stopReason}`);
  lines.push(`  results: ${report.files.results}`);
  if (c.rejected > 0) lines.push(...rejectsLines(report, c.rejected, options.command ?? 'koppel run'));
  lines.push(`  report:  ${report.files.report}`);
  return lines.join('\n');
}

/** A path as one shell word (quoted when it holds anything but safe characters). */
const shellWord = (path: string): string =>
  /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;

/**
 * Where the rejects are and the exact command that feeds them back once fixed. A rejects file of
 * the job's own `output:` is rewritten by every run, so the advice is to fix a copy.
 */
function rejectsLines(report: RunReport, rejected: number, run: string): string[] {
  const { rejects, ledger } = report.files;
  const inRunDir = dirname(rejects) === dirname(ledger);
  const input = inRunDir ? rejects : rejects.replace(/(\.[^./]+)?$/, '.fixed$1');
  const command = `${run} ${shellWord(report.job)} --input ${shellWord(input)}`;
  return [
    `  rejects: ${rejects} (${rejected} records)`,
    inRunDir
      ? `  fix them in that file, then run: ${command}`
      : `  copy it to ${input}, fix them there, then run: ${command}`,
  ];
}
