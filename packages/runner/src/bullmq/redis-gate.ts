import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BullmqOptionsError } from './errors.js';
import type { KoppelKeys } from './keys.js';

// KEYS: holders, queue, seen, tickets, pause. ARGV: ticket, cap, leaseMs, staleMs, wanted.
// Returns the slots taken (0..wanted, holders `<ticket>:<i>`), or -ms (the environment is paused).
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local token, lease = ARGV[1], tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
-- A retried call (its reply was lost in a reconnect) gets the same answer again.
local grant = redis.call('GET', KEYS[1] .. ':grant:' .. token)
if grant then return tonumber(grant) end
local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[4]))
for _, s in ipairs(stale) do
  redis.call('ZREM', KEYS[2], s)
  redis.call('ZREM', KEYS[3], s)
end
if not redis.call('ZSCORE', KEYS[2], token) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), token)
end
redis.call('ZADD', KEYS[3], now, token)
local paused = redis.call('PTTL', KEYS[5])
if paused > 0 then return -paused end
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
local rank = redis.call('ZRANK', KEYS[2], token)
if free <= rank then return 0 end
local granted = math.min(free - rank, tonumber(ARGV[5]))
redis.call('ZREM', KEYS[2], token)
redis.call('ZREM', KEYS[3], token)
for i = 1, granted do redis.call('ZADD', KEYS[1], now + lease, token .. ':' .. i) end
redis.call('SET', KEYS[1] .. ':grant:' .. token, granted, 'PX', lease)
return granted
`;

// KEYS: holders. ARGV: leaseMs, tokens... Extends the leases still held.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return 0
`;

// KEYS: pause. ARGV: ms. Lengthens the pause, never shortens it.
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0
`;

interface GateCommands {
  koppelGateAcquire(...args: string[]): Promise<number>;
  koppelGateRenew(...args: string[]): Promise<number>;
  koppelGatePause(...args: string[]): Promise<number>;
}

export interface RedisGateOptions {
  redis: Redis;
  keys: KoppelKeys;
  /** Name of the AFAS environment (its base URL or id); every worker of it shares one cap and pause. */
  environment: string;
  /** Requests in flight to the environment at most, over every worker; 1..8. */
  concurrency: number;
  /** How long a slot outlives a worker that died holding it, in ms; renewed every third of it; default 30000. */
  leaseMs?: number;
  /** How often a waiting process asks again, in ms; default 10. */
  pollMs?: number;
  /** A waiter not seen for this long (its process died) loses its place in line, in ms; default 2000. */
  staleMs?: number;
}

interface Waiter {
  resolve: (token: string) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
}

const abortError = (signal?: AbortSignal): unknown =>
  signal?.reason instanceof Error
    ? signal.reason
    : new DOMException('This operation was aborted', 'AbortError');

/**
 * The request gate of one AFAS environment across processes: a Redis semaphore with leases (a slot
 * held by a process killed with -9 frees itself after `leaseMs`) and a queue of tickets, one per
 * waiting process, served in order (FIFO between processes, FIFO within one), plus the shared
 * 503 pause: a key with a TTL that every worker of the environment waits out.
 */
export class RedisGate {
  readonly environment: string;
  readonly concurrency: number;
  readonly #redis: Redis & GateCommands;
  readonly #keys: ReturnType<KoppelKeys['gate']>;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #staleMs: number;
  readonly #process = randomUUID().slice(0, 8);
  #ticket = 0;
  readonly #waiters: Waiter[] = [];
  readonly #held = new Set<string>();
  #pumping = false;
  #pausedUntil = 0;
  #wake: (() => void) | undefined;
  #renew: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: RedisGateOptions) {
    const { concurrency } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 8) {
      throw new BullmqOptionsError(
        `Expected \`run.concurrency\` to be an integer from 1 to 8 (AFAS allows 8 parallel calls), got \`${concurrency}\``,
      );
    }
    this.environment = options.environment;
    this.concurrency = concurrency;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 10;
    this.#staleMs = options.staleMs ?? 2000;
    this.#keys = options.keys.gate(options.environment);
    const redis = options.redis as Redis & Partial<GateCommands>;
    if (!redis.koppelGateAcquire) {
      redis.defineCommand('koppelGateAcquire', { numberOfKeys: 5, lua: ACQUIRE });
      redis.defineCommand('koppelGateRenew', { numberOfKeys: 1, lua: RENEW });
      redis.defineCommand('koppelGatePause', { numberOfKeys: 1, lua: PAUSE });
    }
    this.#redis = redis as Redis & GateCommands;
  }

  /** Runs `send` holding a slot; rejects with an AbortError, without calling it, if `signal` aborts first. */
  async request<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const token = await this.#acquire(signal);
    try {
      return await send();
    } finally {
      this.#release(token);
    }
  }

  /**
   * Frees a slot without waiting for Redis's answer (the caller's next command on this connection
   * comes after it; a lost release frees itself when its lease ends), and asks again at once for
   * a waiter of this process instead of at its next poll.
   */
  #release(token: string): void {
    this.#held.delete(token);
    this.#redis.zrem(this.#keys.holders, token).catch(() => {});
    if (this.#waiters.length > 0) this.#wake?.();
  }

  /** Holds every request of the environment, in every worker, for `ms` from now. */
  pause(ms: number): void {
    const until = Date.now() + Math.max(0, ms);
    if (until > this.#pausedUntil) this.#pausedUntil = until;
    if (ms > 0) this.#redis.koppelGatePause(this.#keys.pause, String(Math.ceil(ms))).catch(() => {});
  }

  /** Stops renewing leases and rejects waiters; idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#renew);
    this.#renew = undefined;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(abortError());
    this.#wake?.();
  }

  #acquire(signal?: AbortSignal): Promise<string> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<string>((resolve, reject) => {
      const onAbort = (): void => this.#wake?.();
      const settle = (): void => signal?.removeEventListener('abort', onAbort);
      const waiter: Waiter = {
        resolve: (token) => {
          settle();
          resolve(token);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        signal,
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.#pumping) void this.#pump();
    });
  }

  /** Serves local waiters in order, one ticket in Redis at a time. */
  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (this.#waiters.length > 0 && !this.#closed) {
        const head = this.#waiters[0] as Waiter;
        if (head.signal?.aborted) {
          this.#waiters.shift();
          head.reject(abortError(head.signal));
          continue;
        }
        const local = this.#pausedUntil - Date.now();
        if (local > 0) {
          await this.#sleep(Math.min(local, 250));
          continue;
        }
        const ticket = `${this.#process}:${this.#ticket}`;
        let answer: number;
        try {
          answer = await this.#redis.koppelGateAcquire(
            this.#keys.holders,
            this.#keys.queue,
            this.#keys.seen,
            this.#keys.tickets,
            this.#keys.pause,
            ticket,
            String(this.concurrency),
            String(this.#leaseMs),
            String(this.#staleMs),
            String(this.#waiters.length),
          );
        } catch {
          await this.#sleep(100);
          continue;
        }
        if (answer > 0) {
          this.#ticket++;
          for (let i = 1; i <= answer; i++) {
            const token = `${ticket}:${i}`;
            const waiter = this.#waiters.shift();
            if (!waiter || waiter.signal?.aborted) {
              await this.#redis.zrem(this.#keys.holders, token).catch(() => {});
              waiter?.reject(abortError(waiter.signal));
              continue;
            }
            this.#held.add(token);
            this.#startRenewing();
            waiter.resolve(token);
          }
        } else if (answer < 0) {
          this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() - answer);
        } else {
          await this.#sleep(this.#pollMs / 2 + Math.random() * this.#pollMs);
        }
      }
    } finally {
      this.#pumping = false;
      // Nobody here waits any more: give the ticket's place in line back at once.
      const token = `${this.#process}:${this.#ticket}`;
      this.#redis.zrem(this.#keys.queue, token).catch(() => {});
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  #startRenewing(): void {
    if (this.#renew) return;
    this.#renew = setInterval(
      () => {
        if (this.#held.size === 0) return;
        this.#redis.koppelGateRenew(this.#keys.holders, String(this.#leaseMs), ...this.#held).catch(() => {});
      },
      Math.max(50, Math.floor(this.#leaseMs / 3)),
    );
    this.#renew.unref();
  }
}
