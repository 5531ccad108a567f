import type { AfasClient } from '@koppel/afas';
import type { Batch, Sink, SinkResult } from '@koppel/core';

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

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: Json): SinkResult =>
  Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
  );

/**
 * Results per document of a response. A single element gets the root's keys; a batch gets one
 * entry per element when AFAS returns an array in element order, otherwise none (the shape of
 * a multi-element answer is not documented, reference §4).
 */
export function resultsPerDocument(text: string, root: string, count: number): SinkResult[] {
  const empty = Array.from({ length: count }, () => ({}));
  if (text.trim() === '') return empty;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return empty;
  }
  const results = isObject(body) && 'results' in body ? body.results : body;
  const inner = isObject(results) ? (results[root] ?? Object.values(results)[0]) : undefined;
  if (Array.isArray(inner) && inner.length === count)
    return inner.map((v) => (isObject(v) ? strings(v) : {}));
  if (isObject(inner) && count === 1) return [strings(inner)];
  return empty;
}

/**
 * The AFAS Sink: one UpdateConnector request per batch (`Element: [...]` for several), sent
 * through the client's transport (auth, timeout, the environment's in-flight cap).
 */
export function createAfasSink(options: AfasSinkOptions): Sink {
  const { client, root } = options;
  return {
    async send(batch: Batch): Promise<SinkResult[]> {
      const request = options.build(batch);
      const body = request.body === undefined ? undefined : JSON.stringify(request.body);
      const { text } = await client.request(request.method, request.path, body === undefined ? {} : { body });
      return resultsPerDocument(text, root, batch.length);
    },
  };
}
