import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import {
  type Dashboard,
  KoppelKeys,
  openRedis,
  RedisRunStore,
  startDashboard,
  startWorker,
  submitRun,
} from '@koppel/runner/bullmq';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('koppel dashboard in a real headless browser', () => {
  let sim: Simulator;
  let dir: string;
  let prefix: string;
  let redis: ReturnType<typeof openRedis>;
  let dashboard: Dashboard;
  let browser: Browser;
  let runId: string;

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

  it('lists the run with its status and counts on the runs page', async () => {
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
      '1',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    ]);
    await row.locator('a').click();
    await page.locator('#summary').waitFor();
    expect(await page.locator('#summary').textContent()).toMatch(
      new RegExp(`Run ${runId} finished in \\d+\\.\\d s \\(exit 2\\)`),
    );
    await page.close();
  });

  it('serves bull-board with the runs, chunks and triggers queues', async () => {
    const page = await browser.newPage();
    await page.goto(`${dashboard.url}/queues`);
    for (const queue of ['runs', 'chunks', 'triggers']) {
      await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 15_000 });
    }
    expect(await page.title()).toContain('Bull');
    await page.close();
  });
});
