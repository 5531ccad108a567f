import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_QUEUES, TRIGGERS_QUEUE } from './chunk-jobs.js';
import type { KoppelKeys } from './keys.js';
import { RedisRunStore, type RemoteRunMeta } from './redis-run-store.js';

export interface DashboardOptions {
  redis: Redis;
  keys: KoppelKeys;
  /** TCP port; default 3000 (0 picks a free one). */
  port?: number;
  /** Interface to listen on; default 127.0.0.1 (the board can retry and delete jobs: do not expose it). */
  host?: string;
}

/** A running dashboard. */
export interface Dashboard {
  /** `http://host:port`. */
  url: string;
  close(): Promise<void>;
}

const html = (text: unknown): string =>
  String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}th{background:#f4f4f4}
.finished{color:#186a3b}.stopped{color:#a93226}.running{color:#1f618d}pre{background:#f8f8f8;padding:1rem}</style>
</head><body><nav><a href="/runs">Runs</a> · <a href="/queues">Queues (bull-board)</a></nav><h1>${html(title)}</h1>${body}</body></html>`;
}

function runsTable(runs: readonly RemoteRunMeta[]): string {
  if (runs.length === 0)
    return '<p id="empty">No runs yet: <code>koppel submit job.yaml</code> starts one.</p>';
  const rows = runs
    .map((run) => {
      const c = run.counts ?? {};
      return `<tr data-run="${html(run.runId)}"><td><a href="/runs/${encodeURIComponent(run.runId)}">${html(run.runId)}</a></td>
<td class="${html(run.status)}">${html(run.status)}</td><td>${html(c.done ?? 0)}</td><td>${html(c.rejected ?? 0)}</td>
<td>${html(c.uncertain ?? 0)}</td><td>${html(c.pending ?? 0)}</td><td>${html(run.session)}</td><td>${html(run.createdAt)}</td></tr>`;
    })
    .join('\n');
  return `<table id="runs"><thead><tr><th>Run</th><th>Status</th><th>Done</th><th>Rejected</th><th>Uncertain</th><th>Pending</th><th>Session</th><th>Created</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * `koppel dashboard`: bull-board over the deployment's queues at `/queues`, plus a small runs
 * page at `/runs` (the same run model as `koppel status`, counts live from the ledgers).
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { redis, keys } = options;
  // Loaded here so workers and submit never load the web stack.
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }, { default: express }] =
    await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
      import('express'),
    ]);
  const queues = [DEFAULT_QUEUES.runs, DEFAULT_QUEUES.chunks, TRIGGERS_QUEUE].map(
    (name) => new Queue(name, { connection: redis, prefix: keys.bull }),
  );
  const board = new ExpressAdapter();
  board.setBasePath('/queues');
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
  const store = new RedisRunStore(redis, keys);
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => res.redirect('/runs'));
  app.get('/api/runs', async (_req, res, next) => {
    try {
      res.json(await store.list());
    } catch (error) {
      next(error);
    }
  });
  app.get('/runs', async (_req, res, next) => {
    try {
      res.type('html').send(page('Koppel runs', runsTable((await store.list()).reverse())));
    } catch (error) {
      next(error);
    }
  });
  app.get('/runs/:runId', async (req, res, next) => {
    try {
      const run = await store.read(req.params.runId);
      if (!run) {
        res
          .status(404)
          .type('html')
          .send(page('No such run', `<p>No run ${html(req.params.runId)}.</p>`));
        return;
      }
      const body = `${runsTable([run])}<p>Job: <code>${html(run.job)}</code><br>Input: <code>${html(run.input)}</code></p>
${run.stopReason ? `<p class="stopped">Stopped: ${html(run.stopReason)}</p>` : ''}<pre id="summary">${html(run.summary ?? '(running)')}</pre>`;
      res.type('html').send(page(`Run ${run.runId}`, body));
    } catch (error) {
      next(error);
    }
  });
  app.use('/queues', board.getRouter());
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 3000, options.host ?? '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await Promise.allSettled(queues.map((queue) => queue.close()));
      })();
      return closing;
    },
  };
}
