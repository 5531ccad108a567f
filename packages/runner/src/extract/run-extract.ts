import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createAfasClient,
  formatAmsterdamOffset,
  getConnectorRanges,
  getConnectorValue,
  type Row,
  readGetConnector,
} from '@koppel/afas';
import {
  checkIncrementalState,
  type ExtractCell,
  type ExtractReport,
  extractFormat,
  extractRowFormatter,
  IncrementalTracker,
  loadExtractJob,
  openPartedWriter,
  type PipelineDocument,
  parseDuration,
  StateStore,
} from '@koppel/core';
import { RunSetupError } from '../errors.js';
import { compileFilterTemplate } from '../render-template.js';
import { stateDirOf } from '../state-dir.js';
import { connectorTypes, jobFilter, readOptions } from './get-connector-spec.js';

/** Options of `runExtract`. */
export interface RunExtractOptions {
  /** Environment for `${VAR}` in the job; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory of local state; the watermark goes to `<stateDir>/state/<job>.json`; default resolveStateDir(). */
  stateDir?: string;
  /** Ignore the watermark and read everything (the new watermark is still kept); default false. */
  fullRefresh?: boolean;
  /** Stops the read; the output file is not written. */
  signal?: AbortSignal;
}

/** The state store of extracts under a state directory (`<stateDir>/state`). */
export function extractStateStore(stateDir: string = stateDirOf()): StateStore {
  return new StateStore(join(resolve(stateDir), 'state'));
}

/**
 * Runs an extract job: reads its GetConnector (sorted, key-paged, optionally in parallel key
 * ranges), writes the CSV/JSONL/JSON file atomically (an incremental run after the first appends
 * to it), then the incremental watermark and a report
 * (`<file>.report.json` unless `target.report` says otherwise).
 */
export async function runExtract(jobFile: string, options: RunExtractOptions = {}): Promise<ExtractReport> {
  const started = performance.now();
  const loaded = await loadExtractJob(jobFile, { env: options.env ?? process.env });
  const { job } = loaded;
  const spec = job.source.get_connector;
  const connection = loaded.sourceConnection;
  if (!spec || !connection)
    throw new RunSetupError(`${loaded.file}: an extract needs source.get_connector and a connection`);
  if (!connection.token) {
    throw new RunSetupError(
      `${loaded.file}: the connection has no token; set connection.token or token_file`,
    );
  }
  const client = createAfasClient({
    environmentId: 0,
    url: connection.baseUrl,
    auth: { type: 'token', token: connection.token },
    language: connection.language,
    ...(connection.integrationId ? { integrationId: connection.integrationId } : {}),
    maxInFlight: job.run?.concurrency ?? 8,
  });
  try {
    const incremental = job.incremental;
    const { types, columns } = await connectorTypes(client, spec, {
      source: loaded.source,
      incremental,
    });
    const store = extractStateStore(options.stateDir);
    let tracker: IncrementalTracker | undefined;
    let stored: unknown;
    if (incremental) {
      stored = options.fullRefresh ? undefined : await store.get(job.name);
      tracker = new IncrementalTracker({
        job: job.name,
        field: incremental.field,
        lookbackMs: parseDuration(incremental.lookback ?? '0s', 'incremental.lookback'),
        previous:
          stored === undefined
            ? undefined
            : checkIncrementalState(stored, incremental.field, store.path(job.name)),
      });
    }
    const since = tracker?.since;
    const filter = jobFilter(spec);
    const withSince = since
      ? (filter.length === 0 ? [[]] : filter).map((group) => [
          ...group,
          { field: (incremental as { field: string }).field, op: 'gte' as const, value: since },
        ])
      : filter;
    const keyOf = keyFunction(job.key, spec.sort, loaded.file);
    const columnTypes = columns.map((column) => types.get(column));
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const read = { ...readOptions(spec, withSince), signal };
    const path = resolve(loaded.dir, job.target.file);
    const format = extractFormat(path, job.target.format ?? 'auto');
    const formatRow = extractRowFormatter({ format, columns, delimiter: job.target.delimiter });
    let skipped = 0;
    const field = incremental?.field ?? '';
    // A page becomes its output text as soon as it arrives: buffered pages are text, not rows.
    const formatPage = (rows: Row[]): PageText => {
      const values: ExtractCell[] = new Array(columns.length);
      let text = '';
      let count = 0;
      for (const row of rows) {
        if (tracker && !tracker.accept(keyOf(row), getConnectorValue(row[field], 'date'))) {
          skipped++;
          continue;
        }
        for (let i = 0; i < columns.length; i++) {
          const raw = row[columns[i] as string];
          // A number is written as the JsonNumber getConnectorValue would make of it (String(raw)).
          values[i] = typeof raw === 'number' ? raw : getConnectorValue(raw, columnTypes[i]);
        }
        text += formatRow(values);
        count++;
      }
      return { text, rows: count };
    };
    // Key ranges stream into their own part files at the same time; a limit needs the sorted read.
    const ranges: AsyncIterable<PageText>[] = spec.limit
      ? [pagesOf(readGetConnector(client, spec.id, read), formatPage)]
      : await getConnectorRanges(client, spec.id, { ...read, prefetchPages: 2, mapPage: formatPage });
    const writer = await openPartedWriter({
      path,
      columns,
      format,
      parts: ranges.length,
      ...(job.target.delimiter ? { delimiter: job.target.delimiter } : {}),
      ...(job.target.bom ? { bom: true } : {}),
      // After the first run an incremental extract adds its rows to the file; --full-refresh rewrites it.
      append: stored !== undefined,
      appendAfter: previousOutput(stored, path),
    });
    const drain = async (range: AsyncIterable<PageText>, index: number) => {
      const part = writer.part(index);
      for await (const page of range) await part.writeText(page.text, page.rows);
    };
    const settled = await Promise.allSettled(
      ranges.map((range, index) =>
        drain(range, index).catch((error: unknown) => {
          controller.abort(error);
          throw error;
        }),
      ),
    );
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) {
      await writer.abort();
      throw (failure as PromiseRejectedResult).reason;
    }
    await writer.close();
    const bytes = await stat(path).then((info) => info.size);
    if (tracker) await store.set(job.name, { ...tracker.state(), output: { file: path, bytes } });
    const seconds = (performance.now() - started) / 1000;
    const report: ExtractReport = {
      job: job.name,
      connector: spec.id,
      file: path,
      format,
      rows: writer.count,
      seconds: Math.round(seconds * 1000) / 1000,
      rows_per_second: seconds > 0 ? Math.round(writer.count / seconds) : writer.count,
      parallel: spec.parallel ?? 1,
      ...(stored === undefined
        ? {}
        : {
            append:
              writer.appendedTo === undefined
                ? { mode: 'created' as const }
                : {
                    mode: 'appended' as const,
                    before: writer.appendedTo,
                    total: writer.appendedTo + writer.count,
                    ...(writer.dropped ? { replaced: writer.dropped } : {}),
                  },
          }),
      ...(tracker
        ? {
            incremental: {
              since: since ? formatAmsterdamOffset(since) : null,
              watermark: tracker.state().watermark,
              skipped,
              full_refresh: options.fullRefresh === true,
            },
          }
        : {}),
    };
    const reportPath = job.target.report ? resolve(loaded.dir, job.target.report) : `${path}.report.json`;
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    return report;
  } finally {
    client.close();
  }
}

/** The size the previous run left the file at, when its state names this file. */
function previousOutput(stored: unknown, path: string): number | undefined {
  const output = (stored as { output?: { file?: unknown; bytes?: unknown } } | undefined)?.output;
  return output?.file === path && typeof output.bytes === 'number' ? output.bytes : undefined;
}

/** The de-duplication key of a row: the job's `key` template, else the sort fields' values. */
function keyFunction(template: string | undefined, sort: readonly string[], file: string) {
  if (template) {
    const render = compileFilterTemplate(template, `${file}: key`);
    return (row: Row) => render({ records: [{ fields: row }] } as unknown as PipelineDocument);
  }
  const fields = sort.map((s) => s.replace(/^-/, ''));
  return (row: Row) => fields.map((f) => String(row[f] ?? '')).join('|');
}

/** A page of rows as output text. */
interface PageText {
  text: string;
  rows: number;
}

/** Rows in pages of up to 1000, each as `map` gives it, for the parted writer. */
async function* pagesOf<T>(rows: AsyncIterable<Row>, map: (page: Row[]) => T): AsyncGenerator<T> {
  let page: Row[] = [];
  for await (const row of rows) {
    page.push(row);
    if (page.length === 1000) {
      yield map(page);
      page = [];
    }
  }
  if (page.length > 0) yield map(page);
}
