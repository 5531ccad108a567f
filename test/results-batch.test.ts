import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@koppel/afas-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { storedEntries, writeEntriesFixture } from './helpers/entries-fixture.js';
import { reportPath } from './helpers/executors.js';

const ENV = { KOPPEL_RETRY_BASE_MS: '5', KOPPEL_VERIFY_DELAY_MS: '0' };
const COUNT = 120;

interface ResultLine {
  key: string;
  run: string;
  session: number;
  request: number;
  element: number;
  result: Record<string, string>;
  result_scope: 'element' | 'request' | 'lookup' | 'none';
  request_result?: Record<string, string>;
}

/**
 * `batch: auto` sends many entries per request. Every done record gets its own results line
 * naming the run, the request and its element, with what AFAS returned for it: its own keys
 * when AFAS answers per element, else the request's one answer marked `result_scope: request`,
 * and with `verify:` the record's own keys found by the lookup.
 */
describe('results.jsonl with batch: auto', () => {
  let sim: Simulator | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function run(options: { multiElementResults: 'last' | 'array'; verify: boolean }) {
    sim = await startSimulator({ port: 0, update: { multiElementResults: options.multiElementResults } });
    dir = await mkdtemp(join(tmpdir(), 'koppel-results-'));
    const fixture = await writeEntriesFixture(dir, sim, {
      count: COUNT,
      batch: 'auto',
      invalid: false,
      verify: options.verify,
    });
    const result = await runCli(['run', fixture.jobFile, '--state-dir', join(dir, 'state')], {
      cwd: dir,
      env: ENV,
    });
    expect(result.stderr).not.toContain('internal error');
    expect(result.code).toBe(0);
    const report = JSON.parse(await readFile(reportPath(result.stdout), 'utf8'));
    const lines: ResultLine[] = (await readFile(report.files.results, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    return { report, lines, stored: storedEntries(sim) };
  }

  /** One line per record; (session, request, element) names a distinct slot; elements of a request are 0..n-1. */
  function expectOneLinePerRecord(lines: ResultLine[], runId: string): Map<number, ResultLine[]> {
    expect(lines).toHaveLength(COUNT);
    expect(new Set(lines.map((l) => l.key)).size).toBe(COUNT);
    expect(lines.every((l) => l.run === runId && l.session === 1)).toBe(true);
    const byRequest = new Map<number, ResultLine[]>();
    for (const line of lines) byRequest.set(line.request, [...(byRequest.get(line.request) ?? []), line]);
    for (const group of byRequest.values()) {
      expect(group.map((l) => l.element).sort((a, b) => a - b)).toEqual(group.map((_, i) => i));
    }
    // batch: auto really batched: fewer requests than records.
    expect(byRequest.size).toBeLessThan(COUNT / 2);
    return byRequest;
  }

  it('AFAS answers one object per request, with verify: each record gets its own keys by lookup', async () => {
    const { report, lines, stored } = await run({ multiElementResults: 'last', verify: true });
    const byRequest = expectOneLinePerRecord(lines, report.runId);
    for (const line of lines) {
      expect(line.result_scope).toBe('lookup');
      expect(stored.get(line.key)?.has(Number(line.result.EnNo))).toBe(true);
    }
    for (const group of byRequest.values()) {
      if (group.length < 2) continue;
      // The request's one answer names its last element (the simulator's `last`), and says so.
      const last = group.find((l) => l.element === group.length - 1);
      for (const line of group) expect(line.request_result).toEqual(last?.result);
    }
  });

  it("AFAS answers one object per request, without verify: the line says the answer is the request's", async () => {
    const { report, lines, stored } = await run({ multiElementResults: 'last', verify: false });
    const byRequest = expectOneLinePerRecord(lines, report.runId);
    for (const group of byRequest.values()) {
      if (group.length === 1) {
        expect(group[0]?.result_scope).toBe('element');
        continue;
      }
      for (const line of group) {
        expect(line.result_scope).toBe('request');
        expect(line.result).toEqual({});
        expect(Object.keys(line.request_result ?? {})).toContain('EnNo');
      }
      const last = group.find((l) => l.element === group.length - 1);
      expect(stored.get(last?.key ?? '')?.has(Number(group[0]?.request_result?.EnNo))).toBe(true);
    }
  });

  it("AFAS answers an array in element order: each line carries its own element's keys", async () => {
    const { report, lines, stored } = await run({ multiElementResults: 'array', verify: true });
    expectOneLinePerRecord(lines, report.runId);
    for (const line of lines) {
      expect(line.result_scope).toBe('element');
      expect(stored.get(line.key)?.has(Number(line.result.EnNo))).toBe(true);
    }
    // No lookups were needed: AFAS named every record.
    const lookups = sim?.control.stats().requests.filter((r) => r.connector === 'Profit_Fin_Entries') ?? [];
    expect(lookups).toEqual([]);
  });
});
