import { type Authenticated, fail, type RequestContext } from './context.js';
import { resolveId } from './fidelity.js';
import { localize } from './language.js';
import { faults } from './messages.js';
import { sendJson } from './respond.js';

/** The ids a principal's App Connector lists: GetConnectors including the blocked ones. */
export function listedGetConnectors({ principal }: Authenticated): string[] {
  const app = principal.appConnector;
  return [...new Set([...(app.getConnectors ?? []), ...(app.blockedGetConnectors ?? [])])];
}

/** `GET /metainfo` (reference §2.1): only the App Connector's connectors, exact keys. */
export function metainfoList(ctx: RequestContext, auth: Authenticated): void {
  const { env, principal } = auth;
  const app = principal.appConnector;
  const engineConnectors = new Map(env.engine.connectors().map((c) => [c.id, c.description]));
  const updateConnectors = auth.env.updateConnectorIds(app).map((id) => {
    const texts = engineConnectors.get(id);
    return { id, description: texts ? localize(texts, ctx.language) : id };
  });
  const getConnectors = listedGetConnectors(auth).map((id) => {
    const def = env.getConnectors.get(id);
    return { id, description: def ? localize(def.description, ctx.language) : id };
  });
  sendJson(ctx.res, 200, {
    updateConnectors,
    getConnectors,
    info: {
      envid: env.seed.envCode,
      appName: app.name,
      group: `${app.group ?? 'AuthorizationGroup 101'} (${principal.user})`,
      tokenExpiry: '0',
    },
  });
}

/** `GET /metainfo/get/{id}` (reference §2.2): exact keys including `decimalsFieldId`. */
export function metainfoGet(ctx: RequestContext, auth: Authenticated, requested: string): void {
  const id = resolveId(requested, listedGetConnectors(auth), ctx.state.fidelity.ignoreConnectorCase);
  const def = id === undefined ? undefined : auth.env.getConnectors.get(id);
  if (!def) {
    fail(ctx, faults.getConnectorDenied(ctx.state.fidelity.getConnectorDeniedStatus));
    return;
  }
  sendJson(ctx.res, 200, {
    name: def.id,
    description: localize(def.description, ctx.language),
    fields: def.columns.map((column) => ({
      id: column.id,
      fieldId: column.fieldId,
      dataType: column.dataType,
      label: localize(column.label, ctx.language),
      length: column.length,
      controlType: column.controlType ?? 1,
      decimals: column.decimals ?? 0,
      decimalsFieldId: column.decimalsFieldId ?? '',
    })),
  });
}

/** `GET /metainfo/update/{id}` (reference §2.3): the engine's document, or the §2.3 500. */
export function metainfoUpdate(ctx: RequestContext, auth: Authenticated, requested: string): void {
  const app = auth.principal.appConnector;
  const id = resolveId(requested, auth.env.updateConnectorIds(app), ctx.state.fidelity.ignoreConnectorCase);
  const meta = id === undefined ? undefined : auth.env.engine.metainfo(id, ctx.language);
  if (!meta) {
    fail(ctx, faults.connectorDenied());
    return;
  }
  sendJson(ctx.res, 200, meta);
}
