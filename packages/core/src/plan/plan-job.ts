import type { CompiledJob } from '../mapping/compile-job.js';
import type { PipelineReject } from '../pipeline/document.js';
import type { SourceRecord } from '../record.js';
import { buildRequest, type PlannedRequest } from './build-request.js';
import { mapRecords } from './map-records.js';

/** One line of a plan: a request that would be sent, or a record that would be rejected. */
export type PlanEntry = { request: PlannedRequest; keys: string[] } | { reject: PipelineReject };

/** Options of planJob. */
export interface PlanJobOptions {
  /** Stop after this many documents (requests plus rejects); default unlimited. */
  limit?: number;
  /** Documents per request; default the job's run.batch when it is a number, else 1. */
  batch?: number;
  /** Check the columns of the first record (CSV); default false. */
  checkColumns?: boolean;
}

/** Plans a job without writing anything: the exact requests and the rejects, in input order. */
export async function* planJob(
  compiled: CompiledJob,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  options: PlanJobOptions = {},
): AsyncGenerator<PlanEntry> {
  const configured = compiled.loaded.job.run?.batch;
  const size =
    compiled.method === 'delete' ? 1 : (options.batch ?? (typeof configured === 'number' ? configured : 1));
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let seen = 0;
  let pending: { key: string; element: unknown; records: readonly SourceRecord[] }[] = [];
  const flush = (): PlanEntry => {
    const entry = { request: buildRequest(compiled, pending), keys: pending.map((document) => document.key) };
    pending = [];
    return entry;
  };
  for await (const item of mapRecords(compiled, records, { checkColumns: options.checkColumns ?? false })) {
    if (seen >= limit) break;
    seen++;
    if ('reject' in item) {
      yield item;
      continue;
    }
    pending.push(item.document);
    if (pending.length >= size) yield flush();
  }
  if (pending.length) yield flush();
}
