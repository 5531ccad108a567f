export { afasClassify, type ClassifyContext } from './afas-classify.js';
export { type AfasSinkOptions, createAfasSink, type SinkRequest } from './afas-sink.js';
export { type AfasVerifierOptions, createAfasVerifier } from './afas-verifier.js';
export { type ForgetSummary, forgetDeliveries, isoTimeOf, keysOf } from './delivery/forget.js';
export {
  defaultDeliveryMode,
  type JobDelivery,
  jobDelivery,
} from './delivery/job-delivery.js';
export { LmdbDeliveryStore, type LmdbDeliveryStoreOptions } from './delivery/lmdb-delivery-store.js';
export {
  DeliveryStoreError,
  ExecutorOptionsError,
  RunSetupError,
  VerifyAmbiguousError,
} from './errors.js';
export {
  connectorTypes,
  extractStateStore,
  type JobKind,
  jobFilter,
  jobKind,
  type PrepareAfasToAfasOptions,
  prepareAfasToAfasRun,
  type RunExtractOptions,
  readOptions,
  runExtract,
} from './extract/index.js';
export { FileLedger, type FileLedgerOptions, type LedgerCounts } from './file-ledger.js';
export { formatClock, formatDuration, formatLocalTime } from './format-time.js';
export {
  createInProcessExecutor,
  type InProcessExecutorOptions,
  MAX_CONCURRENCY,
} from './in-process-executor.js';
export {
  type InputOverride,
  inputRecords,
  type LoadRunJobOptions,
  loadRunJob,
  type OutputSpec,
  type RunJob,
  type VerifySpec,
} from './job-extras.js';
export { MachineSlots, type MachineSlotsOptions } from './machine-slots.js';
export { type PrepareJobRunOptions, prepareJobRun } from './prepare-job-run.js';
export {
  type DeliveryRunIdentity,
  deliveryIdentityHash,
  deliveryRunIdentity,
  identityHash,
  makeRunId,
  type RunIdentity,
  runIdentity,
} from './run-id.js';
export { type ProgressRenderer, RunLog, type RunLogOptions } from './run-log.js';
export { buildReport, formatReport, type RunFiles, type RunReport } from './run-report.js';
export {
  deliveryScopeOf,
  type RunSessionOptions,
  type RunSessionResult,
  runSession,
} from './run-session.js';
export type { OutputPaths, RejectsWriter, RunSpec } from './run-spec.js';
export { etaMs, type ProgressFigures, RunStats } from './run-stats.js';
export { type RunMeta, type RunStatus, RunStore } from './run-store.js';
export {
  type ResolvedStateDir,
  resolveStateDir,
  type StateDirInput,
  type StateDirSource,
  stateDirOf,
} from './state-dir.js';
