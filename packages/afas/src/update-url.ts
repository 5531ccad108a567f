import { AfasQueryError } from './errors.js';

/** One level of a DELETE path: the element name and its key values. */
export interface DeleteLevel {
  /** Element (object) name; at the top level the root object name (FiEntryPar for FiEntries). */
  element: string;
  /** Key fields and values, in order (names with or without a leading `@`). */
  keys: Record<string, string | number>;
  /** Prefix key names with `@`; default true (set false for forms like `/UnId,JoCo/1,73`). */
  at?: boolean;
}

/** Percent-encode a path segment, keeping `@` (legal in paths and part of the key syntax). */
const seg = (text: string) => encodeURIComponent(text).replace(/%40/g, '@');

function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || name === '' || /[/?#]/.test(name)) {
    throw new AfasQueryError(
      `Expected ${kind} to be a name without "/", "?" or "#", got ${JSON.stringify(name)}.`,
    );
  }
  return name;
}

/** `/connectors/{connector}` or `/connectors/{connector}/{subObject}` (POST/PUT). */
export function connectorPath(connector: string, subObject?: string): string {
  const base = `/connectors/${seg(checkName('the connector id', connector))}`;
  return subObject === undefined ? base : `${base}/${seg(checkName('the sub-object', subObject))}`;
}

/**
 * `DELETE /connectors/{Conn}/{Element}/{@K1,@K2}/{v1,v2}[/{Sub}/{@K}/{v}]` (reference §3.1). Key
 * names are comma-joined, values comma-joined in the same order.
 */
export function deletePath(connector: string, levels: DeleteLevel[]): string {
  if (levels.length === 0)
    throw new AfasQueryError('Expected at least one element level for a DELETE, got none.');
  const parts = [connectorPath(connector)];
  for (const level of levels) {
    const entries = Object.entries(level.keys ?? {});
    if (entries.length === 0) {
      throw new AfasQueryError(`Expected key fields for element ${level.element} of the DELETE, got none.`);
    }
    const names = entries.map(([name]) => {
      const bare = name.replace(/^@/, '');
      checkName('a key field', bare);
      return level.at === false ? bare : `@${bare}`;
    });
    const values = entries.map(([name, value]) => {
      const text = String(value);
      if (text === '' || text.includes(',')) {
        throw new AfasQueryError(
          `Expected the DELETE key ${name} to be non-empty and without ",", got ${JSON.stringify(text)}.`,
        );
      }
      return seg(text);
    });
    parts.push(seg(checkName('the element', level.element)), names.map(seg).join(','), values.join(','));
  }
  return parts.join('/');
}
