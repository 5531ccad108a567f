import { AfasNetworkError, AfasUnverifiedAnswerError, classify, ProfitError } from '@koppel/afas';
import type { Classify, Decision } from '@koppel/core';

/** What the run is doing when a request fails: names the connector in stop messages. */
export interface ClassifyContext {
  /** UpdateConnector or GetConnector the run talks to. */
  connector: string;
  /** HTTP method of the requests (`POST` for writes, `GET` for verify lookups). */
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The job's overrides (`run.retry.retry_on`): AFAS 500s whose message matches are retried with backoff. */
  retryOn?: readonly RegExp[];
  /** The job's overrides (`run.retry.reject_on`): AFAS 500s whose message matches reject the record. */
  rejectOn?: readonly RegExp[];
}

const RESUME = 'then run the same command again to resume';

function stopMessage(reason: string, error: unknown, context: ClassifyContext): string {
  const detail = error instanceof Error ? error.message : String(error);
  switch (reason) {
    case 'unauthorized':
    case 'invalid-token':
      return `AFAS refused the token (${detail}): check connection.token (expired, revoked, or for another environment), ${RESUME}`;
    case 'forbidden':
      return `AFAS refused access with 403 (${detail}): the App Connector may restrict IP addresses; allow this machine, ${RESUME}`;
    case 'connector-not-authorized':
      return `${context.connector} is not in the App Connector or its user lacks rights (${detail}): add it to the App Connector in Profit, ${RESUME}`;
    case 'getconnector-blocked':
      return `GetConnector ${context.connector} is blocked by AFAS (${detail}): ask AFAS to unblock it or change verify:, ${RESUME}`;
    default:
      return `${detail}; fix the cause, ${RESUME}`;
  }
}

/**
 * The run's classifier: the client's one classifier (`classify` of @koppel/afas) turned into the
 * pipeline's decisions. Retry delays come from `run.retry` (the pipeline's backoff); a 503 waits
 * for its `retry_after`. Reject messages are AFAS's externalMessage with the log reference apart.
 */
export function afasClassify(context: ClassifyContext): Classify {
  return (error: unknown): Decision => {
    const profit = error instanceof ProfitError ? error : undefined;
    // The job's overrides match AFAS's own 500 texts only, never a gateway's page.
    const text =
      profit?.fromProfit && profit.status >= 500 && profit.status !== 503
        ? (profit.externalMessage ?? '')
        : undefined;
    const override =
      text === undefined
        ? undefined
        : context.rejectOn?.some((pattern) => pattern.test(text))
          ? ('reject' as const)
          : context.retryOn?.some((pattern) => pattern.test(text))
            ? ('retry' as const)
            : undefined;
    const verdict = override
      ? { action: override, reason: 'job-override' }
      : classify(error, { method: context.method });
    const message =
      (profit?.fromProfit ? profit.externalMessage : undefined) ??
      (error instanceof AfasNetworkError || error instanceof AfasUnverifiedAnswerError || profit
        ? (error as Error).message
        : undefined) ??
      String((error as Error)?.message ?? error);
    const reference = profit?.profitLogReference ? { profitLogReference: profit.profitLogReference } : {};
    switch (verdict.action) {
      case 'wait':
        return {
          action: 'wait',
          message,
          ...(profit?.retryAfter !== undefined ? { delayMs: profit.retryAfter * 1000 } : {}),
        };
      case 'retry':
        return { action: 'retry', message, ...reference };
      case 'stop':
        return { action: 'stop', message: stopMessage(verdict.reason, error, context), ...reference };
      case 'uncertain':
        return { action: 'uncertain', message };
      default:
        return { action: 'reject', message, ...reference };
    }
  };
}
