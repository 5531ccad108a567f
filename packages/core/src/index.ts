export { type DecodeOptions, decodeBytes } from './encoding/decode-bytes.js';
export { createTextEncoder, type TextEncoder } from './encoding/encode-text.js';
export { type ScanOptions, scanInput } from './encoding/scan-input.js';
export { type DetectedEncoding, describeEncoding, type EncodingReason } from './encoding/sniff-encoding.js';
export {
  bomBytes,
  type EncodingOption,
  type InvalidBytesPolicy,
  parseEncodingOption,
  TEXT_ENCODINGS,
  type TextEncoding,
} from './encoding/text-encoding.js';
export { parseDuration } from './extract/duration.js';
export { ExtractError, StateError } from './extract/errors.js';
export { type ExtractReport, formatExtractReport } from './extract/extract-report.js';
export {
  type ExtractFormat,
  type ExtractWriter,
  type ExtractWriterOptions,
  extractFormat,
  openExtractWriter,
} from './extract/extract-writer.js';
export {
  checkIncrementalState,
  type IncrementalState,
  IncrementalTracker,
  type IncrementalTrackerOptions,
} from './extract/incremental.js';
export {
  type ExtractJob,
  type LoadedExtractJob,
  loadExtractJob,
  parseExtractJob,
  resolveSourceConnection,
} from './extract/load-extract-job.js';
export {
  type ExtractCell,
  type ExtractPart,
  type ExtractRowFormat,
  extractRowFormatter,
  openPartedWriter,
  type PartedWriter,
  type PartedWriterOptions,
} from './extract/parted-writer.js';
export { tokenOriginOf } from './job/connection-origins.js';
export {
  baseUrlOf,
  type ConnectionLookupOptions,
  connectionFiles,
  type Language,
  type ResolvedConnection,
} from './job/connections.js';
export {
  ColumnMissingError,
  ConnectionError,
  formatProblem,
  JobFileError,
  JobInvalidError,
  type JobProblem,
  MetainfoError,
} from './job/errors.js';
export {
  type GetConnectorAt,
  getConnectorFieldProblems,
} from './job/get-connector-problems.js';
export { type JobKind, jobKind } from './job/job-kind.js';
export { jobSchema } from './job/job-schema.js';
export type {
  Codes,
  Connection,
  Element as JobElement,
  File_output as JobFileOutput,
  Get_condition as JobGetCondition,
  Get_connector as JobGetConnector,
  Incremental as JobIncremental,
  Job,
  Run as JobRun,
  Source as JobSource,
  Target as JobTarget,
  Value as JobValue,
  ValueSpec as JobValueSpec,
} from './job/job-types.generated.js';
export { type LoadedJob, type LoadJobOptions, loadJob, parseJob } from './job/load-job.js';
export { findTestFiles } from './job-test/find-test-files.js';
export {
  fixtureMetainfoProvider,
  fixturePath,
  recordingMetainfoProvider,
} from './job-test/fixture-metainfo.js';
export { countResults, formatTestResults } from './job-test/format-test-results.js';
export { alignKeys, type Difference, firstDifference, unifiedDiff } from './job-test/json-diff.js';
export {
  type ExpectedReject,
  type ExpectedRequest,
  type JobTestCase,
  type JobTestFile,
  loadTestFile,
  parseTestFile,
} from './job-test/load-test-file.js';
export { type ColumnMatch, matchColumns, matchScore } from './job-test/match-columns.js';
export { type InitJob, type InitJobOptions, renderInitJob } from './job-test/render-init-job.js';
export {
  type CaseResult,
  jobLanguage,
  type RunJobTestsOptions,
  runJobTests,
  type TestFileResult,
} from './job-test/run-job-tests.js';
export { jobTestSchema } from './job-test/test-file-schema.js';
export type { CompiledElement } from './mapping/compile-element.js';
export {
  type CompiledJob,
  type CompileJobOptions,
  compileJob,
  type JobMethod,
} from './mapping/compile-job.js';
export { compileDatePattern } from './mapping/date-pattern.js';
export { parseBoolean } from './mapping/parse-boolean.js';
export { parseDecimal } from './mapping/parse-decimal.js';
export { charLength, truncateChars } from './mapping/truncate.js';
export { staticMetainfoProvider } from './metainfo/static-metainfo-provider.js';
export type {
  CodeValue,
  MetainfoProvider,
  UpdateFieldMeta,
  UpdateMetainfo,
  UpdateObjectMeta,
} from './metainfo/update-metainfo.js';
export { AtomicFile } from './outputs/atomic-file.js';
export { cellText, formatCsvRow } from './outputs/csv-format.js';
export { type CsvWriter, type CsvWriterOptions, createCsvWriter } from './outputs/csv-writer.js';
export { createJsonArrayWriter, type JsonArrayWriterOptions } from './outputs/json-array-writer.js';
export { jsonText } from './outputs/json-text.js';
export { createJsonlWriter, type JsonlWriterOptions } from './outputs/jsonl-writer.js';
export type { OutputWriter } from './outputs/output-writer.js';
export {
  createRejectsWriter,
  type Rejection,
  type RejectsSource,
  type RejectsWriter,
  type RejectsWriterOptions,
} from './outputs/rejects-writer.js';
export { type BatchHandlerOptions, createBatchHandler } from './pipeline/batch-handler.js';
export {
  type AutoBatchOptions,
  autoBatchSizer,
  type BatchSizer,
  batchSizerOf,
  fixedBatchSizer,
  MAX_REQUEST_BYTES,
} from './pipeline/batch-sizer.js';
export { batchesOf } from './pipeline/batches.js';
export {
  type ControlTotal,
  ControlTotals,
  type GroupReconciliation,
  reconcileTotals,
} from './pipeline/control-totals.js';
export type { Classify, Decision, DecisionAction } from './pipeline/decision.js';
export {
  canonicalJson,
  type DeliveryMode,
  type DeliveryRecord,
  type DeliveryScope,
  type DeliveryState,
  type DeliveryStore,
  type DeliveryVerdict,
  deliveryVerdict,
  environmentIdentity,
  type ForgetFilter,
  type ForgottenRecord,
  payloadHash,
  type RunDelivery,
} from './pipeline/delivery.js';
export type { Batch, MappedItem, PipelineDocument, PipelineReject } from './pipeline/document.js';
export { LedgerError, RunStoppedError } from './pipeline/errors.js';
export type { BatchHandler, ExecuteOptions, Executor, ExecutorContext } from './pipeline/executor.js';
export { HashSpill, type HashSpillOptions } from './pipeline/hash-spill.js';
export { keyHash } from './pipeline/key-lines.js';
export type { Ledger, LedgerEntry, LedgerSourceRecord, RecordState, ResultScope } from './pipeline/ledger.js';
export type { PipelineEvent, PipelineListener } from './pipeline/pipeline-event.js';
export { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy, sleep } from './pipeline/retry-policy.js';
export { type PipelineOptions, type PipelineOutcome, runPipeline } from './pipeline/run-pipeline.js';
export type { Sink, SinkResult, SinkResults, Verifier } from './pipeline/sink.js';
export {
  DEFAULT_VERIFY_ROUNDS,
  lookupTimes,
  type VerifyOutcome,
  verifyDocument,
  verifyOverRounds,
} from './pipeline/verify-document.js';
export { buildRequest, type PlannedRequest } from './plan/build-request.js';
export {
  codeProblems,
  type InputColumnCheck,
  inputColumnProblems,
  missingColumnProblems,
} from './plan/check-job-input.js';
export { groupRows, type RowGroup, RowGrouper } from './plan/group-rows.js';
export { type MapRecordsOptions, mapGroup, mapRecords, RecordMapper } from './plan/map-records.js';
export { type JobInput, openJobSource } from './plan/open-job-source.js';
export { type PlanEntry, type PlanJobOptions, planJob } from './plan/plan-job.js';
export {
  type CheckedItemsOptions,
  checkedItems,
  type FormatPreflightOptions,
  formatPreflight,
  type OnInvalid,
  PROBLEM_KINDS,
  PreflightError,
  type PreflightOptions,
  type PreflightSummary,
  type ProblemCount,
  type ProblemKind,
  preflight,
  preflightPasses,
  problemKind,
} from './plan/preflight.js';
export { UniqueKeys, uniqueKeys } from './plan/unique-keys.js';
export { type FieldValue, JsonNumber, type RecordOrigin, type SourceRecord } from './record.js';
export type { GzipOption } from './sources/byte-stream.js';
export type { CsvDialect, CsvQuoting, LineEnding } from './sources/csv-dialect.js';
export { type CsvSourceOptions, DEFAULT_ERROR_COLUMNS, type RaggedPolicy } from './sources/csv-options.js';
export { type CsvSource, openCsvSource } from './sources/csv-source.js';
export {
  ControlCharacterError,
  CsvFormatError,
  EmptyInputError,
  EncodingUndecidedError,
  InvalidEncodingError,
  JsonFormatError,
  OutputError,
  SourceFileError,
  SourceOptionsError,
} from './sources/errors.js';
export { type CsvGuess, guessCsv } from './sources/guess-csv.js';
export { type ColumnGuess, inferColumn } from './sources/infer-column.js';
export { renderJobStub } from './sources/job-stub.js';
export type { JsonFileOptions, JsonlSourceOptions, JsonSourceOptions } from './sources/json-options.js';
export { parseJsonPointer } from './sources/json-pointer.js';
export { type JsonSource, openJsonSource } from './sources/json-source.js';
export { type JsonlSource, openJsonlSource } from './sources/jsonl-source.js';
export { StateStore } from './state/state-store.js';
