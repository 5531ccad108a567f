import type { BatchSizer } from './batch-sizer.js';
import type { Batch, PipelineDocument } from './document.js';

/**
 * Cuts a stream of documents into batches of the sizer's current size, closing a batch early
 * when the next document would push its JSON past the sizer's byte cap.
 */
export async function* batchesOf(
  documents: AsyncIterable<PipelineDocument>,
  sizer: BatchSizer,
): AsyncGenerator<Batch> {
  let batch: PipelineDocument[] = [];
  let bytes = 0;
  for await (const document of documents) {
    const limit = sizer.size();
    if (limit > 1) {
      const size = Buffer.byteLength(JSON.stringify(document.element) ?? '') + 1;
      if (batch.length > 0 && bytes + size > sizer.maxBytes) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      bytes += size;
    }
    batch.push(document);
    if (batch.length >= limit) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}
