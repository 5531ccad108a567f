/** One connector in `/metainfo`. */
export interface ConnectorInfo {
  id: string;
  description: string;
}

/** `GET /metainfo`: the connectors of the token's App Connector. */
export interface AppMetainfo {
  updateConnectors: ConnectorInfo[];
  getConnectors: ConnectorInfo[];
  info?: { envid: string; appName: string; group: string; tokenExpiry: string };
}

/** Data types seen in metainfo. */
export type AfasDataType = 'string' | 'int' | 'long' | 'decimal' | 'boolean' | 'date' | 'blob';

/** A GetConnector column (`/metainfo/get/{id}`). */
export interface GetField {
  /** Column name used in rows, filters and orderbyfieldids. */
  id: string;
  fieldId: string;
  dataType: AfasDataType | string;
  label: string;
  length: number;
  controlType: number;
  decimals: number;
  decimalsFieldId: string;
}

/** `GET /metainfo/get/{id}`. */
export interface GetMetainfo {
  name: string;
  description: string;
  fields: GetField[];
}

/** A code-table value of an update field. */
export interface CodeValue {
  id: string;
  description: string;
}

/** An UpdateConnector field (`/metainfo/update/{id}`). */
export interface UpdateField {
  fieldId: string;
  primaryKey: boolean;
  dataType: AfasDataType | string;
  label: string;
  mandatory: boolean;
  length: number;
  decimals: number;
  decimalFieldId: string;
  notzero: boolean;
  controlType: number;
  values: CodeValue[] | null;
}

/** A (nested) object of an UpdateConnector. */
export interface UpdateObject {
  name: string;
  fields: UpdateField[];
  objects: UpdateObject[];
}

/** `GET /metainfo/update/{id}`; `name` is the JSON root (FiEntries -> FiEntryPar). */
export interface UpdateMetainfo extends UpdateObject {
  id: string;
  description: string;
}
