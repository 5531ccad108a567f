import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../sources/errors.js';

/** Bytes buffered before a write to disk. */
const FLUSH_BYTES = 64 * 1024;

/**
 * A file written under a temporary name in the same directory and renamed into place by
 * `commit()`, so a crash never leaves a half-written file under the final name. `abort()`
 * removes the temporary file. Both are idempotent.
 */
export class AtomicFile {
  readonly path: string;
  readonly tempPath: string;
  private handle: FileHandle;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private state: 'open' | 'committed' | 'aborted' = 'open';

  private constructor(path: string, tempPath: string, handle: FileHandle) {
    this.path = path;
    this.tempPath = tempPath;
    this.handle = handle;
  }

  /** Creates the temporary file beside `path`. */
  static async create(path: string): Promise<AtomicFile> {
    const tempPath = join(
      dirname(path),
      `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      return new AtomicFile(path, tempPath, await open(tempPath, 'wx'));
    } catch (error) {
      throw new OutputError(
        path,
        `Cannot create ${path}: ${(error as Error).message}; check the directory exists and is writable`,
        {
          cause: error,
        },
      );
    }
  }

  /** Appends bytes (buffered; resolves once they are accepted, waiting for the disk when the buffer is full). */
  async write(bytes: Buffer): Promise<void> {
    if (this.state !== 'open')
      throw new OutputError(this.path, `Cannot write to ${this.path}: it is already ${this.state}`);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.write(data);
  }

  /** Flushes, syncs and renames the file to its final name. */
  async commit(): Promise<void> {
    if (this.state !== 'open') return;
    try {
      await this.flush();
      await this.handle.sync();
      await this.handle.close();
      await rename(this.tempPath, this.path);
      this.state = 'committed';
    } catch (error) {
      await this.abort();
      throw new OutputError(this.path, `Cannot write ${this.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Closes and deletes the temporary file; the final name is never touched. */
  async abort(): Promise<void> {
    if (this.state === 'committed' || this.state === 'aborted') return;
    this.state = 'aborted';
    this.pending = [];
    await this.handle.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }
}
