import { describe, expect, it } from 'vitest';
import { buildReport, formatReport, identityFailure, reconcileSession } from './run-report.js';
import { RunStats } from './run-stats.js';

const files = {
  results: '/r/results.jsonl',
  rejects: '/r/rejects.csv',
  report: '/r/report.json',
  summary: '/r/report.txt',
  ledger: '/r/ledger.log',
};
const counts = { pending: 0, done: 3, rejected: 1, uncertain: 0 };
const meta = { runId: 'run-1', jobName: 'job', job: '/j.yaml', input: '/i.csv' };
const doc = (key: string) => ({ key, element: {}, records: [] });

/** A session that read `read` documents and settled the ones its events say. */
function session(read: number): RunStats {
  const stats = new RunStats();
  stats.readMeasured = true;
  stats.read = read;
  stats.sourceRecords = read;
  stats.listener({
    type: 'settled',
    state: 'done',
    keys: ['a', 'b'],
    documents: [doc('a'), doc('b')],
    sent: true,
  });
  stats.listener({ type: 'settled', state: 'uncertain', keys: ['c'], documents: [doc('c')], sent: true });
  // A lookup settles c later in the session: counted once, as done.
  stats.listener({ type: 'settled', state: 'done', keys: ['c'], documents: [doc('c')], sent: true });
  stats.listener({ type: 'settled', state: 'rejected', keys: ['d'], error: 'bad date' });
  return stats;
}

describe('reconcileSession', () => {
  it('holds when every record read is accounted for once', () => {
    const r = reconcileSession(session(4), { stopped: false });
    expect(r).toMatchObject({
      read: 4,
      done: 3,
      rejectedBeforeSending: 1,
      rejectedByAfas: 0,
      uncertain: 0,
      holds: true,
    });
    expect(identityFailure(r)).toBeUndefined();
  });

  it('a finished session that does not add up is INCOMPLETE with exit 1', () => {
    const report = buildReport({ meta, counts, stats: session(5), files });
    expect(report.status).toBe('incomplete');
    expect(report.exitCode).toBe(1);
    expect(report.stopReason).toContain('5 documents read, 4 accounted for');
    expect(formatReport(report)).toContain('Run run-1 INCOMPLETE');
    expect(formatReport(report)).toContain('DOES NOT HOLD');
  });

  it('a stopped session shows the rest as not settled instead', () => {
    const r = reconcileSession(session(6), { stopped: true });
    expect(r).toMatchObject({ notSettled: 2, holds: true });
  });

  it('is not checked when the reads were not counted (nothing to check against)', () => {
    const stats = new RunStats();
    const report = buildReport({ meta, counts, stats, files });
    expect(report.reconciliation).toBeUndefined();
    expect(report.status).toBe('finished');
  });
});
