import type { PendingRequest } from '@koppel/afas';
import type {
  BatchSizer,
  Classify,
  DeliveryMode,
  LedgerEntry,
  MappedItem,
  RetryPolicy,
  Sink,
  Verifier,
} from '@koppel/core';

/**
 * Writes the rejects file from the ledger's rejected entries (in the input's own format): an
 * array in any order (sorted by input position first), or a stream already in input order.
 */
export type RejectsWriter = (
  path: string,
  rejected: readonly LedgerEntry[] | AsyncIterable<LedgerEntry>,
) => Promise<void>;

/** Where a run's files go; every path defaults into the run directory. */
export interface OutputPaths {
  /** Directory for all files; default `.koppel/runs/<runId>/`. */
  dir?: string;
  results?: string;
  rejects?: string;
  report?: string;
}

/**
 * Everything a run needs, independent of where it came from (a job file, the demo, a test):
 * the mapped source, the sink and the policies. `prepareJobRun` builds one from a job file.
 */
export interface RunSpec {
  /** Absolute path of the job file (part of the run identity). */
  jobFile: string;
  /** Job name (prefix of the run id). */
  jobName: string;
  /** Absolute path of the input file (its content is part of the run identity). */
  inputFile: string;
  /** The input's encoding and why it was chosen, for the run report. */
  inputEncoding?: string;
  /**
   * Delivery identity: what earlier runs delivered to this environment, connector and scope
   * decides what this run sends (`mode`). Default: environment = `environment`, connector
   * `unknown`, scope = the job name, mode `once`.
   */
  delivery?: { environment: string; connector: string; scope: string; mode: DeliveryMode };
  /** The job's `state_dir:` (absolute); `--state-dir` overrides it. */
  stateDir?: string;
  /** Mapped records, opened lazily (the run may decide there is nothing to do). */
  items(): AsyncIterable<MappedItem>;
  sink: Sink;
  classify: Classify;
  verifier?: Verifier;
  /** `verify.delay` in ms: no lookup of an uncertain record before its send time plus this; default 5000. */
  verifyDelayMs?: number;
  /** `verify.rounds`: lookups (delay, 2×delay, 4×delay, …) before an uncertain record is sent again; default 3. */
  verifyRounds?: number;
  /** Base URL of the AFAS environment: the in-flight cap then holds across koppel processes on this machine. */
  environment?: string;
  /** Requests in flight at most (1..8); default 8. */
  concurrency?: number;
  /** `run.batch`; default 1. */
  batch?: number | 'auto' | BatchSizer;
  retry?: Partial<RetryPolicy>;
  rejectsWriter: RejectsWriter;
  /** Extension of the rejects file, e.g. `csv`; default `csv`. */
  rejectsExtension?: string;
  output?: OutputPaths;
  /** Strings that must never be printed (the token). */
  secrets?: readonly string[];
  /** Keys the ledger index holds in memory before older ones go to disk; default 65536 (tests: KOPPEL_LEDGER_MEMORY_KEYS). */
  ledgerMemoryKeys?: number;
  /** Source records expected, for the ETA. */
  expectedRecords?: number;
  /** AFAS requests in flight now; `describeStalled(pendingRequests())` of @koppel/afas tells a hanging request instead of a stale ETA. */
  pendingRequests?(): readonly PendingRequest[];
  /** Releases clients and files; called once at the end. */
  close?(): Promise<void>;
}
