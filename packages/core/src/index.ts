export { type FieldValue, JsonNumber, type RecordOrigin, type SourceRecord } from './record.js';
