import type { AfasClient } from '@koppel/afas';
import { connectorPath } from '@koppel/afas';
import type { Batch, Sink, SinkResult } from '@koppel/core';

/** The UpdateConnector methods of `target.method`. */
export type SinkMethod = 'insert' | 'update' | 'insert_sub' | 'delete';

export interface AfasSinkOptions {
  client: AfasClient;
  /** UpdateConnector id, e.g. FiEntries. */
  connector: string;
  /** JSON root object from update metainfo, e.g. FiEntryPar. */
  root: string;
  method: SinkMethod;
  /** The sub-object of `insert_sub`, e.g. KnBasicAddressAdr. */
  subObject?: string;
}

const VERB = { insert: 'POST', insert_sub: 'POST', update: 'PUT', delete: 'DELETE' } as const;

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

/** `@Key` attributes of an element, for DELETE URLs. */
function deleteKeys(element: unknown): { names: string[]; values: string[] } {
  const entries = Object.entries(isObject(element) ? element : {}).filter(([k]) => k.startsWith('@'));
  return { names: entries.map(([k]) => k), values: entries.map(([, v]) => String(v)) };
}

/**
 * The AFAS Sink: one UpdateConnector request per batch (`Element: [...]` for several), through
 * the client's transport (auth, timeout, in-flight cap). DELETE carries no body, so it takes
 * batches of one document.
 */
export function createAfasSink(options: AfasSinkOptions): Sink {
  const { client, connector, root, method } = options;
  const path = connectorPath(connector, method === 'insert_sub' ? options.subObject : undefined);
  return {
    async send(batch: Batch): Promise<SinkResult[]> {
      if (method === 'delete') {
        const { names, values } = deleteKeys(batch[0]?.element);
        const segs = [root, names.join(','), values.join(',')].map(encodeURIComponent).join('/');
        await client.request('DELETE', `${path}/${segs}`);
        return batch.map(() => ({}));
      }
      const elements = batch.map((doc) => doc.element);
      const body = JSON.stringify({ [root]: { Element: elements.length === 1 ? elements[0] : elements } });
      const { text } = await client.request(VERB[method], path, { body });
      return resultsPerDocument(text, root, batch.length);
    },
  };
}
