import type { ResolvedConnection } from '../job/connections.js';
import { MetainfoError } from '../job/errors.js';
import { afasTokenHeader } from './afas-token-header.js';
import type { MetainfoProvider, UpdateMetainfo } from './update-metainfo.js';

/**
 * Fetches `GET {baseUrl}/metainfo/update/{connector}` with plain fetch (core does not depend on
 * @koppel/afas), in the requested language, caching each connector+language. Errors carry the
 * method, URL, status and a bounded body; never the token.
 */
export function httpMetainfoProvider(connection: ResolvedConnection): MetainfoProvider {
  const cache = new Map<string, Promise<UpdateMetainfo>>();
  return {
    update(connectorId, language) {
      const id = `${connectorId}\u0000${language}`;
      let found = cache.get(id);
      if (!found) {
        found = fetchMetainfo(connection, connectorId, language);
        found.catch(() => cache.delete(id));
        cache.set(id, found);
      }
      return found;
    },
  };
}

async function fetchMetainfo(
  connection: ResolvedConnection,
  connectorId: string,
  language: string,
): Promise<UpdateMetainfo> {
  const url = `${connection.baseUrl}/metainfo/update/${encodeURIComponent(connectorId)}`;
  if (!connection.token) {
    throw new MetainfoError(`cannot fetch GET ${url}: the connection has no token; set token or token_file`);
  }
  const headers: Record<string, string> = {
    Authorization: afasTokenHeader(connection.token),
    'Accept-Language': language,
    Accept: 'application/json',
  };
  if (connection.integrationId) headers.IntegrationId = connection.integrationId;
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    throw new MetainfoError(`GET ${url} failed: ${(error as Error).message}; is the environment reachable?`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    const body = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    throw new MetainfoError(
      `GET ${url} answered ${response.status}: ${body.replace(/\s+/g, ' ')}; check the token and that ${connectorId} is in the App Connector`,
    );
  }
  let metainfo: UpdateMetainfo;
  try {
    metainfo = JSON.parse(text) as UpdateMetainfo;
  } catch (error) {
    throw new MetainfoError(`GET ${url} did not return JSON (${text.slice(0, 80)})`, { cause: error });
  }
  if (!metainfo || typeof metainfo.name !== 'string' || !Array.isArray(metainfo.fields)) {
    throw new MetainfoError(`GET ${url} returned no update metainfo (expected name, fields, objects)`);
  }
  metainfo.objects ??= [];
  return metainfo;
}
