import {
  type Language as CoreLanguage,
  type UpdateMetainfo as CoreUpdateMetainfo,
  type ResolvedConnection as JobConnection,
  MetainfoError,
  type MetainfoProvider,
} from '@koppel/core';
import { AfasClient, type AfasClientOptions } from './afas-client.js';
import { classify } from './classify.js';
import type { Language, RequestTimeouts } from './connection-options.js';
import { AfasError, AfasNetworkError, AfasTimeoutError, ProfitError, urlPath } from './errors.js';
import { formatMs } from './http.js';

/**
 * Timeouts of metainfo reads for validate, plan, test and init: a person waits at the terminal,
 * so a hanging environment is reported after 10 s instead of a run's 120 s.
 */
export const METAINFO_TIMEOUTS: Readonly<Partial<RequestTimeouts>> = {
  connectMs: 5000,
  readFirstByteMs: 10_000,
  totalMs: 10_000,
};

/** Options of `clientForConnection`. */
export interface ConnectionClientOptions
  extends Pick<AfasClientOptions, 'timeouts' | 'readRetries' | 'maxInFlight' | 'timeoutMs'> {
  /** Accept-Language instead of the connection's. */
  language?: Language;
}

/** An AfasClient for a job's resolved connection (core's `ResolvedConnection`; the token stays hidden). */
export function clientForConnection(
  connection: JobConnection,
  options: ConnectionClientOptions = {},
): AfasClient {
  const { language, ...rest } = options;
  return new AfasClient({
    environmentId: 0,
    url: connection.baseUrl,
    auth: { type: 'token', token: connection.token },
    language: (language ?? connection.language) as Language,
    ...(connection.integrationId ? { integrationId: connection.integrationId } : {}),
    ...rest,
  });
}

/** What went wrong, in the words of someone waiting at the terminal. */
function reason(error: unknown): string {
  if (error instanceof AfasNetworkError && error.kind === 'timeout') {
    return `no answer in ${formatMs(error.limitMs ?? error.elapsedMs ?? 0)}`;
  }
  if (error instanceof AfasNetworkError) return error.message.replace(/^AFAS GET \S+ got no answer: /, '');
  if (error instanceof ProfitError && error.fromProfit) {
    return `answered ${error.status}: ${error.externalMessage ?? `HTTP ${error.status}`}`;
  }
  if (error instanceof AfasError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Options of `afasMetainfoProvider`. */
export interface MetainfoProviderOptions {
  /** Timeouts per phase; default METAINFO_TIMEOUTS. */
  timeouts?: Partial<RequestTimeouts>;
  /** Extra attempts after a retryable failure (503, reset); default 1. Timeouts are not retried. */
  readRetries?: number;
}

/**
 * Core's MetainfoProvider over @koppel/afas: `GET /metainfo/update/{connector}` in the requested
 * language, cached per connector and language, with short timeouts. Failures are MetainfoErrors
 * naming what was waited on, e.g. `metainfo of KnPerson at http://…/metainfo/update/KnPerson: no
 * answer in 10 s`; never the token.
 */
export function afasMetainfoProvider(
  connection: JobConnection,
  options: MetainfoProviderOptions = {},
): MetainfoProvider {
  const clients = new Map<string, AfasClient>();
  const retries = options.readRetries ?? 1;
  const clientFor = (language: CoreLanguage): AfasClient => {
    let client = clients.get(language);
    if (!client) {
      client = clientForConnection(connection, {
        language: language as Language,
        timeouts: options.timeouts ?? METAINFO_TIMEOUTS,
        readRetries: 0,
      });
      clients.set(language, client);
    }
    return client;
  };
  return {
    async update(connectorId, language) {
      const client = clientFor(language);
      const where = `${connection.baseUrl}/metainfo/update/${encodeURIComponent(connectorId)}`;
      if (!connection.token) {
        throw new MetainfoError(
          `metainfo of ${connectorId} at ${where}: the connection has no token; set token or token_file`,
        );
      }
      let metainfo: CoreUpdateMetainfo | undefined;
      for (let attempt = 1; metainfo === undefined; attempt++) {
        try {
          metainfo = (await client.updateMetainfo(connectorId)) as CoreUpdateMetainfo;
        } catch (error) {
          // A short 503 or a reset is asked again; a timeout is not (someone is waiting).
          const verdict = classify(error, { method: 'GET', attempt });
          const again =
            attempt <= retries &&
            !(error instanceof AfasTimeoutError) &&
            (verdict.action === 'retry' || verdict.action === 'wait') &&
            (verdict.delayMs ?? 0) <= 2000;
          if (!again) {
            throw new MetainfoError(`metainfo of ${connectorId} at ${where}: ${reason(error)}`, {
              cause: error,
            });
          }
          await new Promise((resolve) => setTimeout(resolve, verdict.delayMs ?? 0));
        }
      }
      if (!metainfo || typeof metainfo.name !== 'string' || !Array.isArray(metainfo.fields)) {
        throw new MetainfoError(
          `metainfo of ${connectorId} at ${urlPath(where)}: no update metainfo in the answer (expected name, fields, objects)`,
        );
      }
      metainfo.objects ??= [];
      return metainfo;
    },
  };
}
