import type { AfasClient, FilterCondition } from '@koppel/afas';
import type { PipelineDocument, SinkResult, Verifier } from '@koppel/core';
import { VerifyAmbiguousError } from './errors.js';
import { compileFilterTemplate } from './render-template.js';

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
 * equality filter. Rows that all give the same result (the lines of one journal entry): found.
 * None: not there (resend). Different entries: the filter is not selective enough; the record stays uncertain.
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
      const page = await options.client.get(options.getConnector, { filter, take: 100 });
      if (page.rows.length === 0) return undefined;
      const picked = page.rows.map((row) => pick(row as Record<string, unknown>, options.result));
      const distinct = new Set(picked.map((result) => JSON.stringify(result)));
      if (distinct.size > 1) {
        throw new VerifyAmbiguousError(
          `verify: ${options.getConnector} has ${distinct.size} different entries for record ${document.key} (${filter.map((c) => `${c.field}=${c.value}`).join(', ')}); make verify.filter select one entry`,
        );
      }
      return picked[0];
    },
  };
}

/** The result of a found row: the `result` mapping, or every column. */
function pick(
  row: Record<string, unknown>,
  result: Readonly<Record<string, string>> | undefined,
): SinkResult {
  const entries = result
    ? Object.entries(result).map(([key, field]) => [key, row[field]])
    : Object.entries(row);
  return Object.fromEntries(
    entries.map(([key, value]) => [key, value === null || value === undefined ? '' : String(value)]),
  );
}

/**
 * `verify.rounds` of a job, KOPPEL_VERIFY_ROUNDS overriding it (tests); nothing when neither is
 * set (the pipeline's default, 3, applies).
 */
export function verifyRoundsOf(
  env: NodeJS.ProcessEnv,
  verify: { rounds?: number } | undefined,
): { verifyRounds?: number } {
  const fromEnv = Number.parseInt(env.KOPPEL_VERIFY_ROUNDS ?? '', 10);
  const rounds = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : verify?.rounds;
  return rounds === undefined ? {} : { verifyRounds: rounds };
}

/** A job's `verify:` section, as the job language writes it. */
export interface JobVerify {
  get_connector: string;
  filter: Record<string, string>;
  result?: Record<string, string>;
}

/**
 * The lookup of a job's `verify:` through `client` (koppel run and AFAS-to-AFAS alike); undefined
 * without one. `file` names the job in errors of its filter templates.
 */
export function jobVerifier(
  client: AfasClient,
  verify: JobVerify | undefined,
  file: string,
): Verifier | undefined {
  if (!verify) return undefined;
  return createAfasVerifier({
    client,
    getConnector: verify.get_connector,
    filter: Object.fromEntries(
      Object.entries(verify.filter).map(([field, template]) => [
        field,
        compileFilterTemplate(template, `${file}: verify.filter.${field}`),
      ]),
    ),
    ...(verify.result && Object.keys(verify.result).length > 0 ? { result: verify.result } : {}),
  });
}
