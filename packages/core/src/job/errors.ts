/** A problem found in a job file, positioned for an editor: `file:line:col: message`. */
export interface JobProblem {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
  message: string;
}

/** Renders a problem as one `file:line:col: message` line. */
export function formatProblem(problem: JobProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.message}`;
}

/** A job file failed to parse, validate or compile; `problems` lists every problem, not only the first. */
export class JobInvalidError extends Error {
  readonly code = 'KOPPEL_JOB_INVALID';
  readonly problems: readonly JobProblem[];
  constructor(problems: readonly JobProblem[], options?: { cause?: unknown }) {
    const first = problems[0];
    const summary =
      problems.length === 1 && first
        ? formatProblem(first)
        : `${problems.length} problems in ${first?.file ?? 'the job'}:\n${problems.map(formatProblem).join('\n')}`;
    super(summary, options);
    this.name = 'JobInvalidError';
    this.problems = problems;
  }
}

/** A job file or one of the files it names could not be read. */
export class JobFileError extends Error {
  readonly code = 'KOPPEL_JOB_FILE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobFileError';
  }
}

/** A named connection is missing or its connections file is invalid. */
export class ConnectionError extends Error {
  readonly code = 'KOPPEL_CONNECTION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}

/** Update metainfo could not be fetched or does not describe the connector the job names. */
export class MetainfoError extends Error {
  readonly code = 'KOPPEL_METAINFO';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetainfoError';
  }
}

/** The input does not have a column the job reads (CSV header check on the first record). */
export class ColumnMissingError extends Error {
  readonly code = 'KOPPEL_COLUMN_MISSING';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ColumnMissingError';
  }
}
