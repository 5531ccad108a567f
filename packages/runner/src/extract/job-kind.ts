// The kind of a job file is decided in @koppel/core (validate needs it without loading the runner).
export { type JobKind, jobKind } from '@koppel/core';
