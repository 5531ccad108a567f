import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateError } from '../extract/errors.js';

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Named job state as JSON files (`<dir>/<name>.json`, e.g. `.koppel/state/<job>.json`). Writes
 * go to a temporary file that is renamed into place, so a crash leaves the old state or the new one.
 */
export class StateStore {
  /** Directory holding the state files. */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Path of the state file of `name` (a job name). */
  path(name: string): string {
    if (!NAME.test(name)) {
      throw new StateError(
        `Expected a job name (lower case letters, digits, . _ -) to name state, got "${name}".`,
      );
    }
    return join(this.dir, `${name}.json`);
  }

  /** The state of `name`, or undefined when there is none. */
  async get<T = unknown>(name: string): Promise<T | undefined> {
    const file = this.path(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateError(`Cannot read state ${file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new StateError(
        `Expected JSON in state ${file}, got ${text.length} characters that do not parse; fix it or run \`koppel state clear ${name}\`.`,
        { cause: error },
      );
    }
  }

  /** Replaces the state of `name` atomically. */
  async set(name: string, value: unknown): Promise<void> {
    const file = this.path(name);
    await mkdir(this.dir, { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { flag: 'wx' });
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw new StateError(`Cannot write state ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Removes the state of `name`; true when there was one. */
  async clear(name: string): Promise<boolean> {
    try {
      await unlink(this.path(name));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new StateError(`Cannot remove state ${this.path(name)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
