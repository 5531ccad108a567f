import { type Authenticated, applyFaults, fail, type RequestContext, respondAfterCommit } from './context.js';
import type { Row } from './db.js';
import { faults } from './messages.js';
import { send, sendJson } from './respond.js';
import type { SpecialConnector } from './seed.js';

/** The special connectors of reference §6, by lower-cased first path segment. */
export const SPECIAL_ROUTES: Record<string, SpecialConnector> = {
  profitversion: 'AppConnectorVersion',
  subjectconnector: 'AppConnectorSubject',
  fileconnector: 'AppConnectorSubject',
  imageconnector: 'AppConnectorImage',
  reportconnector: 'AppConnectorReport',
};

interface FileAnswer {
  filename?: string;
  mimetype: string;
  filedata: string;
}

const isBinary = (ctx: RequestContext): boolean =>
  String(ctx.req.headers.sendfileasbinary ?? '').trim() === '1' || ctx.params.get('sendasbinary') === '1';

function answerFile(ctx: RequestContext, file: FileAnswer): void {
  if (!isBinary(ctx)) {
    sendJson(ctx.res, 200, file);
    return;
  }
  const headers: Record<string, string> = { 'Content-Type': file.mimetype };
  if (file.filename)
    headers['Content-Disposition'] = `attachment; filename="${encodeURIComponent(file.filename)}"`;
  send(ctx.res, 200, { body: Buffer.from(file.filedata, 'base64'), headers });
}

const find = (rows: readonly Row[], match: (row: Row) => boolean): Row | undefined => rows.find(match);

/**
 * Looks up the file a special-connector request names (by the path segments after the endpoint,
 * else by query parameters); undefined answers 404.
 */
function lookup(ctx: RequestContext, auth: Authenticated, endpoint: string): FileAnswer | undefined {
  const db = auth.env.db;
  const p = ctx.params;
  const args = ctx.segments.slice(1);
  switch (endpoint) {
    case 'subjectconnector': {
      const subject = args[0] ?? p.get('subjectid');
      const fileId = args[1] ?? p.get('fileid');
      const row = find(
        db.rows('subject_attachments'),
        (r) => String(r.SbId) === subject && (fileId === undefined || String(r.FileId) === fileId),
      );
      return (
        row && {
          filename: String(row.FileName),
          mimetype: String(row.MimeType),
          filedata: String(row.Data ?? ''),
        }
      );
    }
    case 'fileconnector': {
      const fileId = args[0] ?? p.get('fileid');
      const fileName = args[1] ?? p.get('filenameuri') ?? p.get('filename');
      const row = find(
        db.rows('subject_attachments'),
        (r) => String(r.FileId) === fileId && r.FileName === fileName,
      );
      return (
        row && {
          filename: String(row.FileName),
          mimetype: String(row.MimeType),
          filedata: String(row.Data ?? ''),
        }
      );
    }
    case 'imageconnector': {
      const row = find(db.rows('images'), (r) => String(r.ImageId) === (args[0] ?? p.get('id')));
      return row && { filedata: String(row.Data ?? ''), mimetype: String(row.MimeType) };
    }
    case 'reportconnector': {
      const row = find(
        db.rows('reports'),
        (r) => String(r.ReportId).toLowerCase() === (args[0] ?? '').toLowerCase(),
      );
      return row && { filedata: String(row.Data ?? ''), mimetype: 'application/pdf' };
    }
    default:
      return undefined;
  }
}

/** GET on a special connector: profitversion, subject/file/image/report files (JSON or binary). */
export async function specialConnector(
  ctx: RequestContext,
  auth: Authenticated,
  endpoint: string,
): Promise<void> {
  const required = SPECIAL_ROUTES[endpoint] as SpecialConnector;
  const allowed = auth.principal.appConnector.specialConnectors?.includes(required) ?? false;
  if (!allowed) {
    fail(ctx, required === 'AppConnectorSubject' ? faults.fileNotFound() : faults.connectorDenied());
    return;
  }
  const pre = await applyFaults(ctx);
  if (pre.handled) return;
  if (endpoint === 'profitversion') {
    await respondAfterCommit(ctx, pre.afterCommit, () =>
      sendJson(ctx.res, 200, { version: auth.env.profitVersion }),
    );
    return;
  }
  if (endpoint === 'imageconnector') {
    const format = ctx.params.get('format') ?? '0';
    if (!['0', '1', '2'].includes(format)) {
      fail(ctx, faults.unexpected());
      return;
    }
  }
  const file = lookup(ctx, auth, endpoint);
  if (!file) {
    fail(ctx, faults.fileNotFound());
    return;
  }
  await respondAfterCommit(ctx, pre.afterCommit, () => answerFile(ctx, file));
}
