import type { IncomingMessage, ServerResponse } from 'node:http';
import { getConnector, updateConnector } from './connectors.js';
import {
  applyFaults,
  authenticate,
  environmentKey,
  fail,
  type RequestContext,
  respondAfterCommit,
  type SimulatorState,
} from './context.js';
import { handleControl, type SimulatorControl } from './control.js';
import { parseLanguage } from './language.js';
import { faults } from './messages.js';
import { metainfoGet, metainfoList, metainfoUpdate } from './metainfo.js';
import { oauthToken, otpRequest, otpValidation } from './oauth-otp.js';
import { ProfitFault } from './profit-fault.js';
import { send, sendJson } from './respond.js';
import { SPECIAL_ROUTES, specialConnector } from './special-connectors.js';

const UPDATE_METHODS = new Set(['POST', 'PUT', 'DELETE']);

function notFound(ctx: RequestContext): void {
  const host = ctx.req.headers.host ?? 'localhost';
  sendJson(ctx.res, 404, {
    message: `No HTTP resource was found that matches the request URI 'http://${host}${ctx.req.url ?? '/'}'.`,
  });
}

function methodNotAllowed(ctx: RequestContext): void {
  sendJson(ctx.res, 405, { message: `The requested resource does not support http method '${ctx.method}'.` });
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** Routes one request under `/ProfitRestServices` (the service path is case-insensitive). */
async function route(ctx: RequestContext): Promise<void> {
  const [first, ...rest] = ctx.segments;
  const endpoint = (first ?? '').toLowerCase();
  const { method } = ctx;
  ctx.label.connector = endpoint || '/';
  if (method === 'OPTIONS') {
    send(ctx.res, 200);
    return;
  }
  if (endpoint === 'oauth' && rest[0]?.toLowerCase() === 'token' && rest.length === 1) {
    if (method !== 'POST') return methodNotAllowed(ctx);
    return oauthToken(ctx);
  }
  if (endpoint === 'otprequest' || endpoint === 'otpvalidation') {
    if (method !== 'POST') return methodNotAllowed(ctx);
    return endpoint === 'otprequest' ? otpRequest(ctx) : otpValidation(ctx);
  }
  const known = endpoint === 'metainfo' || endpoint === 'connectors' || endpoint in SPECIAL_ROUTES;
  if (!known) return notFound(ctx);
  const auth = authenticate(ctx);
  if (!auth) return;
  if (endpoint === 'metainfo') {
    if (method !== 'GET') return methodNotAllowed(ctx);
    const kind = rest[0]?.toLowerCase();
    const id = rest[1] as string;
    const answer =
      rest.length === 0
        ? () => metainfoList(ctx, auth)
        : rest.length === 2 && kind === 'get'
          ? () => metainfoGet(ctx, auth, id)
          : rest.length === 2 && kind === 'update'
            ? () => metainfoUpdate(ctx, auth, id)
            : undefined;
    if (!answer) return notFound(ctx);
    const pre = await applyFaults(ctx);
    if (pre.handled) return;
    return respondAfterCommit(ctx, pre.afterCommit, answer);
  }
  if (endpoint === 'connectors') {
    const [id, ...more] = rest;
    if (id === undefined) return notFound(ctx);
    if (method === 'GET') return more.length === 0 ? getConnector(ctx, auth, id) : notFound(ctx);
    if (UPDATE_METHODS.has(method)) return updateConnector(ctx, auth, { requested: id, rest: more });
    return methodNotAllowed(ctx);
  }
  if (method !== 'GET') return methodNotAllowed(ctx);
  return specialConnector(ctx, auth, endpoint);
}

/**
 * The simulator's request listener. Counts every request in flight from arrival until the
 * response is finished or the socket closes, and never lets a bad request crash the process.
 */
export function createHandler(state: SimulatorState, control: SimulatorControl) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle({ state, control }, req, res);
  };
}

async function handle(
  { state, control }: { state: SimulatorState; control: SimulatorControl },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : '';
  if (path === '/__sim' || path.startsWith('/__sim/')) {
    try {
      await handleControl(control, { req, res, path, params: new URLSearchParams(query) });
    } catch (error) {
      state.onError(error);
      sendJson(res, 500, { error: String(error) });
    }
    return;
  }
  const segments = decodeSegments(path) ?? [];
  let envId: string | undefined;
  let offset = -1;
  if (segments[0]?.toLowerCase() === 'profitrestservices') offset = 1;
  else if (/^\d+$/.test(segments[0] ?? '') && segments[1]?.toLowerCase() === 'profitrestservices') {
    envId = segments[0];
    offset = 2;
  }

  const environment = environmentKey(state, envId, req.headers.authorization);
  const end = state.stats.begin(environment);
  const firstEnv = [...state.environments.values()][0];
  const ctx: RequestContext = {
    state,
    req,
    res,
    method: (req.method ?? 'GET').toUpperCase(),
    segments: segments.slice(Math.max(offset, 0)),
    params: new Map(),
    envId,
    label: { environment, connector: '/' },
    language: parseLanguage(req.headers['accept-language']) ?? firstEnv?.defaultLanguage ?? 'nl-nl',
  };
  let counted = false;
  const finish = (): void => {
    end();
    if (counted) return;
    counted = true;
    state.stats.count({
      environment: ctx.label.environment,
      connector: ctx.label.connector,
      method: ctx.method,
      status: res.writableFinished ? res.statusCode : 0,
    });
  };
  res.once('finish', finish);
  res.once('close', finish);
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  const integrationId = req.headers.integrationid;
  if (typeof integrationId === 'string' && integrationId !== '') state.stats.integrationId(integrationId);

  try {
    if (offset < 0 || (envId !== undefined && !state.environments.has(envId))) {
      send(res, 404);
      return;
    }
    if (state.fidelity.connectionCloseResets && /\bclose\b/i.test(String(req.headers.connection ?? ''))) {
      req.socket.destroy();
      return;
    }
    if (query.length > state.fidelity.maxQueryLength) {
      send(res, 404);
      return;
    }
    for (const [key, value] of new URLSearchParams(query)) {
      const name = key.toLowerCase();
      if (!ctx.params.has(name)) ctx.params.set(name, value);
    }
    await route(ctx);
  } catch (error) {
    if (!(error instanceof ProfitFault)) state.onError(error);
    fail(ctx, error instanceof ProfitFault ? error : faults.unexpected());
  } finally {
    if (!res.headersSent && !res.destroyed && !req.socket.destroyed) fail(ctx, faults.unexpected());
  }
}
