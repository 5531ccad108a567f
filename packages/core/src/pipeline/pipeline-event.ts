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
      /**
       * True when the outcome came from AFAS (a request or a lookup); absent for rejects of the
       * mapping (bad date, unknown code, duplicate key, unbalanced document): rejected before sending.
       */
      sent?: boolean;
    }
  | {
      type: 'skipped';
      /** Ledger state that made the pipeline skip the record; `delivered`: the cross-run delivery store has it. */
      state: RecordState | 'delivered';
      keys: readonly string[];
      documents?: readonly PipelineDocument[];
    }
  | { type: 'retry'; keys: readonly string[]; attempt: number; delayMs: number; error: string }
  | { type: 'wait'; keys: readonly string[]; delayMs: number; error: string }
  | { type: 'bisect'; size: number; error: string }
  | { type: 'request'; size: number; latencyMs: number; ok: boolean };

export type PipelineListener = (event: PipelineEvent) => void;
