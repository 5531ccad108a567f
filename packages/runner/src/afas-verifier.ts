import type { AfasClient, FilterCondition } from '@koppel/afas';
import type { PipelineDocument, SinkResult, Verifier } from '@koppel/core';
import { VerifyAmbiguousError } from './errors.js';

export interface AfasVerifierOptions {
  client: AfasClient;
  /** GetConnector to look records up in (`verify.get_connector`). */
  getConnector: string;
  /** GetConnector field -> value for a document (`verify.filter`, templates rendered); all must match. */
  filter: Readonly<Record<string, (document: PipelineDocument) => string>>;
  /** Result key -> GetConnector field copied into the results (`verify.result`); default every column of the row. */
  result?: Readonly<Record<string, string>>;
}

/**
 * Settles an uncertain record by looking it up (`verify:`): one GetConnector call with an
 * equality filter, take 2. One row: found, its keys become the result. None: not there (resend).
 * Two or more: the filter is not selective enough; the error keeps the record uncertain.
 */
export function createAfasVerifier(options: AfasVerifierOptions): Verifier {
  const fields = Object.entries(options.filter);
  return {
    async find(document: PipelineDocument): Promise<SinkResult | undefined> {
      const filter: FilterCondition[] = fields.map(([field, value]) => ({
        field,
        op: '=',
        value: value(document),
      }));
      const page = await options.client.get(options.getConnector, { filter, take: 2 });
      if (page.rows.length === 0) return undefined;
      if (page.rows.length > 1) {
        throw new VerifyAmbiguousError(
          `verify: ${options.getConnector} has ${page.rows.length}+ rows for record ${document.key} (${filter.map((c) => `${c.field}=${c.value}`).join(', ')}); make verify.filter select one entry`,
        );
      }
      const row = page.rows[0] as Record<string, unknown>;
      const picked = options.result
        ? Object.entries(options.result).map(([k, f]) => [k, row[f]])
        : Object.entries(row);
      return Object.fromEntries(picked.map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
    },
  };
}
