import { describe, expect, it } from 'vitest';
import { environmentSemaphore, Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('serves waiters in arrival order and never exceeds the limit', async () => {
    const semaphore = new Semaphore(2);
    const order: number[] = [];
    const releases = await Promise.all([semaphore.acquire(), semaphore.acquire()]);
    const waiting = [3, 4, 5].map((n) =>
      semaphore.acquire().then((release) => {
        order.push(n);
        return release;
      }),
    );
    expect(semaphore.waiting).toBe(3);
    releases[0]!();
    releases[0]!(); // idempotent
    const r3 = await waiting[0]!;
    expect(semaphore.active).toBe(2);
    releases[1]!();
    r3();
    (await waiting[1]!)();
    (await waiting[2]!)();
    expect(order).toEqual([3, 4, 5]);
    expect(semaphore.highWater).toBe(2);
    expect(semaphore.active).toBe(0);
  });

  it('removes an aborted waiter from the queue', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(semaphore.waiting).toBe(0);
    release();
    expect(semaphore.active).toBe(0);
  });

  it('shares one semaphore per base URL', () => {
    const a = environmentSemaphore('http://127.0.0.1:1/unit-test/ProfitRestServices');
    expect(environmentSemaphore('HTTP://127.0.0.1:1/unit-test/profitrestservices')).toBe(a);
    expect(environmentSemaphore('http://127.0.0.1:2/x')).not.toBe(a);
  });

  it('grants each acquire under its own limit, in arrival order', async () => {
    const semaphore = new Semaphore(Number.POSITIVE_INFINITY);
    const held = await Promise.all([semaphore.acquire(undefined, 8), semaphore.acquire(undefined, 8)]);
    const granted: string[] = [];
    const small = semaphore.acquire(undefined, 2).then((release) => {
      granted.push('small');
      return release;
    });
    const big = semaphore.acquire(undefined, 8).then((release) => {
      granted.push('big');
      return release;
    });
    await Promise.resolve();
    expect(semaphore.active).toBe(2);
    expect(granted).toEqual([]); // the big one waits behind the small one (FIFO)
    held[0]!();
    (await small)();
    (await big)();
    held[1]!();
    expect(granted).toEqual(['small', 'big']);
    expect(semaphore.active).toBe(0);
  });
});
