import type { Batch, MappedItem, PipelineDocument } from '@koppel/core';

/** `count` documents keyed `r0`, `r1`, ... with one source record each. */
export function makeDocuments(count: number): PipelineDocument[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `r${i}`,
    element: { Fields: { Nr: i } },
    records: [{ fields: { nr: String(i) }, origin: { file: 'in.csv', line: i + 2, index: i } }],
  }));
}

export async function* itemsOf(documents: Iterable<PipelineDocument>): AsyncGenerator<MappedItem> {
  for (const document of documents) yield { document };
}

export async function* batchesOfSize(documents: PipelineDocument[], size: number): AsyncGenerator<Batch> {
  for (let i = 0; i < documents.length; i += size) yield documents.slice(i, i + size);
}
