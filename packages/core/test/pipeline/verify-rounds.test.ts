import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../src/pipeline/document.js';
import type { ExecutorContext } from '../../src/pipeline/executor.js';
import { DEFAULT_RETRY_POLICY } from '../../src/pipeline/retry-policy.js';
import { lookupTimes, verifyOverRounds } from '../../src/pipeline/verify-document.js';

const document: PipelineDocument = { key: 'V1', element: {}, records: [] };
const context = (): ExecutorContext => ({
  signal: new AbortController().signal,
  request: (send) => send(),
  pause: () => {},
});
const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

describe('verify rounds', () => {
  it('schedules lookup i at send time + delay × 2^i', () => {
    expect(lookupTimes(1000, { delayMs: 5000, rounds: 3 })).toEqual([6000, 11_000, 21_000]);
    expect(lookupTimes(0, { delayMs: 0, rounds: 2 })).toEqual([0, 0]);
    expect(lookupTimes(0, { delayMs: 10, rounds: 0 })).toEqual([10]);
  });

  it('looks up no earlier than each round and stops at the first hit', async () => {
    const sentAt = Date.now();
    const calls: number[] = [];
    const outcome = await verifyOverRounds(document, context(), {
      verifier: {
        async find() {
          calls.push(Date.now() - sentAt);
          return calls.length === 2 ? { EnNo: '70001' } : undefined;
        },
      },
      classify: () => ({ action: 'retry' }),
      policy,
      sentAt,
      delayMs: 60,
      rounds: 3,
    });
    expect(outcome).toEqual({ found: true, result: { EnNo: '70001' }, round: 1 });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBeGreaterThanOrEqual(59);
    expect(calls[1]).toBeGreaterThanOrEqual(119);
  });

  it('calls a record missing only after every round came back empty', async () => {
    let calls = 0;
    const outcome = await verifyOverRounds(document, context(), {
      verifier: {
        async find() {
          calls++;
          return undefined;
        },
      },
      classify: () => ({ action: 'retry' }),
      policy,
      sentAt: Date.now(),
      delayMs: 5,
      rounds: 3,
    });
    expect(outcome).toEqual({ found: false, rounds: 3 });
    expect(calls).toBe(3);
  });

  it('keeps a record uncertain when a lookup fails: never missing on a failed lookup', async () => {
    const outcome = await verifyOverRounds(document, context(), {
      verifier: {
        async find() {
          throw new Error('ECONNRESET');
        },
      },
      classify: () => ({ action: 'retry', message: 'connection reset' }),
      policy,
      sentAt: Date.now(),
      delayMs: 1,
      rounds: 3,
    });
    expect(outcome.found).toBe('unknown');
  });
});
