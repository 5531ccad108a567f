import type { SimDatabase } from './db.js';
import type { Language, Texts } from './language.js';

/**
 * The contract between the simulator's HTTP layer and its UpdateConnector engine.
 * The HTTP layer authenticates, checks the App Connector, parses the body (UTF-8, invalid bytes
 * as `?`, 413 past 75 MB, bad JSON), applies faults, and renders ProfitFaults as §5 error bodies.
 * The engine owns everything below: metainfo/update documents, payload normalisation,
 * validation, writes (inside `db.transaction`) and the 200/201 response bodies.
 */

/** A field of `/metainfo/update/{id}`, with the exact key spellings of reference §2.3. */
export interface UpdateFieldMeta {
  fieldId: string;
  primaryKey: boolean;
  dataType: 'string' | 'int' | 'long' | 'decimal' | 'boolean' | 'date' | 'blob';
  label: string;
  mandatory: boolean;
  length: number;
  decimals: number;
  decimalFieldId: string;
  notzero: boolean;
  controlType: number;
  values: { id: string; description: string }[] | null;
}

/** A nested object of update metainfo. */
export interface UpdateObjectMeta {
  name: string;
  fields: UpdateFieldMeta[];
  objects: UpdateObjectMeta[];
}

/** The whole `/metainfo/update/{id}` document. `name` is the JSON root (FiEntries -> FiEntryPar). */
export interface UpdateMetainfo extends UpdateObjectMeta {
  id: string;
  description: string;
}

export interface UpdateRequest {
  /** Connector id exactly as the engine lists it (the HTTP layer resolves case). */
  connector: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /**
   * Decoded path segments after the connector id: `[]` for POST/PUT on the connector,
   * `[SubObject]` for an insert-sub-object POST, and for DELETE the element/keys/values
   * segments of §3.1, e.g. `['FiEntryPar', 'UnId,JoCo', '1,73', 'FiEntries', '@EnNo', '70001']`.
   */
  rest: string[];
  /** Parsed JSON body (undefined for DELETE). */
  body: unknown;
  language: Language;
  db: SimDatabase;
}

export interface UpdateResponse {
  status: 200 | 201;
  /** JSON body; undefined means an empty body. */
  body?: unknown;
}

export interface UpdateEngine {
  /** Every UpdateConnector the engine implements, for `/metainfo` listings. */
  connectors(): { id: string; description: Texts }[];
  /** The metainfo document in a language, or undefined for an unknown connector. */
  metainfo(connector: string, language: Language): UpdateMetainfo | undefined;
  /**
   * Validates and applies a request as one transaction. Throws ProfitFault for anything Profit
   * answers with a 500 (validation, unknown value, blocked period, unbalanced entry, …) or with
   * another status (e.g. 400 for a body of the wrong shape); never throws anything else for bad input.
   */
  execute(request: UpdateRequest): UpdateResponse;
}
