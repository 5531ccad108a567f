/**
 * `@koppel/core/job`: loading and checking a job without the pipeline, the ledger, the outputs or
 * the job-test runner, for `koppel validate` (whose start-up would otherwise load all of
 * `@koppel/core`, ~130 modules and node:crypto). The same modules as the main entry's, so classes
 * such as JobInvalidError are one and the same; types come from `@koppel/core`.
 */
export { loadExtractJob, resolveSourceConnection } from './extract/load-extract-job.js';
export { tokenOriginOf } from './job/connection-origins.js';
export { formatProblem, JobInvalidError } from './job/errors.js';
export { getConnectorFieldProblems } from './job/get-connector-problems.js';
export { jobKind } from './job/job-kind.js';
export { jobLanguage } from './job/job-language.js';
export { loadJob } from './job/load-job.js';
export { fixtureMetainfoProvider } from './job-test/fixture-metainfo.js';
export { loadTestFile } from './job-test/load-test-file.js';
export { compileJob } from './mapping/compile-job.js';
export { codeProblems, inputColumnProblems } from './plan/check-job-input.js';
