export { type BatchHandlerOptions, createBatchHandler } from './pipeline/batch-handler.js';
export {
  type AutoBatchOptions,
  autoBatchSizer,
  type BatchSizer,
  fixedBatchSizer,
  MAX_REQUEST_BYTES,
} from './pipeline/batch-sizer.js';
export { batchesOf } from './pipeline/batches.js';
export { type ControlTotal, ControlTotals } from './pipeline/control-totals.js';
export type { Classify, Decision, DecisionAction } from './pipeline/decision.js';
export type { Batch, MappedItem, PipelineDocument, PipelineReject } from './pipeline/document.js';
export { LedgerError, RunStoppedError } from './pipeline/errors.js';
export type { BatchHandler, ExecuteOptions, Executor, ExecutorContext } from './pipeline/executor.js';
export type { Ledger, LedgerEntry, LedgerSourceRecord, RecordState } from './pipeline/ledger.js';
export type { PipelineEvent, PipelineListener } from './pipeline/pipeline-event.js';
export { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy, sleep } from './pipeline/retry-policy.js';
export { type PipelineOptions, type PipelineOutcome, runPipeline } from './pipeline/run-pipeline.js';
export type { Sink, SinkResult, Verifier } from './pipeline/sink.js';
export { type VerifyOutcome, verifyDocument } from './pipeline/verify-document.js';
export { type FieldValue, JsonNumber, type RecordOrigin, type SourceRecord } from './record.js';
