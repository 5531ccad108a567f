import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import {
  type Dashboard,
  KoppelKeys,
  openRedis,
  RedisRunStore,
  type RemoteRunMeta,
  startDashboard,
  startWorker,
  submitRun,
} from '@koppel/runner/bullmq';
import { Queue } from 'bullmq';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Spawned, spawnKoppel } from '../../../../test/helpers/cli.js';
import { writeEntriesFixture } from '../../../../test/helpers/entries-fixture.js';
import { dropPrefix, freshPrefix, REDIS_URL } from './redis-env.js';

/** Debian's chromium; never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page as a user reads it: playwright's rendered text of the body (not the DOM's innerText). */
// biome-ignore lint/performance/useDomNodeTextContent: playwright's Locator.innerText, the rendered text
const pageText = (page: Page) => page.locator('body').innerText();

/** Reloads `url` until `ready(page)` holds; fails after `ms` with what the page showed. */
async function showsWhen(page: Page, url: string, ready: () => Promise<boolean>, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    await page.goto(url);
    if (await ready()) return;
    if (Date.now() > deadline)
      throw new Error(`the dashboard never showed ${what}; it showed:\n${await pageText(page)}`);
    await sleep(250);
  }
}

/** KOPPEL_TEST_SHOW=1 prints what the pages showed. */
const show = (text: string) => {
  if (process.env.KOPPEL_TEST_SHOW) process.stdout.write(text);
};

const cells = (page: Page, runId: string) => page.locator(`tr[data-run="${runId}"] td`).allInnerTexts();

describe('koppel dashboard in a real headless browser', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let redis: ReturnType<typeof openRedis>;
  let dashboard: Dashboard;
  let browser: Browser;
  let runId: string;
  let meta: RemoteRunMeta;
  /** The command the run's summary gives to feed the fixed rejects back. */
  const resubmit = () => /then run: (.+)$/m.exec(meta.summary ?? '')?.[1] ?? '(none in the summary)';

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, update: { multiElementResults: 'array' } });
    dir = await mkdtemp(join(tmpdir(), 'koppel-dashboard-'));
    prefix = freshPrefix();
    redis = openRedis(REDIS_URL);
    const keys = new KoppelKeys(prefix);
    const job = await writeEntriesFixture(dir, sim, { count: 40, concurrency: 4, batch: 1 });
    const worker = startWorker({ redis, keys });
    try {
      runId = (await submitRun(job.jobFile, { redis, keys, chunkSize: 10 })).runId;
      const store = new RedisRunStore(redis, keys);
      while ((await store.read(runId))?.status === 'running') await new Promise((r) => setTimeout(r, 100));
      meta = (await store.read(runId)) as RemoteRunMeta;
    } finally {
      await worker.close();
    }
    dashboard = await startDashboard({ redis, keys, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    redis?.disconnect();
    await dropPrefix(prefix);
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the run with its status, counts and chunks on the runs page', async () => {
    const page = await browser.newPage();
    await page.goto(`${dashboard.url}/`);
    const row = page.locator(`tr[data-run="${runId}"]`);
    await row.waitFor();
    expect(await row.locator('td').allInnerTexts()).toEqual([
      runId,
      'finished',
      '38',
      '2',
      '0',
      '0',
      `${meta.chunks} done`,
      '',
      '',
      '',
      '1',
      // Created in the local time zone with its offset (the runs API keeps the ISO time).
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/),
    ]);
    expect(meta.chunks).toBe(4);
    const api = (await (await fetch(`${dashboard.url}/api/runs/${runId}`)).json()) as {
      activity: Record<string, unknown>;
      workers: unknown[];
    };
    expect(api.activity).toMatchObject({ done: 4, active: 0, waiting: 0, stalled: 0, putBack: 0, failed: 0 });
    expect(api.workers).toEqual([]);
    expect(await page.locator('#no-workers').textContent()).toContain('No koppel worker is connected');
    await row.locator('a').click();
    await page.locator('#summary').waitFor();
    expect(await page.locator('#summary').textContent()).toMatch(
      new RegExp(`Run ${runId} finished in \\d+\\.\\d s \\(exit 2\\)`),
    );
    await page.close();
  });

  it('shows the whole re-submit command of the rejects, the one the summary gives, and copies it', async () => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await page.setViewportSize({ width: 480, height: 900 });
    await page.goto(`${dashboard.url}/runs/${runId}`);
    const command = page.locator('#resubmit');
    const text = (await command.textContent()) ?? '';
    expect(text).toBe(resubmit());
    expect(text).toMatch(new RegExp(`^koppel submit ${meta.job} --input /\\S+\\.csv$`));
    // Wrapped in a narrow window, never cut: the box is as wide as it shows.
    expect(await command.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.locator('button[data-copy="resubmit"]').click();
    await expect.poll(() => page.locator('button[data-copy="resubmit"]').textContent()).toBe('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(text);
    await context.close();
  });

  it('copies without the Clipboard API too (a page served over plain HTTP to another host)', async () => {
    const page = await browser.newPage();
    await page.addInitScript(`
      Object.defineProperty(navigator, 'clipboard', { value: undefined });
      document.addEventListener('copy', () => { window.copied = String(document.getSelection()); });
    `);
    await page.goto(`${dashboard.url}/runs/${runId}`);
    await page.locator('button[data-copy="resubmit"]').click();
    await expect.poll(() => page.locator('button[data-copy="resubmit"]').textContent()).toBe('Copied');
    expect(await page.evaluate('window.copied')).toBe(resubmit());
    await page.close();
  });

  it('serves bull-board with the runs, chunks and triggers queues', async () => {
    const page = await browser.newPage();
    await page.goto(`${dashboard.url}/queues`);
    for (const queue of ['runs', 'chunks', 'triggers']) {
      await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 15_000 });
    }
    expect(await page.title()).toContain('Bull');
    const api = (await (await fetch(`${dashboard.url}/queues/api/queues`)).json()) as {
      queues: { name: string; description: string }[];
    };
    expect(api.queues.find((queue) => queue.name === 'chunks')?.description).toMatch(
      /^A chunk failed with "job stalled more than allowable limit" lost its worker: not a failure/,
    );
    await page.close();
  });
});

describe('koppel dashboard of a running run whose worker is killed', () => {
  const COUNT = 60;
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let redis: ReturnType<typeof openRedis>;
  let dashboard: Dashboard | undefined;
  let browser: Browser | undefined;
  let killed: Spawned | undefined;
  let rescuer: ReturnType<typeof startWorker> | undefined;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      update: { multiElementResults: 'array' },
      faults: { rules: [{ kind: 'latency', connector: 'FiEntries', method: 'POST', ms: 250 }] },
    });
    dir = await mkdtemp(join(tmpdir(), 'koppel-dashboard-live-'));
    prefix = freshPrefix();
    redis = openRedis(REDIS_URL);
  });

  afterAll(async () => {
    killed?.child.kill('SIGKILL');
    await rescuer?.close();
    await browser?.close();
    await dashboard?.close();
    redis?.disconnect();
    await dropPrefix(prefix);
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows rate, ETA and workers, then the dead worker’s chunks amber as stalled (will be retried), never as failed', async () => {
    const keys = new KoppelKeys(prefix);
    const env = {
      REDIS_URL,
      KOPPEL_REDIS_PREFIX: prefix,
      KOPPEL_LOCK_DURATION_MS: '2000',
      KOPPEL_STALLED_INTERVAL_MS: '500',
      KOPPEL_GATE_LEASE_MS: '2000',
      KOPPEL_VERIFY_DELAY_MS: '0',
    };
    const job = await writeEntriesFixture(dir, sim, { count: COUNT, concurrency: 2, batch: 1 });
    killed = spawnKoppel(['worker', '--concurrency', '2'], { cwd: dir, env });
    await killed.waitFor('koppel worker: ready');
    const name = `${hostname()}:${killed.child.pid}`;
    dashboard = await startDashboard({ redis, keys, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const page = await browser.newPage();
    const { runId } = await submitRun(job.jobFile, { redis, keys, chunkSize: 5 });
    const store = new RedisRunStore(redis, keys);
    const url = `${dashboard.url}/runs/${runId}`;

    // Running: the rate of the chunks finished in the last minute, an ETA, the worker and its chunks.
    // A page is a snapshot: between two chunks the worker holds none, so wait for one that shows
    // both a rate and the worker holding a chunk of the run.
    const holdingOne = new RegExp(`^${name} \\(\\d\\)$`);
    await showsWhen(
      page,
      url,
      async () => {
        const row = await cells(page, runId);
        return Number.parseFloat(row[8] ?? '') > 0 && holdingOne.test(row[7] ?? '');
      },
      'a rate and the worker holding a chunk',
    );
    const running = await cells(page, runId);
    expect(running[1]).toBe('running');
    expect(running[8]).toMatch(/^\d+(\.\d)? documents\/s$/);
    expect(Number.parseFloat(running[8] ?? '')).toBeGreaterThan(0);
    expect(running[9]).toMatch(/^(\d+ s|\d+ min \d\d s) \(\d\d:\d\d:\d\d\)$/);
    expect(running[7]).toMatch(holdingOne);
    expect(running[6]).toMatch(/\d+ active/);
    const worker = page.locator(`#workers tr[data-worker="${name}"] td`);
    const [workerName, addr, connectedFor, holding] = await worker.allInnerTexts();
    expect(workerName).toBe(name);
    expect(addr).toMatch(/^[\d.:]+:\d+$/);
    expect(connectedFor).toMatch(/^\d+ s$/);
    expect(holding).toMatch(new RegExp(`^${runId} c\\d+`));
    show(`dashboard, running:\n${await pageText(page)}\n\n`);
    expect((await store.read(runId))?.counts?.pending).toBeGreaterThan(10);

    // The worker dies holding chunks: they are stalled, amber, and will be retried; nothing failed.
    killed.child.kill('SIGKILL');
    await killed.exit;
    await showsWhen(page, url, async () => (await page.locator('#no-workers').count()) > 0, 'no worker');
    const stalled = page.locator(`tr[data-run="${runId}"] td.chunks .stalled`);
    expect(await stalled.textContent()).toMatch(/^stalled [12] \(will be retried\)$/);
    expect(await page.evaluate("getComputedStyle(document.querySelector('td.chunks .stalled')).color")).toBe(
      'rgb(126, 81, 9)',
    );
    expect(await page.locator('td.chunks .failed').count()).toBe(0);
    expect((await cells(page, runId))[9]).toBe('waiting for a worker');
    expect(await page.locator('#stalled').textContent()).toMatch(/^Stalled \(will be retried\): c\d+/);
    show(`dashboard, worker killed:\n${await pageText(page)}\n\n`);

    // Another worker's stall check fails them in BullMQ (bull-board: failed); here still stalled.
    rescuer = startWorker({ redis, keys, env: { ...process.env, ...env } });
    const chunks = new Queue('chunks', { connection: redis, prefix: keys.bull });
    try {
      const deadline = Date.now() + 20_000;
      while ((await chunks.getFailedCount()) === 0 && Date.now() < deadline) await sleep(100);
      expect(await chunks.getFailedCount()).toBeGreaterThan(0);
    } finally {
      await chunks.close();
    }
    // bull-board lists them under Failed (its own red); the chunk queue's page says they are not failures.
    const board = await browser.newPage();
    await board.goto(`${dashboard.url}/queues/queue/chunks?status=failed`);
    await board
      .getByText('lost its worker: not a failure, the run puts it back', { exact: false })
      .first()
      .waitFor({ timeout: 15_000 });
    show(`bull-board, chunks failed by BullMQ as stalled:\n${await pageText(board)}\n\n`);
    await board.close();
    await page.goto(url);
    const failedInBullmq = await cells(page, runId);
    expect(failedInBullmq[1]).toBe('running');
    expect(failedInBullmq[6]).toMatch(/stalled [12] \(will be retried\)$/);
    expect(await page.locator('td.chunks .failed').count()).toBe(0);

    // The run puts them back and finishes: no record twice, nothing failed.
    await showsWhen(
      page,
      url,
      async () => (await cells(page, runId))[1] === 'finished',
      'the run finished',
      60_000,
    );
    const finished = await cells(page, runId);
    expect(finished.slice(1, 6)).toEqual(['finished', String(COUNT - 2), '2', '0', '0']);
    expect(finished[6]).toMatch(/^\d+ done, [12] put back$/);
    expect(await page.locator('.stalled, .failed').count()).toBe(0);
    show(`dashboard, finished:\n${await pageText(page)}\n`);
  }, 120_000);
});
