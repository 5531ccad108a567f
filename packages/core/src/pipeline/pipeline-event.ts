import type { PipelineDocument } from './document.js';
import type { RecordState } from './ledger.js';

/**
 * Progress of a run, emitted as it happens (progress line, structured logs, report):
 * records settling into a state, retries, 503 pauses and bisections.
 */
export type PipelineEvent =
  | {
      type: 'settled';
      state: Exclude<RecordState, 'pending' | 'inflight'>;
      keys: readonly string[];
      error?: string;
      /** The documents, when the emitter has them (control totals). */
      documents?: readonly PipelineDocument[];
    }
  | { type: 'skipped'; state: RecordState; keys: readonly string[]; documents?: readonly PipelineDocument[] }
  | { type: 'retry'; keys: readonly string[]; attempt: number; delayMs: number; error: string }
  | { type: 'wait'; keys: readonly string[]; delayMs: number; error: string }
  | { type: 'bisect'; size: number; error: string }
  | { type: 'request'; size: number; latencyMs: number; ok: boolean };

export type PipelineListener = (event: PipelineEvent) => void;
