export { type BullmqExecutorOptions, createBullmqExecutor } from './bullmq-executor.js';
export {
  type ChunkData,
  type ChunkResult,
  chunkBackoff,
  DEFAULT_QUEUES,
  type QueueNames,
  type RunJobData,
} from './chunk-jobs.js';
export type { ChunkFence, ChunkRuntime } from './chunk-runtime.js';
export { connectDeployment, type Deployment } from './connect-deployment.js';
export { type Dashboard, type DashboardOptions, startDashboard } from './dashboard.js';
export { deletePrefix } from './delete-prefix.js';
export {
  BullmqOptionsError,
  DeliveryStoreError,
  LedgerFenceError,
  RedisConfigError,
  RedisUnavailableError,
  RunInProgressError,
} from './errors.js';
export { chunkName } from './finalise-run.js';
export { JobRuntimes, type JobRuntimesOptions, runDeliveryOf } from './job-runtimes.js';
export { KoppelKeys } from './keys.js';
export { KoppelWorker, type KoppelWorkerOptions } from './koppel-worker.js';
export { layeredDeliveryStore } from './layered-delivery-store.js';
export {
  checkRedis,
  clusterPrefix,
  DEFAULT_PREFIX,
  DEFAULT_REDIS_URL,
  isCluster,
  openRedis,
  type RedisSpec,
  redactRedisUrl,
  resolvePrefix,
  resolveRedisUrl,
} from './redis-connection.js';
export { deliveryScopeId, RedisDeliveryStore } from './redis-delivery-store.js';
export { RedisGate, type RedisGateOptions } from './redis-gate.js';
export { RedisLedger, type RedisLedgerCounts } from './redis-ledger.js';
export {
  parseRedisUrl,
  REDIS_URL_FORMS,
  type RedisMode,
  type RedisNode,
  type RedisTarget,
  redactRedisSpec,
} from './redis-options.js';
export { resolveRedisSpec, resolveRedisTarget } from './redis-options-file.js';
export { RedisRunStore, type RemoteRunMeta } from './redis-run-store.js';
export { type RunOutputsOptions, remoteRunFiles, writeRunOutputs } from './run-outputs.js';
export { type RunProgress, runProgress } from './run-progress.js';
export {
  fireTrigger,
  listSchedules,
  recentFirings,
  type ScheduleInfo,
  scheduleJob,
  type TriggerData,
  type TriggerOutcome,
  unscheduleJob,
} from './schedule-job.js';
export { type StartWorkerOptions, startWorker } from './start-worker.js';
export { type SubmitOptions, type SubmitResult, submitRun } from './submit-run.js';
