import { relative } from 'node:path';
import type { Language } from '../job/connections.js';
import { formatProblem, JobInvalidError } from '../job/errors.js';
import { jobLanguage } from '../job/job-language.js';
import { type LoadedJob, type LoadJobOptions, loadJob } from '../job/load-job.js';
import { type CompiledJob, compileJob } from '../mapping/compile-job.js';
import type { MetainfoProvider } from '../metainfo/update-metainfo.js';
import { jsonText } from '../outputs/json-text.js';
import { openJobSource } from '../plan/open-job-source.js';
import { planJob } from '../plan/plan-job.js';
import type { SourceRecord } from '../record.js';
import { fixtureMetainfoProvider, recordingMetainfoProvider } from './fixture-metainfo.js';
import { alignKeys, differences, project, unifiedDiff } from './json-diff.js';
import type { ExpectedReject, JobTestCase, JobTestFile } from './load-test-file.js';
import { recordsOfRows } from './records-of-rows.js';
import { updateTestFile } from './update-test-file.js';

export { jobLanguage };

/** The outcome of one case. */
export interface CaseResult {
  name: string;
  /** 1-based line of the case in its test file. */
  line: number;
  passed: boolean;
  /** What went wrong, one block per problem (may span several lines: diffs). */
  failures: string[];
  /** With `update`: the expectation was rewritten to what the case produced (failures say what changed). */
  updated?: boolean;
}

/** What a case produced, when its input could be mapped. */
export interface CaseOutcome {
  requests: unknown[];
  rejects: { key: string; message: string }[];
}

/** The outcome of one test file. */
export interface TestFileResult {
  file: string;
  job: string;
  cases: CaseResult[];
}

/** Options of runJobTests. */
export interface RunJobTestsOptions {
  /** Where metainfo comes from (e.g. a simulator); default the test file's recorded fixtures. */
  metainfo?: MetainfoProvider;
  /** Write what `metainfo` returns to the fixture files; default false. */
  record?: boolean;
  /** Environment for ${VAR} in the job; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Loads the job without resolving its connection; default loadJob. The CLI passes the runner's
   * loader, which also accepts the run-only keys (verify:, output:).
   */
  loadJob?: (file: string, options: LoadJobOptions) => Promise<LoadedJob>;
  /**
   * Rewrite the expectations of failing cases in the test file to what they produce (comments and
   * the rest of the file stay); such cases come back `updated`. Default false.
   */
  update?: boolean;
}

/** Differences listed per case; the rest are counted. */
const MAX_DIFFERENCES = 20;

/** Runs every case of a test file against its job without sending anything; never throws for a failing case. */
export async function runJobTests(
  test: JobTestFile,
  options: RunJobTestsOptions = {},
): Promise<TestFileResult> {
  const result: TestFileResult = { file: test.file, job: test.job, cases: [] };
  let loaded: LoadedJob;
  try {
    const load = options.loadJob ?? loadJob;
    loaded = await load(test.job, { skipConnection: true, ...(options.env ? { env: options.env } : {}) });
  } catch (error) {
    const failure = `job ${test.job} does not load: ${describe(error)}`;
    result.cases = test.cases.map((item) => ({
      name: item.name,
      line: item.line,
      passed: false,
      failures: [failure],
    }));
    return result;
  }
  let provider = options.metainfo ?? fixtureMetainfoProvider(test.metainfo);
  if (options.metainfo && options.record)
    provider = recordingMetainfoProvider(options.metainfo, test.metainfo);
  const compiled = new Map<Language, Promise<CompiledJob>>();
  const compile = (language: Language): Promise<CompiledJob> => {
    let found = compiled.get(language);
    if (!found) {
      const forLanguage = withLanguage(loaded, language);
      found = provider
        .update(loaded.job.target.update_connector, language)
        .then((metainfo) => compileJob(forLanguage, { metainfo }));
      compiled.set(language, found);
    }
    return found;
  };
  const outcomes = new Map<JobTestCase, CaseOutcome>();
  for (const item of test.cases) {
    const language = item.language ?? test.language ?? jobLanguage(loaded);
    const { failures, outcome } = await runCase(test, item, () => compile(language));
    result.cases.push({ name: item.name, line: item.line, passed: failures.length === 0, failures });
    if (failures.length && outcome) outcomes.set(item, outcome);
  }
  if (options.update && outcomes.size) {
    await updateTestFile(test, outcomes);
    for (const [item, _outcome] of outcomes) {
      const entry = result.cases[item.index];
      if (entry) entry.updated = true;
    }
  }
  return result;
}

async function runCase(
  test: JobTestFile,
  item: JobTestCase,
  compile: () => Promise<CompiledJob>,
): Promise<{ failures: string[]; outcome?: CaseOutcome }> {
  let compiled: CompiledJob;
  try {
    compiled = await compile();
  } catch (error) {
    return { failures: [describe(error)] };
  }
  const loaded = compiled.loaded;
  const format = Object.keys(loaded.job.source)[0] as 'csv' | 'json' | 'jsonl';
  const requests: unknown[] = [];
  const rejects: { key: string; message: string }[] = [];
  try {
    let records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>;
    if (item.rows) {
      records = recordsOfRows(item.rows, { file: relative(loaded.dir, test.file), format });
    } else {
      records = (await openJobSource(withInput(loaded, item.file as string))).records;
    }
    // A file is checked like a run checks it: every column the job reads must be in the header.
    const checkColumns = item.file !== undefined && format === 'csv';
    for await (const entry of planJob(compiled, records, { checkColumns })) {
      if ('reject' in entry) rejects.push({ key: entry.reject.key, message: entry.reject.message });
      else {
        const { method, path, body } = entry.request;
        requests.push(JSON.parse(jsonText(body === undefined ? { method, path } : { method, path, body })));
      }
    }
  } catch (error) {
    return { failures: [`the input cannot be mapped: ${describe(error)}`] };
  }
  const failures: string[] = [];
  const requestProblem = compareRequests(item, requests);
  if (requestProblem) failures.push(requestProblem);
  const rejectProblem = compareRejects(item.rejects, rejects);
  if (rejectProblem) failures.push(rejectProblem);
  return { failures, outcome: { requests, rejects } };
}

/**
 * One line per difference (`requests differ at $[0].body.KnPerson.Element.Fields.MbNm: expected
 * "x", got "y"`), then a unified diff; partial compares only what the expected bodies name.
 */
function compareRequests(item: JobTestCase, requests: readonly unknown[]): string | undefined {
  const expected = JSON.parse(JSON.stringify(item.requests)) as unknown[];
  const partial = item.match === 'partial';
  const found = differences(expected, requests, { partial, limit: MAX_DIFFERENCES + 1 });
  if (partial && requests.length > expected.length) {
    found.unshift({ path: '$', message: `expected ${expected.length} request(s), got ${requests.length}` });
  }
  if (found.length === 0) return undefined;
  const lines = found
    .slice(0, MAX_DIFFERENCES)
    .map((difference) => `requests differ at ${difference.path}: ${difference.message}`);
  if (found.length > MAX_DIFFERENCES)
    lines.push(`… and more differences (the first ${MAX_DIFFERENCES} are listed)`);
  const shown = partial ? project(requests, expected) : requests;
  const diff = unifiedDiff(
    JSON.stringify(alignKeys(expected, shown), null, 2),
    JSON.stringify(shown, null, 2),
  );
  return `${lines.join('\n')}\n${diff}`;
}

function compareRejects(
  expected: readonly ExpectedReject[],
  actual: readonly { key: string; message: string }[],
): string | undefined {
  const bad: string[] = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const want = expected[i];
    const got = actual[i];
    if (want && got && want.key === got.key && matches(want, got.message)) continue;
    bad.push(
      `  [${i}] expected ${want ? `${want.key}: ${wanted(want)}` : 'no reject'}\n      got      ${got ? `${got.key}: ${JSON.stringify(got.message)}` : 'no reject'}`,
    );
  }
  if (bad.length === 0) return undefined;
  return `rejects differ (expected ${expected.length}, got ${actual.length}):\n${bad.join('\n')}`;
}

const matches = (want: ExpectedReject, message: string): boolean =>
  want.exact !== undefined ? message === want.exact : message.includes(want.message ?? '');

const wanted = (want: ExpectedReject): string =>
  want.exact !== undefined
    ? `exactly ${JSON.stringify(want.exact)}`
    : `message containing ${JSON.stringify(want.message ?? '')}`;

function describe(error: unknown): string {
  if (error instanceof JobInvalidError) return error.problems.map(formatProblem).join('\n');
  return error instanceof Error ? error.message : String(error);
}

function withLanguage(loaded: LoadedJob, language: Language): LoadedJob {
  const connection = typeof loaded.job.connection === 'object' ? loaded.job.connection : {};
  const { connection: _resolved, ...rest } = loaded;
  return { ...rest, job: { ...loaded.job, connection: { ...connection, language } } };
}

function withInput(loaded: LoadedJob, file: string): LoadedJob {
  const [format, options] = Object.entries(loaded.job.source)[0] as [string, object];
  return {
    ...loaded,
    job: { ...loaded.job, source: { [format]: { ...options, path: relative(loaded.dir, file) } } },
  };
}
