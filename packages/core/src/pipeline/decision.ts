/**
 * What to do with a failed request (one classifier decides, both executors obey):
 * `retry` with backoff (consumes an attempt), `wait` for `delayMs` pausing the whole environment
 * (does not consume one), `reject` the record(s), `stop` the run, or mark them `uncertain`.
 */
export type DecisionAction = 'retry' | 'wait' | 'reject' | 'stop' | 'uncertain';

export interface Decision {
  action: DecisionAction;
  /** For `wait` (and optionally `retry`): how long to hold off, in ms. */
  delayMs?: number;
  /** One line for the rejects file, the ledger and logs; the error's message when absent. */
  message?: string;
  /** Profit's environment-log reference (`profitLogReference`) when the error carried one. */
  profitLogReference?: string;
}

/** Judges an error thrown by a Sink. Must never throw. */
export type Classify = (error: unknown) => Decision;
