import { tokenXml } from './auth.js';
import { readBody } from './body.js';
import type { RequestContext } from './context.js';
import type { Environment } from './environment.js';
import { send, sendJson } from './respond.js';
import { decodeUtf8Lenient } from './utf8.js';

/** Reads a form-encoded or JSON body into string fields (unparseable bodies give no fields). */
async function readFields(ctx: RequestContext): Promise<Record<string, string> | undefined> {
  const read = await readBody(ctx.req, ctx.state.fidelity.maxRequestBytes);
  if (!read.ok) {
    send(ctx.res, 413);
    return undefined;
  }
  const text = decodeUtf8Lenient(read.bytes).trim();
  const fields: Record<string, string> = {};
  if (text.startsWith('{')) {
    try {
      for (const [key, value] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
        if (value !== null && value !== undefined) fields[key] = String(value);
      }
    } catch {
      // no fields
    }
  } else {
    for (const [key, value] of new URLSearchParams(text)) fields[key] ??= value;
  }
  return fields;
}

function candidates(ctx: RequestContext): Environment[] {
  const { environments } = ctx.state;
  if (ctx.envId === undefined) return [...environments.values()];
  const env = environments.get(ctx.envId);
  return env ? [env] : [];
}

/** `POST /oauth/token` with client credentials (reference §1.4); form or JSON, or HTTP Basic client auth. */
export async function oauthToken(ctx: RequestContext): Promise<void> {
  ctx.label.connector = 'oauth/token';
  const fields = await readFields(ctx);
  if (!fields) return;
  const basic = /^\s*basic\s+(\S+)/i.exec(ctx.req.headers.authorization ?? '');
  if (basic) {
    const [id, ...secret] = Buffer.from(basic[1] as string, 'base64')
      .toString('utf8')
      .split(':');
    fields.client_id ??= id ?? '';
    fields.client_secret ??= secret.join(':');
  }
  if (!fields.grant_type) {
    sendJson(ctx.res, 400, { error: 'invalid_request' });
    return;
  }
  if (fields.grant_type !== 'client_credentials') {
    sendJson(ctx.res, 400, { error: 'unsupported_grant_type' });
    return;
  }
  for (const env of candidates(ctx)) {
    const issued = env.issueAccessToken(fields.client_id ?? '', fields.client_secret ?? '');
    if (!issued) continue;
    ctx.label.environment = env.id;
    sendJson(ctx.res, 200, {
      access_token: issued.token,
      refresh_token: null,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
    });
    return;
  }
  sendJson(ctx.res, 401, { error: 'invalid_client' });
}

/** `POST /otprequest`: 201 with no useful body, even when the keys do not match (reference §1.7). */
export async function otpRequest(ctx: RequestContext): Promise<void> {
  ctx.label.connector = 'otprequest';
  const fields = await readFields(ctx);
  if (!fields) return;
  send(ctx.res, 201);
}

/** `POST /otpvalidation`: 200 `{"token":"<token>…</token>\r\n"}` for a right code, else 204. */
export async function otpValidation(ctx: RequestContext): Promise<void> {
  ctx.label.connector = 'otpvalidation';
  const fields = await readFields(ctx);
  if (!fields) return;
  const userId = fields.userid ?? fields.userId ?? fields.UserId;
  for (const env of candidates(ctx)) {
    const hit = env.seed.otp?.find(
      (o) =>
        o.apiKey === fields.apiKey &&
        o.apiToken === fields.apiToken &&
        o.userId.toLowerCase() === (userId ?? '').toLowerCase() &&
        o.code === fields.otp,
    );
    if (!hit) continue;
    ctx.label.environment = env.id;
    sendJson(ctx.res, 200, { token: `${tokenXml(hit.token)}\r\n` });
    return;
  }
  send(ctx.res, 204);
}
