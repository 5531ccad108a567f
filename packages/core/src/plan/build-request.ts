import type { CompiledJob } from '../mapping/compile-job.js';
import type { PipelineDocument } from '../pipeline/document.js';

/** One HTTP request as it would be sent: the path is relative to the connection's base URL. */
export interface PlannedRequest {
  method: 'POST' | 'PUT' | 'DELETE';
  /** E.g. `/connectors/FiEntries` or `/connectors/KnSubject/KnSubject/@SbId/123`. */
  path: string;
  /** JSON body; undefined for DELETE. */
  body?: unknown;
}

/**
 * The request for a batch of documents: `{ <root>: { Element: el | [el, …] } }` to
 * POST/PUT `/connectors/{connector}[/{sub_object}]`; DELETE takes one document and puts its
 * `@Key` attributes in the URL (reference §3.1).
 */
export function buildRequest(compiled: CompiledJob, documents: readonly PipelineDocument[]): PlannedRequest {
  const connector = encodeURIComponent(compiled.connector);
  if (compiled.method === 'delete') {
    if (documents.length !== 1)
      throw new Error(`a DELETE request takes one document, got ${documents.length}`);
    const element = (documents[0]?.element ?? {}) as Record<string, unknown>;
    const keys = Object.keys(element).filter((name) => name.startsWith('@'));
    const names = keys.join(',');
    const values = keys.map((name) => encodeURIComponent(String(element[name]))).join(',');
    return {
      method: 'DELETE',
      path: `/connectors/${connector}/${encodeURIComponent(compiled.root)}/${names}/${values}`,
    };
  }
  const elements = documents.map((document) => document.element);
  const body = { [compiled.root]: { Element: elements.length === 1 ? elements[0] : elements } };
  if (compiled.method === 'insert_sub') {
    return {
      method: 'POST',
      path: `/connectors/${connector}/${encodeURIComponent(compiled.subObject ?? '')}`,
      body,
    };
  }
  return { method: compiled.method === 'update' ? 'PUT' : 'POST', path: `/connectors/${connector}`, body };
}
