import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceFileError } from './errors.js';

/** `true` always gunzips, `false` never, `auto` when the file starts with the gzip magic bytes. */
export type GzipOption = boolean | 'auto';

/** Size of the chunks read from disk, in bytes. */
const CHUNK_BYTES = 64 * 1024;

function fileError(file: string, error: unknown): SourceFileError {
  const code = (error as { code?: unknown }).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : String((error as Error).message ?? error);
  return new SourceFileError(
    file,
    `Cannot read ${file}: ${why}; check the source path (relative to the job file)`,
    {
      cause: error,
    },
  );
}

/** Decides whether `path` is gzipped: by the option, else by its magic bytes 1F 8B. */
export async function isGzipped(path: string, gzip: GzipOption, file = path): Promise<boolean> {
  if (gzip !== 'auto') return gzip;
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(file, error);
  }
}

/** The (decompressed) bytes of a file as a stream of Buffers; map its errors with `asSourceError`. */
export function openByteStream(path: string, gzipped: boolean): Readable {
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  if (!gzipped) return raw;
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  gunzip.on('close', () => raw.destroy());
  return raw.pipe(gunzip);
}

/**
 * The (decompressed) bytes of a file as chunks read into one reused buffer: a chunk is only valid
 * until the next one is asked for, so decode it first. Nothing is allocated per chunk (a stream
 * allocates 64 KiB each time, which the garbage collector may promote and keep until a full GC);
 * gzipped files go through the stream. Map errors with `asSourceError`.
 */
export async function* readByteChunks(path: string, gzipped: boolean): AsyncGenerator<Buffer> {
  if (gzipped) {
    const stream = openByteStream(path, true);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
    } finally {
      stream.destroy();
    }
    return;
  }
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Typed Koppel errors pass through; file-system and gunzip failures become `SourceFileError`s. */
export function asSourceError(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.startsWith('KOPPEL_')) return error;
  if (code.startsWith('Z_') || code === 'ERR_ZLIB_INITIALIZATION_FAILED') {
    return new SourceFileError(
      file,
      `Cannot gunzip ${file}: ${(error as Error).message}; the file is damaged or not gzip`,
      {
        cause: error,
      },
    );
  }
  return code.startsWith('E') && !code.startsWith('ERR_') ? fileError(file, error) : error;
}

/** A file to read: where it is, whether it is gzipped, and the name errors give it (default `path`). */
export interface ByteSource {
  path: string;
  gzipped: boolean;
  file?: string;
}

/** Up to `maxBytes` of the (decompressed) start of a file, and whether that is the whole file. */
export async function readPrefix(
  { path, gzipped, file = path }: ByteSource,
  maxBytes: number,
): Promise<{ bytes: Buffer; complete: boolean }> {
  const stream = openByteStream(path, gzipped);
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size > maxBytes) return { bytes: Buffer.concat(parts).subarray(0, maxBytes), complete: false };
    }
  } catch (error) {
    throw asSourceError(file, error);
  } finally {
    stream.destroy();
  }
  return { bytes: Buffer.concat(parts), complete: true };
}
