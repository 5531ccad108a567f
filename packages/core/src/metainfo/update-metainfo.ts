import type { Language } from '../job/connections.js';

/** One allowed value of a coded field: the code sent to AFAS and its description in the metainfo language. */
export interface CodeValue {
  id: string;
  description: string;
}

/** A field of `GET /metainfo/update/{connector}` (reference §2.3), key spellings as AFAS sends them. */
export interface UpdateFieldMeta {
  fieldId: string;
  /** Sent as an `@FieldId` attribute on the Element instead of inside Fields. */
  primaryKey: boolean;
  /** string, int, long, decimal, boolean, date, blob, … */
  dataType: string;
  /** Label in the metainfo language; used in every message about the field. */
  label: string;
  /** Must be present on insert. */
  mandatory: boolean;
  /** Maximum length in characters (strings); 0 when not given. */
  length: number;
  /** Digits after the decimal point (decimals); 0 when not given. */
  decimals: number;
  decimalFieldId: string;
  /** Zero is not allowed. */
  notzero: boolean;
  controlType: number;
  /** The allowed codes of a coded field, or null. */
  values: CodeValue[] | null;
}

/** A nested object of update metainfo. */
export interface UpdateObjectMeta {
  name: string;
  fields: UpdateFieldMeta[];
  objects: UpdateObjectMeta[];
}

/** The whole metainfo document. `name` is the JSON root object (FiEntries -> FiEntryPar). */
export interface UpdateMetainfo extends UpdateObjectMeta {
  id: string;
  description: string;
}

/** Where the mapping gets update metainfo from: the AFAS client, the simulator, or a recorded fixture. */
export interface MetainfoProvider {
  /** The metainfo of an UpdateConnector in a language; rejects with an Error when unavailable. */
  update(connectorId: string, language: Language): Promise<UpdateMetainfo>;
}
