import { AfasResponseError } from './errors.js';

/** Keys AFAS returned per root object, e.g. `{ FiEntryPar: { UnId: '1', EnNo: '54605' } }`. */
export type UpdateResults = Record<string, Record<string, string>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringify(inner: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inner).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
  );
}

/**
 * Parse an UpdateConnector response body: `{"results": {Root: {...}}}`, the same without the
 * `results` wrapper, or an empty body (-> null). Inner values are returned as strings.
 */
export function parseUpdateResults(text: string): UpdateResults | null {
  if (text.trim() === '') return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new AfasResponseError(
      `Expected a JSON body (or none) from the UpdateConnector, got ${text.length} characters of non-JSON.`,
      { cause: error },
    );
  }
  if (!isRecord(body)) return null;
  const candidate = 'results' in body ? body.results : body;
  if (!isRecord(candidate)) return null;
  const out: UpdateResults = {};
  for (const [root, inner] of Object.entries(candidate)) {
    if (isRecord(inner)) out[root] = stringify(inner);
  }
  return Object.keys(out).length > 0 ? out : null;
}
