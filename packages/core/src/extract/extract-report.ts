/** What an extract run reports (also written as JSON beside the output). */
export interface ExtractReport {
  job: string;
  /** GetConnector id read. */
  connector: string;
  /** Absolute path of the file written. */
  file: string;
  format: 'csv' | 'jsonl' | 'json';
  /** Rows written (by an incremental run: the new rows appended). */
  rows: number;
  /**
   * An incremental run after the first: how the file was written. appended: `rows` were added to
   * the `before` rows it held (`total` now); created: the file was missing, so it holds only the
   * rows changed since the watermark.
   */
  append?:
    | {
        mode: 'appended';
        before: number;
        total: number;
        /** Rows an earlier run appended without keeping its state; read again, they were replaced. */
        replaced?: number;
      }
    | { mode: 'created' };
  /** Wall time of the read and write, in seconds. */
  seconds: number;
  /** rows / seconds, rounded. */
  rows_per_second: number;
  /** Key ranges read in parallel. */
  parallel: number;
  /** Incremental runs: the read started at (Amsterdam local, with offset), the new watermark, rows skipped as already delivered. */
  incremental?: { since: string | null; watermark: string | null; skipped: number; full_refresh: boolean };
}

/**
 * One line for people: `koppel extract: 1000 rows of X to out.csv in 0.4 s (2500 rows/s)`, or
 * `koppel extract: appended 2 rows of X to out.csv (now 9) in …` for an incremental run.
 */
export function formatExtractReport(report: ExtractReport): string {
  const append = report.append;
  let line =
    append?.mode === 'appended'
      ? `koppel extract: appended ${report.rows} rows of ${report.connector} to ${report.file} (now ${append.total})`
      : `koppel extract: ${report.rows} rows of ${report.connector} to ${report.file}`;
  line += ` in ${report.seconds.toFixed(2)} s (${report.rows_per_second} rows/s`;
  if (report.parallel > 1) line += `, ${report.parallel} key ranges in parallel`;
  line += ')';
  const inc = report.incremental;
  if (inc) {
    line += inc.since ? `; changed since ${inc.since}` : '; full read';
    line += `, watermark ${inc.watermark ?? 'none'}`;
    if (inc.skipped > 0) line += `, ${inc.skipped} already delivered skipped`;
  }
  if (append?.mode === 'appended' && append.replaced) {
    line += `; ${append.replaced} rows appended by an earlier run that stopped before keeping its watermark were read again and replaced`;
  }
  if (append?.mode === 'created') {
    line += `; the file did not exist, so it holds only these rows (run with --full-refresh for all)`;
  }
  return line;
}
