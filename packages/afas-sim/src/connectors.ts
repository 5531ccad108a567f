import { countElements, readBody } from './body.js';
import { type Authenticated, applyFaults, fail, type RequestContext, respondAfterCommit } from './context.js';
import { resolveId } from './fidelity.js';
import { runGetQuery } from './get-query.js';
import { faults } from './messages.js';
import { listedGetConnectors } from './metainfo.js';
import { ProfitFault } from './profit-fault.js';
import { send, sendJson } from './respond.js';
import type { UpdateResponse } from './update-engine.js';
import { decodeUtf8Lenient } from './utf8.js';

/** `GET /connectors/{id}`: App Connector and block checks, faults, then the query (reference §2.4). */
export async function getConnector(
  ctx: RequestContext,
  auth: Authenticated,
  requested: string,
): Promise<void> {
  const { fidelity } = ctx.state;
  const id = resolveId(requested, listedGetConnectors(auth), fidelity.ignoreConnectorCase);
  ctx.label.connector = id ?? requested;
  const def = id === undefined ? undefined : auth.env.getConnectors.get(id);
  if (!def || id === undefined) {
    fail(ctx, faults.getConnectorDenied(fidelity.getConnectorDeniedStatus));
    return;
  }
  if (auth.principal.appConnector.blockedGetConnectors?.includes(id)) {
    fail(ctx, faults.getConnectorBlocked());
    return;
  }
  const pre = await applyFaults(ctx);
  if (pre.handled) return;
  const result = runGetQuery(def, auth.env.source(def.table), {
    params: ctx.params,
    defaultTake: fidelity.defaultTake,
    cache: auth.env.sortCache,
  });
  await respondAfterCommit(ctx, pre.afterCommit, () => sendJson(ctx.res, 200, result));
}

/**
 * POST/PUT/DELETE `/connectors/{Conn}[/...]`: body bytes (413 past the limit), lenient UTF-8,
 * JSON (configurable bad-JSON answer), App Connector check, faults, then `engine.execute`.
 * `requested` is the connector id as the path spells it, `rest` the segments after it.
 */
export async function updateConnector(
  ctx: RequestContext,
  auth: Authenticated,
  { requested, rest }: { requested: string; rest: string[] },
): Promise<void> {
  const { fidelity } = ctx.state;
  const { engine } = auth.env;
  const app = auth.principal.appConnector;
  const id = resolveId(requested, auth.env.updateConnectorIds(app), fidelity.ignoreConnectorCase);
  ctx.label.connector = id ?? requested;
  const read = await readBody(ctx.req, fidelity.maxRequestBytes);
  if (!read.ok) {
    send(ctx.res, 413);
    return;
  }
  let body: unknown;
  if (ctx.method !== 'DELETE') {
    const text = decodeUtf8Lenient(read.bytes).replace(/^\uFEFF/, '');
    try {
      body = JSON.parse(text);
    } catch {
      sendJson(ctx.res, fidelity.invalidJson.status, fidelity.invalidJson.body);
      return;
    }
  }
  if (id === undefined) {
    fail(ctx, faults.updateConnectorDenied());
    return;
  }
  const pre = await applyFaults(ctx, countElements(body));
  if (pre.handled) return;
  let response: UpdateResponse;
  try {
    response = engine.execute({
      connector: id,
      method: ctx.method as 'POST' | 'PUT' | 'DELETE',
      rest,
      body,
      language: ctx.language,
      db: auth.env.db,
    });
  } catch (error) {
    if (error instanceof ProfitFault) {
      fail(ctx, error);
      return;
    }
    throw error;
  }
  await respondAfterCommit(ctx, pre.afterCommit, () =>
    response.body === undefined
      ? send(ctx.res, response.status)
      : sendJson(ctx.res, response.status, response.body),
  );
}
