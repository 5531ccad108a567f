/**
 * Switches for the points where public evidence about Profit is missing or conflicting
 * (reference "unknowns"). Defaults follow the reference's best guess.
 */
export interface FidelityOptions {
  /** HTTP status for an AfasToken sent as plain text instead of base64; default 500 (Profit 6+), 401 for older Profit. */
  plainTextTokenStatus?: 500 | 401;
  /** Match connector ids regardless of case; default false (exact case, reference §1.2). */
  ignoreConnectorCase?: boolean;
  /** Status and JSON body for an UpdateConnector body that is not valid JSON; default 400 `{"message":"Invalid json"}`. */
  invalidJson?: { status: number; body: unknown };
  /** Send the obsolete `X-Profit-Error` header (base64 of externalMessage) on errors; default true. */
  profitErrorHeader?: boolean;
  /** Largest accepted request body in bytes; default 78643200 (75 MiB); larger answers 413. */
  maxRequestBytes?: number;
  /** Longest accepted query string in characters after `?`; default 2048 (2049 with the `?`); longer answers 404. */
  maxQueryLength?: number;
  /** Rows per GetConnector page when `take` is absent; default 100. */
  defaultTake?: number;
  /** Status for a GetConnector that is not in the App Connector; default 500 (OAS-ts; HELP-resp says 401). */
  getConnectorDeniedStatus?: 500 | 401;
  /** Reset the connection of a request sent with `Connection: close` ("connection reset by peer", OAS-ts); default false. */
  connectionCloseResets?: boolean;
}

export type Fidelity = Required<FidelityOptions>;

export function resolveFidelity(options: FidelityOptions = {}): Fidelity {
  return {
    plainTextTokenStatus: options.plainTextTokenStatus ?? 500,
    ignoreConnectorCase: options.ignoreConnectorCase ?? false,
    invalidJson: options.invalidJson ?? { status: 400, body: { message: 'Invalid json' } },
    profitErrorHeader: options.profitErrorHeader ?? true,
    maxRequestBytes: options.maxRequestBytes ?? 75 * 1024 * 1024,
    maxQueryLength: options.maxQueryLength ?? 2048,
    defaultTake: options.defaultTake ?? 100,
    getConnectorDeniedStatus: options.getConnectorDeniedStatus ?? 500,
    connectionCloseResets: options.connectionCloseResets ?? false,
  };
}

/** Finds `id` in `candidates`: exact, or ignoring case when the fidelity switch says so. */
export function resolveId(id: string, candidates: Iterable<string>, ignoreCase: boolean): string | undefined {
  const lower = id.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === id || (ignoreCase && candidate.toLowerCase() === lower)) return candidate;
  }
  return undefined;
}
