import type { ProgressFigures } from '@koppel/runner';
import { etaMs } from '@koppel/runner';
import { describe, expect, it } from 'vitest';
import { progressBar, progressLine, progressReport } from './format-progress.js';

const NOW = new Date(2026, 11, 2, 19, 0, 0).getTime();
const figures = (over: Partial<ProgressFigures> = {}): ProgressFigures => ({
  done: 250,
  total: 1000,
  unit: 'source records',
  rate: 50,
  windowMs: 30_000,
  rejected: 4,
  uncertain: 0,
  retrying: 0,
  retries: 2,
  pauses: 1,
  elapsedMs: 5000,
  ...over,
});

describe('progress rendering', () => {
  it('takes the ETA from the recent rate; none without a total or a rate', () => {
    expect(etaMs(figures())).toBe(15_000);
    expect(etaMs(figures({ rate: 0 }))).toBeUndefined();
    expect(etaMs(figures({ total: undefined }))).toBeUndefined();
    expect(etaMs(figures({ done: 1000 }))).toBe(0);
    expect(etaMs(figures({ pausedMs: 20_000 }))).toBe(35_000);
  });

  it('draws the bar with done/total, %, rate, ETA, retries and pauses, and what it waits on', () => {
    expect(progressBar(figures(), 200, NOW)).toBe(
      '[█████░░░░░░░░░░░░░░░] 25.0% 250/1,000 source records · 50/s · ETA 15 s (19:00:15) · 4 rejected · 2 retries, 1 pause (503)',
    );
    expect(progressBar(figures({ pausedMs: 11_200 }), 200, NOW)).toMatch(
      / · paused by AFAS \(503\), resumes in 12 s$/,
    );
    // A hanging request replaces the ETA (describeStalled's text).
    const stalled = 'waiting 45 s on POST /connectors/FiEntries (first byte, gives up in 15 s)';
    const bar = progressBar(figures({ stalled }), 200, NOW);
    expect(bar).toContain(stalled);
    expect(bar).not.toContain('ETA');
  });

  it('cuts a long retry reason in the bar, not the rate and ETA', () => {
    const reason = 'De boekingslay-out is geblokkeerd door een andere gebruiker.';
    const bar = progressBar(figures({ retrying: 1, retryReason: reason }), 150, NOW);
    expect(bar).toContain(' · 50/s · ETA 15 s (19:00:15) · ');
    expect(bar).toMatch(/ · retrying 1: De boekingslay-out is geblokkeerd door een a…$/);
  });

  it('leaves the least important parts off a narrow terminal, never the bar and counts', () => {
    const bar = progressBar(figures({ pausedMs: 5000 }), 80, NOW);
    expect(bar.length).toBeLessThan(80);
    expect(bar).toMatch(/^\[██░░░░░░░░\] 25\.0% 250\/1,000 source records · /);
    expect(bar).toContain('paused by AFAS (503)');
    expect(bar).not.toContain('rejected');
  });

  it('without a total: counts and rate, no bar, no %', () => {
    expect(progressBar(figures({ total: undefined }), 200, NOW)).toBe(
      '250 source records · 50/s · 4 rejected · 2 retries, 1 pause (503)',
    );
  });

  it('writes the plain line and the status lines', () => {
    expect(
      progressLine(figures({ rate: 2.5, retrying: 3, retryReason: 'locked by another user' }), NOW),
    ).toBe(
      'koppel: 250/1,000 source records (25.0%), 2.5/s over the last 30 s, ETA 5 min 00 s (19:05:00); 4 rejected, 0 uncertain; 2 retries, 1 pause (503); retrying 3: locked by another user',
    );
    expect(progressReport(figures({ unit: 'documents', windowMs: 60_000 }), NOW)).toEqual([
      'progress: [█████░░░░░░░░░░░░░░░] 25.0% 250/1,000 documents',
      'rate:     50 documents/s over the last 1 min 00 s; ETA 15 s (19:00:15)',
      'waits:    2 retries, 1 pause (503)',
    ]);
  });
});
