import type { Batch } from './document.js';

/** Keys an UpdateConnector returned for one document (e.g. `{ EnNo: "54605" }`); empty when none. */
export type SinkResult = Readonly<Record<string, string>>;

/**
 * Sends one batch as one request (insert, update, insert_sub, delete). Resolves with one result
 * per document, in order; throws whatever the transport throws, for the classifier to judge.
 */
export interface Sink {
  send(batch: Batch): Promise<SinkResults>;
}

/**
 * The results of one request: one per document, in order (empty objects when AFAS returned
 * none of its own). `requestResult`: AFAS answered a multi-element request with one object
 * (which record it names is not documented, reference §4), kept as the request's result.
 */
export type SinkResults = SinkResult[] & { requestResult?: SinkResult };

/**
 * Looks a document up in Profit to settle an `uncertain` record (the job's `verify:`):
 * the keys of the stored entry when found, undefined when it is not there.
 */
export interface Verifier {
  find(document: Batch[number]): Promise<SinkResult | undefined>;
}
