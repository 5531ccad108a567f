import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep } from '../../src/pipeline/retry-policy.js';

describe('backoffDelay', () => {
  it('doubles per attempt between half and the whole step, capped', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 5].map((n) => backoffDelay(policy, n, () => 0.999999))).toEqual([100, 200, 1000]);
  });
  it('sleep rejects with the reason when aborted', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new Error('stopped by the user'));
    await expect(slept).rejects.toThrow('stopped by the user');
  });
});
