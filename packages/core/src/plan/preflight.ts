import type { CompiledJob } from '../mapping/compile-job.js';
import type { MappedItem } from '../pipeline/document.js';
import type { SourceRecord } from '../record.js';
import { mapRecords, RecordMapper } from './map-records.js';
import { recordBatches } from './record-batches.js';

/** What a run does with invalid records found by the pre-flight (`run.on_invalid`). */
export type OnInvalid = 'stop' | 'reject';

/** The kinds of problem the pre-flight counts; `structural` ones mean the input as a whole is off. */
export const PROBLEM_KINDS = {
  unreadable: { label: 'input that cannot be read (bytes, encoding, CSV/JSON format)', structural: true },
  columns: { label: 'missing or unexpected columns', structural: true },
  'duplicate-key': { label: 'duplicate keys', structural: true },
  'group-reappears': { label: 'groups whose rows are not contiguous', structural: true },
  'empty-key': { label: 'records without a key', structural: true },
  unbalanced: { label: 'unbalanced documents (debit != credit)', structural: true },
  'bad-date': { label: 'dates that do not parse', structural: false },
  'bad-number': { label: 'numbers or booleans that do not parse', structural: false },
  'unknown-code': { label: 'values not in the code list of their field', structural: false },
  required: { label: 'required values that are empty', structural: false },
  'too-long': { label: 'values longer than their field allows', structural: false },
  other: { label: 'other invalid values', structural: false },
} as const;

export type ProblemKind = keyof typeof PROBLEM_KINDS;

/** One kind of problem: how many records have it and the first few messages (file:line or key). */
export interface ProblemCount {
  count: number;
  samples: string[];
}

/** What the pre-flight found: counts only, plus a bounded sample per kind. */
export interface PreflightSummary {
  /** Source records read. */
  records: number;
  /** Documents that map cleanly (what a run would send). */
  documents: number;
  /** Records (documents) that would be rejected before sending. */
  rejected: number;
  /** Problems per kind, in the order of PROBLEM_KINDS. */
  problems: Partial<Record<ProblemKind, ProblemCount>>;
  /**
   * An error that ends the reading (a decode error, a missing column, a CSV that does not parse):
   * the run cannot go on whatever `on_invalid` says.
   */
  fatal?: string;
  /** Milliseconds the pre-flight took. */
  ms: number;
}

/** Options of preflight. */
export interface PreflightOptions {
  /** Check on the first record that every column the job reads exists (CSV); default false. */
  checkColumns?: boolean;
  /** Messages kept per kind; default 3. */
  samples?: number;
}

/** The kind of a mapping reject, from its message (the mapping stage writes these sentences). */
export function problemKind(message: string): ProblemKind {
  if (/^duplicate key `/.test(message)) return 'duplicate-key';
  if (/ reappears at .* after its rows at line /.test(message)) return 'group-reappears';
  if (/gives an empty key|: key column `/.test(message)) return 'empty-key';
  if (/entry is not balanced/.test(message)) return 'unbalanced';
  if (/expected a valid (date|datetime|time)\b/.test(message)) return 'bad-date';
  if (/expected a (whole number|decimal|boolean)/.test(message)) return 'bad-number';
  if (/is not an allowed value|no code has the description/.test(message)) return 'unknown-code';
  if (/is required but empty/.test(message)) return 'required';
  if (/characters, at most \d+ allowed/.test(message)) return 'too-long';
  return 'other';
}

const FATAL_CODES: Record<string, ProblemKind> = {
  KOPPEL_COLUMN_MISSING: 'columns',
};

/**
 * Reads, decodes, parses and maps the whole input once, through the run's own mapping stage
 * (RecordMapper: grouping, values, balance, duplicate keys), without sending anything. Memory
 * does not grow with the input: counts and a few messages per kind (the seen keys spill to
 * disk). Never throws for a problem of the input; it lands in the summary (`fatal` when reading
 * cannot go on).
 */
export async function preflight(
  compiled: CompiledJob,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  options: PreflightOptions = {},
): Promise<PreflightSummary> {
  const started = performance.now();
  const keep = options.samples ?? 3;
  const summary: PreflightSummary = { records: 0, documents: 0, rejected: 0, problems: {}, ms: 0 };
  const note = (kind: ProblemKind, message: string): void => {
    let found = summary.problems[kind];
    if (!found) {
      found = { count: 0, samples: [] };
      summary.problems[kind] = found;
    }
    found.count++;
    if (found.samples.length < keep) found.samples.push(message);
  };
  const count = (item: MappedItem): void => {
    if ('document' in item) {
      summary.documents++;
      return;
    }
    summary.rejected++;
    note(problemKind(item.reject.message), item.reject.message);
  };
  const mapper = new RecordMapper(compiled, options.checkColumns === true ? { checkColumns: true } : {});
  try {
    for await (const batch of recordBatches(records)) {
      for (const record of batch) {
        summary.records++;
        const item = mapper.push(record);
        if (item) count(item instanceof Promise ? await item : item);
      }
    }
    const last = mapper.flush();
    if (last) count(last instanceof Promise ? await last : last);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    const kind = (typeof code === 'string' && FATAL_CODES[code]) || 'unreadable';
    summary.fatal = message;
    for (const line of message.split('\n')) note(kind, line);
  } finally {
    mapper.close();
  }
  summary.ms = performance.now() - started;
  return summary;
}

/** Whether a run may go on after this pre-flight: nothing fatal, and no reject unless `reject`. */
export function preflightPasses(summary: PreflightSummary, onInvalid: OnInvalid): boolean {
  if (summary.fatal !== undefined) return false;
  return summary.rejected === 0 || onInvalid === 'reject';
}

/** Options of formatPreflight. */
export interface FormatPreflightOptions {
  /** The job file, as named to the user. */
  job: string;
  /** The input file, as named to the user. */
  input: string;
  onInvalid: OnInvalid;
}

/**
 * The refusal of a run: a first line that says it all, then the count per kind with the first
 * messages (file:line:col or key), then what to do.
 */
export function formatPreflight(summary: PreflightSummary, options: FormatPreflightOptions): string {
  const kinds = (Object.keys(PROBLEM_KINDS) as ProblemKind[]).filter((kind) => summary.problems[kind]);
  const total = kinds.reduce((sum, kind) => sum + (summary.problems[kind]?.count ?? 0), 0);
  const head = summary.fatal
    ? `pre-flight: ${options.input} cannot be read to the end (after ${summary.records} record(s)); nothing was sent`
    : `pre-flight: ${summary.rejected} of ${summary.documents + summary.rejected} document(s) in ${options.input} are invalid; nothing was sent`;
  const lines = [head];
  for (const kind of kinds) {
    const found = summary.problems[kind] as ProblemCount;
    const all =
      kind === 'bad-date' && found.count === summary.documents + summary.rejected ? ' (in every record)' : '';
    lines.push(`  ${found.count} × ${PROBLEM_KINDS[kind].label}${all}:`);
    for (const sample of found.samples) lines.push(`      ${sample}`);
    if (found.count > found.samples.length)
      lines.push(`      … and ${found.count - found.samples.length} more`);
  }
  if (total === 0) lines.push('  (no problem recorded)');
  lines.push(
    summary.fatal
      ? `  fix the input (or the job's source options) and run again; \`koppel plan ${options.job}\` shows the same without sending`
      : `  fix the input and run again (\`koppel plan ${options.job}\` lists every reject), or set \`run: { on_invalid: reject }\` in ${options.job} to reject these records and send the rest`,
  );
  return lines.join('\n');
}

/** A run refused by its pre-flight, before its first request; the message is the summary. */
export class PreflightError extends Error {
  readonly code = 'KOPPEL_PREFLIGHT';
  readonly summary: PreflightSummary;
  constructor(message: string, summary: PreflightSummary) {
    super(message);
    this.name = 'PreflightError';
    this.summary = summary;
  }
}

/** Options of checkedItems. */
export interface CheckedItemsOptions extends FormatPreflightOptions {
  compiled: CompiledJob;
  /** Opens the input afresh: once for the pre-flight, once for the run. */
  open: () => Promise<AsyncIterable<SourceRecord> | Iterable<SourceRecord>>;
  checkColumns?: boolean;
  /** Sees the summary when the pre-flight passes (timings, counts). */
  onPreflight?: (summary: PreflightSummary) => void;
}

/**
 * The mapped items of a run behind its pre-flight: the whole input is read and mapped once
 * (preflight) before the first item is given, so nothing is sent when it fails; then the input
 * is read again through the same mapping stage. Throws PreflightError with the summary.
 */
export async function* checkedItems(options: CheckedItemsOptions): AsyncGenerator<MappedItem> {
  const checkColumns = options.checkColumns === true;
  const summary = await preflight(options.compiled, await options.open(), { checkColumns });
  if (!preflightPasses(summary, options.onInvalid))
    throw new PreflightError(formatPreflight(summary, options), summary);
  options.onPreflight?.(summary);
  yield* mapRecords(options.compiled, await options.open(), { checkColumns });
}
