import type { IncomingMessage } from 'node:http';

/** Result of reading a request body with a size limit. */
export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true };

/**
 * Reads the whole request body as bytes. Past `limit` bytes it stops buffering and keeps
 * draining the socket, so the 413 can still be delivered.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false, tooLarge: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolve({ ok: false, tooLarge: true });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve({ ok: true, bytes: Buffer.concat(chunks, size) });
    });
    req.on('error', () => {
      if (!tooLarge) resolve({ ok: true, bytes: Buffer.concat(chunks) });
    });
    req.on('aborted', () => {
      if (!tooLarge) resolve({ ok: true, bytes: Buffer.concat(chunks) });
    });
  });
}

/** Number of `Element` entries anywhere in an update body (for per-element latency). */
export function countElements(body: unknown): number {
  if (Array.isArray(body)) return body.reduce((sum: number, item) => sum + countElements(item), 0);
  if (!body || typeof body !== 'object') return 0;
  let count = 0;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'Element') count += Array.isArray(value) ? value.length : 1;
    count += countElements(value);
  }
  return count;
}
