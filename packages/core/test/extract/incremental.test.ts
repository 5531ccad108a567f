import { describe, expect, it } from 'vitest';
import { StateError } from '../../src/extract/errors.js';
import {
  checkIncrementalState,
  type IncrementalState,
  IncrementalTracker,
} from '../../src/extract/incremental.js';

const previous = (watermark: string | null, seen: Record<string, string> = {}): IncrementalState => ({
  version: 1,
  job: 'j',
  field: 'ModifiedDate',
  watermark,
  seen,
  updated_at: '2026-01-01T00:00:00.000Z',
  rows: 3,
});

describe('IncrementalTracker', () => {
  it('without state reads everything and keeps the latest value as watermark', () => {
    const tracker = new IncrementalTracker({ job: 'j', field: 'ModifiedDate', lookbackMs: 600_000 });
    expect(tracker.since).toBeUndefined();
    expect(tracker.accept('a', '2024-06-12T14:03:21+02:00')).toBe(true);
    expect(tracker.accept('b', '2024-06-12T13:59:00+02:00')).toBe(true);
    expect(tracker.accept('c', '2024-01-01T00:00:00+01:00')).toBe(true);
    expect(tracker.accept('d', null)).toBe(true);
    const state = tracker.state(new Date('2026-01-01T00:00:00Z'));
    expect(state).toEqual({
      version: 1,
      job: 'j',
      field: 'ModifiedDate',
      watermark: '2024-06-12T14:03:21+02:00',
      // Keys within the 10-minute lookback before the watermark are remembered; c is older.
      seen: { a: '2024-06-12T14:03:21+02:00', b: '2024-06-12T13:59:00+02:00' },
      updated_at: '2026-01-01T00:00:00.000Z',
      rows: 4,
    });
  });

  it('starts at watermark - lookback and skips rows already delivered with the same value', () => {
    const tracker = new IncrementalTracker({
      job: 'j',
      field: 'ModifiedDate',
      lookbackMs: 600_000,
      previous: previous('2024-10-27T02:30:00+02:00', {
        a: '2024-10-27T02:30:00+02:00',
        b: '2024-10-27T02:25:00+02:00',
      }),
    });
    // The repeated autumn hour: 02:30+02:00 is 00:30Z; 10 minutes earlier is 00:20Z.
    expect(tracker.since?.toISOString()).toBe('2024-10-27T00:20:00.000Z');
    expect(tracker.accept('a', '2024-10-27T02:30:00+02:00')).toBe(false);
    expect(tracker.accept('b', '2024-10-27T02:26:00+02:00')).toBe(true);
    // The same wall time an hour later (winter time) is a newer instant.
    expect(tracker.accept('c', '2024-10-27T02:30:00+01:00')).toBe(true);
    const state = tracker.state();
    expect(state.watermark).toBe('2024-10-27T02:30:00+01:00');
    expect(state.seen).toEqual({ c: '2024-10-27T02:30:00+01:00' });
    expect(state.rows).toBe(2);
  });

  it('keeps the old watermark when nothing new comes', () => {
    const tracker = new IncrementalTracker({
      job: 'j',
      field: 'ModifiedDate',
      previous: previous('2025-01-02T16:45:10+01:00'),
    });
    expect(tracker.state().watermark).toBe('2025-01-02T16:45:10+01:00');
    expect(tracker.state().rows).toBe(0);
  });
});

describe('checkIncrementalState', () => {
  it('accepts a state of the same field', () => {
    const state = previous('2025-01-02T16:45:10+01:00');
    expect(checkIncrementalState(state, 'ModifiedDate', 's.json')).toBe(state);
  });
  it('refuses another field or a malformed state, naming the file and the fix', () => {
    expect(() => checkIncrementalState(previous(null), 'CreateDate', 's.json')).toThrow(
      "Expected the state in s.json to track CreateDate, got ModifiedDate; the job's incremental.field changed: run once with --full-refresh.",
    );
    expect(() => checkIncrementalState({ watermark: 'soon' }, 'ModifiedDate', 's.json')).toThrow(StateError);
  });
});
