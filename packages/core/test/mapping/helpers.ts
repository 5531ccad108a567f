import { parseJob } from '../../src/job/load-job.js';
import { type CompiledJob, compileJob } from '../../src/mapping/compile-job.js';
import type { UpdateMetainfo } from '../../src/metainfo/update-metainfo.js';
import type { MappedItem } from '../../src/pipeline/document.js';
import { mapRecords } from '../../src/plan/map-records.js';
import type { FieldValue, SourceRecord } from '../../src/record.js';

/** A whole job around a `target:` block (indented by two spaces), with a source and a connection. */
export function jobText(
  target: string,
  options: { language?: string; decimal?: string; key?: string } = {},
): string {
  return [
    'version: 1',
    'name: test',
    `connection: { url: "http://127.0.0.1:1/12345/ProfitRestServices", token: "t", language: ${options.language ?? 'nl-nl'} }`,
    `source: { csv: { path: in.csv${options.decimal ? `, decimal: "${options.decimal}"` : ''} } }`,
    `key: "${options.key ?? '{id}'}"`,
    'target:',
    target,
  ].join('\n');
}

/** Parses and compiles a job text (offline when no metainfo is given). */
export function compileText(text: string, metainfo?: UpdateMetainfo): CompiledJob {
  const loaded = parseJob('/jobs/test.yaml', text, { env: {} });
  return compileJob(loaded, metainfo ? { metainfo } : {});
}

/** A source record with a null-prototype fields object, as the readers make them. */
export function rec(fields: Record<string, FieldValue>, line: number, file = 'in.csv'): SourceRecord {
  return { fields: Object.assign(Object.create(null), fields), origin: { file, line, index: line - 2 } };
}

/** Maps records through a compiled job and collects the items. */
export async function mapAll(compiled: CompiledJob, records: SourceRecord[]): Promise<MappedItem[]> {
  const items: MappedItem[] = [];
  for await (const item of mapRecords(compiled, records)) items.push(item);
  return items;
}

/** The Fields of the single document an item holds; throws with the reject message otherwise. */
export function fieldsOf(item: MappedItem | undefined): Record<string, unknown> {
  if (!item) throw new Error('no item');
  if ('reject' in item) throw new Error(`rejected: ${item.reject.message}`);
  return (item.document.element as { Fields: Record<string, unknown> }).Fields;
}

/** The reject message of an item; throws when it was not rejected. */
export function rejectOf(item: MappedItem | undefined): string {
  if (!item || !('reject' in item)) throw new Error(`not rejected: ${JSON.stringify(item)}`);
  return item.reject.message;
}
