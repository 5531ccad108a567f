import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createAfasClient,
  formatAmsterdamOffset,
  getConnectorValue,
  type Row,
  readGetConnector,
} from '@koppel/afas';
import {
  checkIncrementalState,
  type ExtractReport,
  extractFormat,
  IncrementalTracker,
  loadExtractJob,
  openExtractWriter,
  type PipelineDocument,
  parseDuration,
  StateStore,
} from '@koppel/core';
import { RunSetupError } from '../errors.js';
import { compileFilterTemplate } from '../render-template.js';
import { connectorTypes, jobFilter, readOptions } from './get-connector-spec.js';

/** Options of `runExtract`. */
export interface RunExtractOptions {
  /** Environment for `${VAR}` in the job; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory of local state; the watermark goes to `<stateDir>/state/<job>.json`; default `.koppel`. */
  stateDir?: string;
  /** Ignore the watermark and read everything (the new watermark is still kept); default false. */
  fullRefresh?: boolean;
  /** Stops the read; the output file is not written. */
  signal?: AbortSignal;
}

/** The state store of extracts under a state directory (`<stateDir>/state`). */
export function extractStateStore(stateDir = '.koppel'): StateStore {
  return new StateStore(join(resolve(stateDir), 'state'));
}

/**
 * Runs an extract job: reads its GetConnector (sorted, key-paged, optionally in parallel key
 * ranges), writes the CSV/JSONL/JSON file atomically, then the incremental watermark and a report
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
    const { types, columns } = await connectorTypes(client, spec, incremental ? [incremental.field] : []);
    const store = extractStateStore(options.stateDir);
    let tracker: IncrementalTracker | undefined;
    if (incremental) {
      const stored = options.fullRefresh ? undefined : await store.get(job.name);
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
    const rows = readGetConnector(client, spec.id, {
      ...readOptions(spec, withSince),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const path = resolve(loaded.dir, job.target.file);
    const format = extractFormat(path, job.target.format ?? 'auto');
    const writer = await openExtractWriter({
      path,
      columns,
      format,
      ...(job.target.delimiter ? { delimiter: job.target.delimiter } : {}),
      ...(job.target.bom ? { bom: true } : {}),
    });
    let skipped = 0;
    const field = incremental?.field ?? '';
    try {
      for await (const row of rows) {
        if (tracker && !tracker.accept(keyOf(row), getConnectorValue(row[field], 'date'))) {
          skipped++;
          continue;
        }
        await writer.writeValues(columns.map((column, i) => getConnectorValue(row[column], columnTypes[i])));
      }
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    if (tracker) await store.set(job.name, tracker.state());
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

/** The de-duplication key of a row: the job's `key` template, else the sort fields' values. */
function keyFunction(template: string | undefined, sort: readonly string[], file: string) {
  if (template) {
    const render = compileFilterTemplate(template, `${file}: key`);
    return (row: Row) => render({ records: [{ fields: row }] } as unknown as PipelineDocument);
  }
  const fields = sort.map((s) => s.replace(/^-/, ''));
  return (row: Row) => fields.map((f) => String(row[f] ?? '')).join('|');
}
