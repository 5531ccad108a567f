import { AfasResponseError, AfasUnverifiedAnswerError } from './errors.js';

/** Keys AFAS returned per root object, e.g. `{ FiEntryPar: { UnId: '1', EnNo: '54605' } }`. */
export type UpdateResults = Record<string, Record<string, string>>;

/** Keys per element of one UpdateConnector request (empty objects where AFAS returned none). */
export type ElementResults = Array<Record<string, string>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringify(inner: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inner).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
  );
}

/** The answer of an UpdateConnector request, as received. */
export interface UpdateAnswerInput {
  method: string;
  /** Request URL (no credentials). */
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

/** A checked UpdateConnector answer. */
export interface UpdateAnswer {
  status: number;
  /** The `results` object (or the unwrapped form), inner values as strings; null for an empty body. */
  results: UpdateResults | null;
  /** The parsed body (`undefined` for an empty one), for per-element results of a batch. */
  body: unknown;
}

/**
 * Check an UpdateConnector answer against what Profit sends (reference §4): 200 or 201, and a body
 * that is empty or JSON with a `results` object (`{"results": {Root: {...}}}`; the unwrapped
 * `{Root: {...}}` some how-tos show is accepted too). Anything else — another 2xx, an HTML page
 * (a proxy's login page), a body that does not parse, JSON without results — throws
 * AfasUnverifiedAnswerError: the write may or may not have reached Profit.
 */
export function checkUpdateAnswer(answer: UpdateAnswerInput): UpdateAnswer {
  const contentType = answer.headers.get('content-type') ?? undefined;
  const unverified = (problem: string) =>
    new AfasUnverifiedAnswerError({
      method: answer.method,
      url: answer.url,
      status: answer.status,
      contentType,
      body: answer.text,
      problem,
    });
  const trimmed = answer.text.trim();
  if (/\bhtml\b/i.test(contentType ?? '') || /^<(!doctype|html|head|body)\b/i.test(trimmed)) {
    throw unverified('an HTML page');
  }
  if (answer.status !== 200 && answer.status !== 201) {
    throw unverified(`a status AFAS does not send for ${answer.method}`);
  }
  // Profit answers 200 with no body for PUT and DELETE, and some connectors do for POST (§4).
  if (trimmed === '') return { status: answer.status, results: null, body: undefined };
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    throw unverified('a body that is not JSON');
  }
  if (!isRecord(body)) throw unverified('JSON that is not an object');
  const candidate = 'results' in body ? body.results : body;
  if (!isRecord(candidate)) throw unverified('JSON whose results is not an object');
  const entries = Object.entries(candidate);
  const shaped = entries.every(
    ([, inner]) => isRecord(inner) || (Array.isArray(inner) && inner.every((one) => isRecord(one))),
  );
  if (!('results' in body) && (entries.length === 0 || !shaped)) throw unverified('JSON without results');
  if (!shaped) throw unverified('results that are not objects per root');
  const results: UpdateResults = {};
  for (const [root, inner] of entries) {
    if (isRecord(inner)) results[root] = stringify(inner);
  }
  return { status: answer.status, results: Object.keys(results).length > 0 ? results : null, body };
}

/**
 * Results per element of a checked answer. A single element gets the root's keys; a batch gets
 * one entry per element when AFAS returns an array in element order, otherwise empty entries
 * (the shape of a multi-element answer is not documented, reference §4).
 */
export function resultsPerElement(answer: UpdateAnswer, root: string, count: number): ElementResults {
  const empty = Array.from({ length: count }, () => ({}));
  const body = answer.body;
  if (!isRecord(body)) return empty;
  const results = 'results' in body ? body.results : body;
  const inner = isRecord(results) ? (results[root] ?? Object.values(results)[0]) : undefined;
  if (Array.isArray(inner) && inner.length === count)
    return inner.map((v) => (isRecord(v) ? stringify(v) : {}));
  if (isRecord(inner) && count === 1) return [stringify(inner)];
  return empty;
}

/**
 * Parse an UpdateConnector response body: `{"results": {Root: {...}}}`, the same without the
 * `results` wrapper, or an empty body (-> null). Inner values are returned as strings. For a
 * checked answer (status, content-type, shape) use `checkUpdateAnswer`.
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
