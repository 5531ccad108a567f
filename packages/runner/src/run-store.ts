import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LedgerError } from '@koppel/core';
import { ensureStateDir } from './ensure-state-dir.js';
import { processAlive } from './process-alive.js';

/**
 * Lifecycle of a run: `running` while a process works on it; `stopped` when it ended early;
 * `incomplete` when a session's report did not reconcile (run-report.ts identityFailure).
 */
export type RunStatus = 'running' | 'finished' | 'stopped' | 'incomplete';

/** `run.json`: what a run is and how its sessions went. */
export interface RunMeta {
  runId: string;
  job: string;
  jobName: string;
  input: string;
  identity: string;
  createdAt: string;
  status: RunStatus;
  /** One per invocation (the first run and every resume). */
  sessions: { startedAt: string; endedAt?: string; exitCode?: number; pid: number }[];
  /** Counts per state at the end of the last session. */
  counts?: Record<string, number>;
  /** Why the last session stopped, when it did. */
  stopReason?: string;
}

/** The run directories under `<stateDir>/runs/`. */
export class RunStore {
  readonly root: string;

  constructor(stateDir: string) {
    this.root = join(stateDir, 'runs');
  }

  dir(runId: string): string {
    return join(this.root, runId);
  }

  async list(): Promise<RunMeta[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const metas = await Promise.all(names.map((name) => this.read(name).catch(() => undefined)));
    return metas
      .filter((m): m is RunMeta => m !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async read(runId: string): Promise<RunMeta> {
    return JSON.parse(await readFile(join(this.dir(runId), 'run.json'), 'utf8')) as RunMeta;
  }

  /** The latest run of an identity, if any. */
  async latest(identity: string): Promise<RunMeta | undefined> {
    return (await this.list()).filter((meta) => meta.identity === identity).at(-1);
  }

  /** Writes run.json atomically (temp file + rename). */
  async write(meta: RunMeta): Promise<void> {
    const dir = this.dir(meta.runId);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `run.json.${process.pid}.tmp`);
    await writeFile(temp, `${JSON.stringify(meta, null, 2)}\n`);
    await rename(temp, join(dir, 'run.json'));
  }

  /**
   * Takes the run's lock file (pid inside) so two processes never work on one run; a lock left by
   * a dead process is taken over. Returns the release function.
   */
  async lock(runId: string): Promise<() => Promise<void>> {
    const dir = this.dir(runId);
    await ensureStateDir(dirname(this.root));
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'lock');
    for (let tries = 0; tries < 2; tries++) {
      try {
        const handle = await open(path, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => rm(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        if (pid > 0 && pid !== process.pid && processAlive(pid)) {
          throw new LedgerError(
            `Run ${runId} is in use by process ${pid}; wait for it to end or stop it first`,
          );
        }
        await rm(path, { force: true });
      }
    }
    throw new LedgerError(`Could not lock run ${runId} in ${dir}`);
  }
}
