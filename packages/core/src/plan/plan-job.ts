import type { CompiledJob } from '../mapping/compile-job.js';
import type { MappedItem, PipelineReject } from '../pipeline/document.js';
import type { SourceRecord } from '../record.js';
import { buildRequest, type PlannedRequest } from './build-request.js';
import { RecordMapper } from './map-records.js';
import { recordBatches } from './record-batches.js';

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
  const mapper = new RecordMapper(compiled, options.checkColumns === true ? { checkColumns: true } : {});
  const entriesOf = function* (item: MappedItem): Generator<PlanEntry> {
    seen++;
    if ('reject' in item) {
      yield item;
      return;
    }
    pending.push(item.document);
    if (pending.length >= size) yield flush();
  };
  // The run's own mapping stage (grouping, mapping, balance and duplicate-key checks), inline.
  try {
    read: for await (const batch of recordBatches(records)) {
      for (const record of batch) {
        if (seen >= limit) break read;
        const item = mapper.push(record);
        if (item) yield* entriesOf(item instanceof Promise ? await item : item);
      }
    }
    const last = seen < limit ? mapper.flush() : undefined;
    if (last) yield* entriesOf(last instanceof Promise ? await last : last);
  } finally {
    mapper.close();
  }
  if (pending.length) yield flush();
}
