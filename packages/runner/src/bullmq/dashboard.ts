import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { formatClock, formatDuration, formatLocalTime } from '../format-time.js';
import { jobCommand, rejectsCommand } from '../run-report.js';
import { etaMs, type ProgressFigures } from '../run-stats.js';
import { DEFAULT_QUEUES, TRIGGERS_QUEUE } from './chunk-jobs.js';
import { chunkName } from './finalise-run.js';
import type { KoppelKeys } from './keys.js';
import { RedisRunStore, type RemoteRunMeta } from './redis-run-store.js';
import { type ChunkActivity, type ConnectedWorker, chunkActivity, connectedWorkers } from './run-activity.js';
import { type RunProgress, runProgress } from './run-progress.js';

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

/** Copies a command: the Clipboard API, else (a page over plain HTTP) a selected textarea. */
const COPY_SCRIPT = `<script>
async function koppelCopy(button) {
  const text = document.getElementById(button.dataset.copy).textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = 'Copied';
}
</script>`;

function page(title: string, body: string, refresh = false): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title>
${refresh ? '<meta http-equiv="refresh" content="5">' : ''}<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin-bottom:1rem}
td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}th{background:#f4f4f4}
.finished{color:#186a3b}.stopped,.failed{color:#a93226;font-weight:600}.running{color:#1f618d}
.stalled{color:#7e5109;background:#fdebd0;border-radius:3px;padding:0 .3rem}td .stalled,td .failed{white-space:nowrap}
pre{background:#f8f8f8;padding:1rem;white-space:pre-wrap;overflow-wrap:anywhere}
.command{display:flex;gap:.5rem;align-items:flex-start;margin:.3rem 0 1rem}
.command code{background:#f8f8f8;padding:.4rem .6rem;white-space:pre-wrap;overflow-wrap:anywhere;flex:1}</style>
${COPY_SCRIPT}</head><body><nav><a href="/runs">Runs</a> · <a href="/queues">Queues (bull-board)</a></nav><h1>${html(title)}</h1>${body}</body></html>`;
}

/** bull-board's note on the chunk queue: its failed list holds stalled chunks, which are not failures. */
const CHUNKS_NOTE =
  'A chunk failed with "job stalled more than allowable limit" lost its worker: not a failure, the run puts it back from where it stopped (see /runs: stalled).';

/** Finished runs on the runs page whose chunk states are read (the newest first). */
const CHUNKS_SHOWN = 20;

/** What a page shows of one run: its meta with live counts, chunk states and recent rate. */
interface RunView {
  run: RemoteRunMeta;
  activity?: ChunkActivity;
  /** A running run's figures (`koppel status RUN`'s: the rate of its chunks finished in the last minute). */
  figures?: ProgressFigures;
  /** No chunk worker is connected (the run cannot progress). */
  noWorker?: boolean;
}

/** `4 done, 2 active, 3 waiting, stalled 1 (will be retried)`. */
function chunksCell(activity: ChunkActivity | undefined): string {
  if (!activity) return '';
  const parts = [
    `${activity.done} done`,
    activity.active > 0 ? `${activity.active} active` : '',
    activity.waiting > 0 ? `${activity.waiting} waiting` : '',
    activity.putBack > 0 ? `${activity.putBack} put back` : '',
  ].filter(Boolean);
  const text = [html(parts.join(', '))];
  if (activity.stalled > 0)
    text.push(
      `<span class="stalled" title="its worker stopped (lock expired or disconnected); the run puts it back from where it stopped">stalled ${activity.stalled} (will be retried)</span>`,
    );
  if (activity.failed > 0) text.push(`<span class="failed">failed ${activity.failed}</span>`);
  return text.join(', ');
}

const workersCell = (activity: ChunkActivity | undefined): string =>
  html(
    Object.entries(activity?.holders ?? {})
      .map(([name, chunks]) => `${name} (${chunks.length})`)
      .join(', '),
  );

function rateCells({ run, figures, noWorker }: RunView): [string, string] {
  if (run.status !== 'running' || !figures) return ['', ''];
  const rate = `${figures.rate < 10 ? figures.rate.toFixed(1) : Math.round(figures.rate)} ${figures.unit}/s`;
  if (noWorker) return [rate, 'waiting for a worker'];
  const eta = etaMs(figures);
  if (eta === undefined) return [rate, `unknown (nothing finished in ${formatDuration(figures.windowMs)})`];
  return [rate, eta === 0 ? 'done' : `${formatDuration(eta)} (${formatClock(Date.now() + eta)})`];
}

function runsTable(views: readonly RunView[]): string {
  if (views.length === 0)
    return '<p id="empty">No runs yet: <code>koppel submit job.yaml</code> starts one.</p>';
  const rows = views
    .map((view) => {
      const { run } = view;
      const c = run.counts ?? {};
      const [rate, eta] = rateCells(view);
      return `<tr data-run="${html(run.runId)}"><td><a href="/runs/${encodeURIComponent(run.runId)}">${html(run.runId)}</a></td>
<td class="${html(run.status)}">${html(run.status)}</td><td>${html(c.done ?? 0)}</td><td>${html(c.rejected ?? 0)}</td>
<td>${html(c.uncertain ?? 0)}</td><td>${html(c.pending ?? 0)}</td><td class="chunks">${chunksCell(view.activity)}</td>
<td class="workers">${workersCell(view.activity)}</td><td class="rate">${html(rate)}</td><td class="eta">${html(eta)}</td>
<td>${html(run.session)}</td><td>${html(formatLocalTime(run.createdAt))}</td></tr>`;
    })
    .join('\n');
  return `<table id="runs"><thead><tr><th>Run</th><th>Status</th><th>Done</th><th>Rejected</th><th>Uncertain</th><th>Pending</th><th>Chunks</th><th>Workers</th><th>Rate</th><th>ETA</th><th>Session</th><th>Created</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** `1 h 02 min`, `3 min 05 s`, `12 s`. */
const age = (seconds: number): string => formatDuration(seconds * 1000);

function workersTable(workers: readonly ConnectedWorker[], active: readonly Job[], runId?: string): string {
  if (workers.length === 0)
    return '<p id="no-workers">No <code>koppel worker</code> is connected: chunks wait until one starts.</p>';
  const rows = workers
    .map((worker) => {
      const chunks = active
        .filter((job) => job.processedBy === worker.name)
        .map((job) => {
          const data = job.data as { runId?: string };
          return data.runId ? `${data.runId} ${chunkName(data.runId, job.id as string)}` : String(job.id);
        })
        .filter((text) => runId === undefined || text.startsWith(`${runId} `));
      return `<tr data-worker="${html(worker.name)}"><td>${html(worker.name)}</td><td>${html(worker.addr)}</td><td>${html(age(worker.ageSeconds))}</td><td>${html(chunks.join(', '))}</td></tr>`;
    })
    .join('\n');
  return `<table id="workers"><thead><tr><th>Worker</th><th>Address</th><th>Connected for</th><th>Chunks now</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A command shown whole, with a copy button. */
const commandBox = (id: string, command: string): string =>
  `<div class="command"><code id="${id}">${html(command)}</code><button type="button" data-copy="${id}" onclick="koppelCopy(this)">Copy</button></div>`;

/** What to run next: the re-submit of fixed rejects, the resume of a stopped run. */
function nextCommands(run: RemoteRunMeta): string {
  if (run.status === 'running') return '';
  const parts: string[] = [];
  const rejected = run.counts?.rejected ?? 0;
  if (rejected > 0 && run.files) {
    const { inRunDir, input, command } = rejectsCommand({ job: run.job, files: run.files }, 'koppel submit');
    parts.push(
      `<p>${rejected} record(s) rejected: ${
        inRunDir
          ? `fix them in <code>${html(input)}</code>, then re-submit:`
          : `copy <code>${html(run.files.rejects)}</code> to <code>${html(input)}</code>, fix them there, then re-submit:`
      }</p>${commandBox('resubmit', command)}`,
    );
  }
  if (run.exitCode === 1 || run.status === 'stopped')
    parts.push(`<p>Resume the run:</p>${commandBox('resume', jobCommand(run.job, 'koppel submit'))}`);
  return parts.length > 0 ? `<section id="next">${parts.join('\n')}</section>` : '';
}

function chunkDetails(activity: ChunkActivity | undefined): string {
  if (!activity) return '';
  const lines: string[] = [];
  if (activity.stalled > 0)
    lines.push(
      `<p class="stalled" id="stalled">Stalled (will be retried): ${html(activity.stalledChunks.join(', '))}. Their worker stopped; once the other chunks settle the run puts them back from where they stopped (the ledger keeps what was sent from being sent again). bull-board lists the ones BullMQ failed as failed.</p>`,
    );
  if (activity.failed > 0)
    lines.push(`<p class="failed" id="failed">Failed: ${html(activity.failures.join('; '))}</p>`);
  return lines.join('\n');
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
  createBullBoard({
    queues: queues.map(
      (queue) =>
        new BullMQAdapter(queue, queue.name === DEFAULT_QUEUES.chunks ? { description: CHUNKS_NOTE } : {}),
    ),
    serverAdapter: board,
  });
  const store = new RedisRunStore(redis, keys);
  const [runs, chunks] = queues as [Queue, Queue, Queue];
  const views = async (list: RemoteRunMeta[]) => {
    const [workers, active] = await Promise.all([connectedWorkers(chunks), chunks.getActive()]);
    const shown = await Promise.all(
      list.map(async (run, index): Promise<RunView> => {
        // Chunk states cost a read of every child: the running runs and the newest few only.
        const activity =
          run.status === 'running' || index < CHUNKS_SHOWN
            ? await chunkActivity(run, { redis, keys, runs, chunks, active, workers })
            : undefined;
        const progress: RunProgress | undefined =
          run.status === 'running' ? await runProgress(run, { redis, keys, figures: true }) : undefined;
        return {
          run,
          ...(activity ? { activity } : {}),
          ...(progress?.figures ? { figures: progress.figures } : {}),
          noWorker: progress !== undefined && progress.workers === 0 && progress.pendingChunks.length > 0,
        };
      }),
    );
    return { workers, active, shown };
  };
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
  app.get('/api/runs/:runId', async (req, res, next) => {
    try {
      const run = await store.read(req.params.runId);
      if (!run) {
        res.status(404).json({ error: `no run ${req.params.runId}` });
        return;
      }
      const { workers, shown } = await views([run]);
      res.json({ ...shown[0], workers });
    } catch (error) {
      next(error);
    }
  });
  app.get('/runs', async (_req, res, next) => {
    try {
      const { workers, active, shown } = await views((await store.list()).reverse());
      const body = `${runsTable(shown)}<h2>Workers</h2>${workersTable(workers, active)}`;
      res.type('html').send(
        page(
          'Koppel runs',
          body,
          shown.some(({ run }) => run.status === 'running'),
        ),
      );
    } catch (error) {
      next(error);
    }
  });
  app.get('/runs/:runId', async (req, res, next) => {
    try {
      const found = await store.read(req.params.runId);
      if (!found) {
        res
          .status(404)
          .type('html')
          .send(page('No such run', `<p>No run ${html(req.params.runId)}.</p>`));
        return;
      }
      const { workers, active, shown } = await views([found]);
      const view = shown[0] as RunView;
      const { run } = view;
      const body = `${runsTable([view])}${chunkDetails(view.activity)}<p>Job: <code>${html(run.job)}</code><br>Input: <code>${html(run.input)}</code></p>
${run.stopReason ? `<p class="stopped">Stopped: ${html(run.stopReason)}</p>` : ''}${nextCommands(run)}<h2>Summary</h2><pre id="summary">${html(run.summary ?? '(running)')}</pre>
<h2>Workers</h2>${workersTable(workers, active, run.runId)}`;
      res.type('html').send(page(`Run ${run.runId}`, body, run.status === 'running'));
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
