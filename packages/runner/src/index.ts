export { ExecutorOptionsError } from './errors.js';
export { FileLedger, type LedgerCounts } from './file-ledger.js';
export {
  createInProcessExecutor,
  type InProcessExecutorOptions,
  MAX_CONCURRENCY,
} from './in-process-executor.js';
