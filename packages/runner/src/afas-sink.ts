import { type AfasClient, resultsPerElement } from '@koppel/afas';
import type { Batch, Sink, SinkResults } from '@koppel/core';

/** One HTTP request, as core's `buildRequest` plans it. */
export interface SinkRequest {
  method: 'POST' | 'PUT' | 'DELETE';
  /** Path relative to the base URL, e.g. `/connectors/FiEntries`. */
  path: string;
  /** JSON body; undefined for DELETE. */
  body?: unknown;
}

export interface AfasSinkOptions {
  client: AfasClient;
  /** JSON root object from update metainfo, e.g. FiEntryPar (where results are found). */
  root: string;
  /** Builds the request of a batch (core's `buildRequest(compiled, batch)`). */
  build: (batch: Batch) => SinkRequest;
}

/**
 * The AFAS Sink: one UpdateConnector request per batch (`Element: [...]` for several), sent with
 * the client's update API (`client.write`: auth, timeouts per phase, the environment's in-flight
 * cap, and the answer checked). An answer that is not AFAS's (a proxy's HTML page, garbage, a 201
 * without results) throws AfasUnverifiedAnswerError, which the classifier makes uncertain: a
 * record is done only on a well-formed answer. Results per element: `resultsPerElement`.
 */
export function createAfasSink(options: AfasSinkOptions): Sink {
  const { client, root } = options;
  return {
    async send(batch: Batch): Promise<SinkResults> {
      const request = options.build(batch);
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const answer = await client.write({ method: request.method, path: request.path, body });
      return withRequestResult(resultsPerElement(answer, root, batch.length), answer.body, root);
    },
  };
}

/**
 * Keeps AFAS's one answer to a multi-element request (`{"results": {Root: {...}}}`, one object
 * for several elements) as the request's result when no element got its own.
 */
export function withRequestResult(results: SinkResults, body: unknown, root: string): SinkResults {
  if (results.length < 2 || results.some((r) => Object.keys(r).length > 0)) return results;
  const record = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!record(body)) return results;
  const wrapped = 'results' in body ? body.results : body;
  const inner = record(wrapped) ? (wrapped[root] ?? Object.values(wrapped)[0]) : undefined;
  if (!record(inner)) return results;
  const requestResult = Object.fromEntries(
    Object.entries(inner).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
  );
  return Object.assign(results, { requestResult });
}
