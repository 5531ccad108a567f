export { connectorTypes, jobFilter, readOptions } from './get-connector-spec.js';
export { type JobKind, jobKind } from './job-kind.js';
export { type PrepareAfasToAfasOptions, prepareAfasToAfasRun } from './prepare-afas-to-afas.js';
export { extractStateStore, type RunExtractOptions, runExtract } from './run-extract.js';
