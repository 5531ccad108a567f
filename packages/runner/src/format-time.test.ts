import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatLocalTime } from './format-time.js';

const NOW = new Date(2026, 11, 2, 19, 0, 0).getTime();

describe('times for people', () => {
  it('formats durations and local clock times', () => {
    expect([45_000, 185_000, 7_800_000].map(formatDuration)).toEqual(['45 s', '3 min 05 s', '2 h 10 min']);
    expect(formatClock(NOW + 15_000, NOW)).toBe('19:00:15');
    expect(formatClock(NOW + 6 * 3_600_000, NOW)).toBe('2026-12-03 01:00');
    expect(formatLocalTime(new Date(NOW).toISOString())).toMatch(/^2026-12-02 19:00:00 [+-]\d\d:\d\d$/);
    expect(formatLocalTime('(running)')).toBe('(running)');
  });
});
