import type { SourceRecord } from '../record.js';

/**
 * One unit of work for an UpdateConnector: the Element a mapping built from one or more source
 * records (a FiEntries document groups its lines), under the stable key the ledger tracks.
 */
export interface PipelineDocument {
  /** Stable record identity within a run (from the job's `key:`); the ledger's key. */
  key: string;
  /** One `Element` of the request body (`Fields`, `Objects`, `@Key` attributes). */
  element: unknown;
  /** The source records the element was built from, for rejects and reports. */
  records: readonly SourceRecord[];
}

/** A record the mapping refused before anything was sent (missing field, unknown code, ...). */
export interface PipelineReject {
  key: string;
  records: readonly SourceRecord[];
  /** One-line reason, shown in the rejects file. */
  message: string;
}

/** What a mapping yields per source document: something to send, or a pre-validation reject. */
export type MappedItem = { document: PipelineDocument } | { reject: PipelineReject };

/** Several documents sent in one request (`Element: [...]`); AFAS handles it as one transaction. */
export type Batch = readonly PipelineDocument[];
