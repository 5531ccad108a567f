import { createHash, randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '@koppel/core';
import { processAlive } from './process-alive.js';

export interface MachineSlotsOptions {
  /** Requests in flight to the environment from all koppel processes on this machine; 1..8. */
  limit: number;
  /** Directory of the slot files; default `$KOPPEL_SLOTS_DIR` or `<tmpdir>/koppel-slots`. */
  dir?: string;
  /** Wait between attempts when every slot is taken, in ms; default 5. */
  pollMs?: number;
}

/**
 * The environment's in-flight cap across processes on one machine (two `koppel run`s of nightly
 * jobs against the same environment): one file per slot under a directory per environment,
 * created with O_EXCL and holding the owner's pid. A slot left by a process that died is taken
 * over. The in-process gate stays in front of it, so this costs a few syscalls per request.
 */
export class MachineSlots {
  readonly dir: string;
  readonly #limit: number;
  readonly #pollMs: number;
  #ready: Promise<unknown> | undefined;

  constructor(environment: string, options: MachineSlotsOptions) {
    const root = options.dir ?? process.env.KOPPEL_SLOTS_DIR ?? join(tmpdir(), 'koppel-slots');
    this.dir = join(root, createHash('sha256').update(environment).digest('hex').slice(0, 16));
    this.#limit = options.limit;
    this.#pollMs = options.pollMs ?? 5;
  }

  /** Takes a slot (waiting while all are taken); resolves to its release function. */
  async acquire(signal?: AbortSignal): Promise<() => Promise<void>> {
    this.#ready ??= mkdir(this.dir, { recursive: true });
    await this.#ready;
    const owner = `${process.pid} ${randomUUID()}`;
    for (let round = 0; ; round++) {
      for (let slot = 0; slot < this.#limit; slot++) {
        const path = join(this.dir, String(slot));
        if (this.#take(path, owner)) return async () => release(path, owner);
      }
      if (round % 20 === 19) this.#clearStale();
      await sleep(this.#pollMs, signal);
    }
  }

  // Slot files use synchronous calls on purpose: they take microseconds, and the async ones
  // would queue on libuv's thread pool behind the ledger's fdatasync calls.
  #take(path: string, owner: string): boolean {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, owner);
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  /**
   * Removes slots whose owner process is gone (killed while a request was in flight), or that
   * are older than any request can be (30 min; AFAS ends requests after 15), in case the pid was reused.
   */
  #clearStale(): void {
    for (let slot = 0; slot < this.#limit; slot++) {
      const path = join(this.dir, String(slot));
      const owner = read(path);
      const pid = Number(owner.split(' ')[0]);
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      const stale = (pid > 0 && !processAlive(pid)) || age > 30 * 60_000;
      if (owner && stale && read(path) === owner) remove(path);
    }
  }
}

function release(path: string, owner: string): void {
  if (read(path) === owner) remove(path);
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
