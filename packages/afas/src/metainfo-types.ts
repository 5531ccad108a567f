import type { UpdateFieldMeta, UpdateObjectMeta } from '@koppel/core';

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

// The update metainfo shapes are @koppel/core's (the mapping reads them); the client returns them.
export type { CodeValue, UpdateMetainfo } from '@koppel/core';

/** An UpdateConnector field (`/metainfo/update/{id}`): core's `UpdateFieldMeta`. */
export type UpdateField = UpdateFieldMeta;

/** A (nested) object of an UpdateConnector: core's `UpdateObjectMeta`. */
export type UpdateObject = UpdateObjectMeta;
