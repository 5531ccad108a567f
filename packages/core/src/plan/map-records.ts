import { ColumnMissingError, formatProblem } from '../job/errors.js';
import { buildElement, type DocumentRows } from '../mapping/compile-element.js';
import type { CompiledJob } from '../mapping/compile-job.js';
import { type ExprResults, plainValue, textOf } from '../mapping/row-context.js';
import { ValueReject } from '../mapping/value-reject.js';
import type { MappedItem } from '../pipeline/document.js';
import type { SourceRecord } from '../record.js';
import { checkBalanced } from './balance.js';
import { missingColumnProblems } from './check-job-input.js';
import { type RowGroup, RowGrouper } from './group-rows.js';
import { recordBatches } from './record-batches.js';
import { UniqueKeys } from './unique-keys.js';

/** Options of mapRecords. */
export interface MapRecordsOptions {
  /** Check on the first record that every column the job reads exists (CSV); default false. */
  checkColumns?: boolean;
}

/**
 * The one mapping stage of plan, test, the pre-flight and runs: source records are grouped
 * (group_by), each group is mapped to one document or rejected with every reason (field
 * labels, record key and file:line, the balance check of FiEntries), and a key seen before in
 * the input becomes a duplicate-key reject (UniqueKeys). One record at a time, no generator per
 * stage; close() when done (the seen keys spill to disk beyond 64k).
 */
export class RecordMapper {
  readonly #compiled: CompiledJob;
  readonly #grouper: RowGrouper;
  readonly #unique = new UniqueKeys();

  constructor(compiled: CompiledJob, options: MapRecordsOptions = {}) {
    this.#compiled = compiled;
    this.#grouper = grouperOf(compiled, options.checkColumns === true);
  }

  /** Adds a record; returns the item of the group it closed, if any (a Promise with `expr`). */
  push(record: SourceRecord): MappedItem | Promise<MappedItem> | undefined {
    const group = this.#grouper.push(record);
    return group ? this.#map(group) : undefined;
  }

  /** The item of the last group, at the end of the input. */
  flush(): MappedItem | Promise<MappedItem> | undefined {
    const group = this.#grouper.flush();
    return group ? this.#map(group) : undefined;
  }

  /** Releases the files of the closed groups and seen keys; idempotent. */
  close(): void {
    this.#grouper.close();
    this.#unique.close();
  }

  #map(group: RowGroup): MappedItem | Promise<MappedItem> {
    const item = mapGroup(this.#compiled, group);
    return item instanceof Promise ? item.then((done) => this.#unique.check(done)) : this.#unique.check(item);
  }
}

/**
 * Streams source records through the mapping stage (RecordMapper). Throws ColumnMissingError
 * when checkColumns finds a column missing.
 */
export async function* mapRecords(
  compiled: CompiledJob,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  options: MapRecordsOptions = {},
): AsyncGenerator<MappedItem> {
  const mapper = new RecordMapper(compiled, options);
  try {
    for await (const batch of recordBatches(records)) {
      for (const record of batch) {
        const item = mapper.push(record);
        if (item) yield item instanceof Promise ? await item : item;
      }
    }
    const last = mapper.flush();
    if (last) yield last instanceof Promise ? await last : last;
  } finally {
    mapper.close();
  }
}

/** A RowGrouper for the job; with `check`, the first record's columns are checked (CSV header). */
export function grouperOf(compiled: CompiledJob, check: boolean): RowGrouper {
  return new RowGrouper(compiled.groupBy, check ? (record) => checkColumns(compiled, record) : undefined);
}

/** Maps one group of rows; synchronous unless the job has `expr` values. */
export function mapGroup(compiled: CompiledJob, group: RowGroup): MappedItem | Promise<MappedItem> {
  if (compiled.exprs.length === 0)
    return finish(compiled, group, { records: group.records, exprs: undefined });
  return Promise.all(
    group.records.map((record): Promise<ExprResults> => {
      const input = plainValue(record.fields);
      return Promise.all(compiled.exprs.map((slot) => slot.evaluate(input)));
    }),
  ).then((exprs) => finish(compiled, group, { records: group.records, exprs }));
}

/**
 * `file:first-last` of a document, only for messages: a line number turned into text stays in
 * V8's number-string cache long enough to be promoted, so one per document grows the old space.
 */
function span(head: SourceRecord, last: SourceRecord): string {
  return `${head.origin.file}:${head.origin.line}${last === head ? '' : `-${last.origin.line}`}`;
}

function finish(compiled: CompiledJob, group: RowGroup, rows: DocumentRows): MappedItem {
  const records = group.records;
  const head = records[0] as SourceRecord;
  const last = records[records.length - 1] as SourceRecord;
  let bad: ValueReject | undefined;
  const key = compiled.key.render((column) => {
    const value = textOf(head.fields[column], `key column \`${column}\``, 'it');
    if (value instanceof ValueReject) bad = value;
    return value instanceof ValueReject ? undefined : value?.trim();
  });
  if (bad || key === '') {
    const reason = bad?.message ?? `the key template \`${compiled.loaded.job.key}\` gives an empty key`;
    return {
      reject: {
        key: `${head.origin.file}:${head.origin.line}`,
        records,
        message: `${span(head, last)}: ${reason}`,
      },
    };
  }
  if (group.reappeared) {
    const columns = compiled.groupBy?.join(', ') ?? '';
    return {
      reject: {
        key,
        records,
        message: `record ${key}: group ${columns} = ${key} reappears at ${span(head, last)} after its rows at line ${group.reappeared.firstLine} ended; sort the input by ${columns} so the rows of one document are contiguous`,
      },
    };
  }
  const errors: string[] = [];
  const element = buildElement(compiled.element, rows, errors);
  if (errors.length) return { reject: { key, records, message: `record ${key}: ${errors.join('; ')}` } };
  if (compiled.balanced) {
    const unbalanced = checkBalanced(compiled.element, element);
    if (unbalanced)
      return { reject: { key, records, message: `record ${key} (${span(head, last)}): ${unbalanced}` } };
  }
  return { document: { key, element, records } };
}

/** Throws ColumnMissingError naming every column the job reads that `record` lacks (CSV header check). */
export function checkColumns(compiled: CompiledJob, record: SourceRecord): void {
  const problems = missingColumnProblems(compiled, record);
  if (problems.length) throw new ColumnMissingError(problems.map(formatProblem).join('\n'));
}
