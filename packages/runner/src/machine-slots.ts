import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '@koppel/core';

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

  constructor(environment: string, options: MachineSlotsOptions) {
    const root = options.dir ?? process.env.KOPPEL_SLOTS_DIR ?? join(tmpdir(), 'koppel-slots');
    this.dir = join(root, createHash('sha256').update(environment).digest('hex').slice(0, 16));
    this.#limit = options.limit;
    this.#pollMs = options.pollMs ?? 5;
  }

  /** Takes a slot (waiting while all are taken); resolves to its release function. */
  async acquire(signal?: AbortSignal): Promise<() => Promise<void>> {
    await mkdir(this.dir, { recursive: true });
    const owner = `${process.pid} ${randomUUID()}`;
    for (let round = 0; ; round++) {
      for (let slot = 0; slot < this.#limit; slot++) {
        const path = join(this.dir, String(slot));
        if (await this.#take(path, owner)) return () => release(path, owner);
      }
      if (round % 20 === 19) await this.#clearStale();
      await sleep(this.#pollMs, signal);
    }
  }

  async #take(path: string, owner: string): Promise<boolean> {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(owner);
      await file.close();
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
  async #clearStale(): Promise<void> {
    for (let slot = 0; slot < this.#limit; slot++) {
      const path = join(this.dir, String(slot));
      const owner = await readFile(path, 'utf8').catch(() => '');
      const pid = Number(owner.split(' ')[0]);
      const age = Date.now() - ((await stat(path).catch(() => undefined))?.mtimeMs ?? Date.now());
      const stale = (pid > 0 && !alive(pid)) || age > 30 * 60_000;
      if (stale && (await readFile(path, 'utf8').catch(() => '')) === owner) {
        await unlink(path).catch(() => {});
      }
    }
  }
}

async function release(path: string, owner: string): Promise<void> {
  if ((await readFile(path, 'utf8').catch(() => '')) === owner) await unlink(path).catch(() => {});
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
