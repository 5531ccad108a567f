import { describe, expect, it } from 'vitest';
import { formatEta, RunRates } from './run-rate.js';

describe('RunRates', () => {
  it('measures what settled over the recent window, and the ETA of what is left at that rate', () => {
    const rates = new RunRates({ windowMs: 10_000 });
    expect(rates.rate('r', 100)).toEqual({ spanMs: 0 });
    rates.sample('r', 0, 0);
    rates.sample('r', 5, 500);
    expect(rates.rate('r', 95)).toEqual({ spanMs: 0 }); // under a second: not yet
    rates.sample('r', 20, 2_000);
    expect(rates.rate('r', 80)).toEqual({ perSecond: 10, etaMs: 8_000, spanMs: 2_000 });
    // Slower lately: samples older than the window fall out, the newest before it starts it.
    rates.sample('r', 30, 12_000);
    rates.sample('r', 32, 22_000);
    expect(rates.rate('r', 68)).toEqual({ perSecond: 0.2, etaMs: 340_000, spanMs: 10_000 });
  });

  it('has no ETA while nothing settles, 0 when nothing is left, and starts afresh for a new session', () => {
    const rates = new RunRates();
    rates.sample('r', 7, 0);
    rates.sample('r', 7, 5_000);
    expect(rates.rate('r', 3)).toEqual({ perSecond: 0, spanMs: 5_000 });
    expect(rates.rate('r', 0)).toEqual({ perSecond: 0, etaMs: 0, spanMs: 5_000 });
    rates.sample('r', 2, 6_000);
    expect(rates.rate('r', 10)).toEqual({ spanMs: 0 });
    rates.forget('r');
    expect(rates.rate('r', 0)).toEqual({ etaMs: 0, spanMs: 0 });
  });

  it('formats an ETA in s, min and h', () => {
    expect([formatEta(0), formatEta(44_600), formatEta(185_000), formatEta(7_800_000)]).toEqual([
      '0 s',
      '45 s',
      '3 min 05 s',
      '2 h 10 min',
    ]);
  });
});
