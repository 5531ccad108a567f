import { JobInvalidError, type JobProblem } from '../job/errors.js';
import type { Job } from '../job/job-types.generated.js';
import type { LoadedJob } from '../job/load-job.js';
import type { DocPath } from '../job/yaml-source.js';
import type { UpdateMetainfo } from '../metainfo/update-metainfo.js';
import { type CompiledElement, compileElement } from './compile-element.js';
import type { ExprSlot } from './compile-value.js';
import type { ThousandsOption } from './parse-decimal.js';
import { type CompiledTemplate, compileTemplate } from './template.js';

/** HTTP verb and URL suffix of each method. */
export type JobMethod = NonNullable<Job['target']['method']>;

/** A job compiled once: accessors for every value, ready to map millions of rows. */
export interface CompiledJob {
  loaded: LoadedJob;
  /** UpdateConnector id, e.g. FiEntries. */
  connector: string;
  /** JSON root object from metainfo (`FiEntryPar`); the connector id when compiled offline. */
  root: string;
  method: JobMethod;
  /** For insert_sub: the inserted sub-object. */
  subObject: string | undefined;
  /** Columns that gather rows into one document; undefined: one row per document. */
  groupBy: string[] | undefined;
  key: CompiledTemplate;
  /** checks: [balanced] */
  balanced: boolean;
  element: CompiledElement;
  exprs: ExprSlot[];
  /** Every column the mapping reads, with where the job first names it (for the header check). */
  columns: ReadonlyMap<string, DocPath>;
  /** True when compiled against metainfo (keys, labels, types and codes are known). */
  withMetainfo: boolean;
}

/** Options of compileJob. */
export interface CompileJobOptions {
  /** Update metainfo of the target connector in the connection's language; omit to compile offline. */
  metainfo?: UpdateMetainfo;
}

/**
 * Compiles the mapping of a loaded job. Every problem (bad templates, date patterns, JSONata,
 * unknown fields vs metainfo, unmapped mandatory fields, invalid constants) is collected and
 * thrown at once as JobInvalidError, each at its file:line:col.
 */
export function compileJob(loaded: LoadedJob, options: CompileJobOptions = {}): CompiledJob {
  const { job, source } = loaded;
  const { target } = job;
  const metainfo = options.metainfo;
  const problems: JobProblem[] = [];
  const problem = (path: DocPath, message: string, at: 'key' | 'value' = 'value'): void => {
    problems.push(source.problem(path, message, at));
  };
  const method: JobMethod = target.method ?? 'insert';
  const subObject = target.sub_object || undefined;
  if (method === 'insert_sub' && !subObject) {
    problem(
      ['target', 'method'],
      'method insert_sub needs `sub_object` (the sub-object to insert, e.g. KnBasicAddressAdr)',
    );
  }
  if (subObject && method !== 'insert_sub') {
    problem(['target', 'sub_object'], `sub_object is only used with method insert_sub, not ${method}`, 'key');
  }
  if (subObject && !Object.hasOwn(target.element.objects ?? {}, subObject)) {
    problem(['target', 'sub_object'], `sub_object \`${subObject}\` is not under target.element.objects`);
  }
  const balanced = (target.checks ?? []).includes('balanced');
  if (balanced && !target.group_by) {
    problem(
      ['target', 'checks'],
      'checks: [balanced] needs group_by (the lines of one entry are grouped into a document)',
    );
  }
  let key: CompiledTemplate = compileTemplate('');
  try {
    key = compileTemplate(job.key);
    if (key.columns.length === 0) {
      problem(['key'], `key \`${job.key}\` names no column; write a template such as "{entry_no}"`);
    }
  } catch (error) {
    problem(['key'], (error as Error).message);
  }
  const language =
    loaded.connection?.language ??
    (typeof job.connection === 'object' ? job.connection.language : undefined) ??
    'nl-nl';
  const format = Object.values(job.source)[0] as
    | { decimal?: '.' | ','; thousands?: ThousandsOption }
    | undefined;
  const exprs: ExprSlot[] = [];
  const columns = new Map<string, DocPath>(key.columns.map((column) => [column, ['key']]));
  for (const column of [target.group_by ?? []].flat()) columns.set(column, ['target', 'group_by']);
  const element = compileElement(target.element, metainfo, {
    path: ['target', 'element'],
    name: metainfo?.name ?? target.update_connector,
    ctx: {
      language,
      sourceDecimal: format?.decimal ?? '.',
      sourceThousands: format?.thousands,
      problem,
      exprs,
      columns,
      insert: method === 'insert',
      insertSub: method === 'insert_sub' ? subObject : undefined,
    },
  });
  if (metainfo && method === 'delete' && !element.fields.some((field) => field.attribute)) {
    const keys = metainfo.fields.filter((field) => field.primaryKey).map((field) => field.fieldId);
    problem(
      ['target', 'element', 'fields'],
      `method delete needs the key field(s) of ${metainfo.name} mapped: ${keys.join(', ') || '(metainfo lists none)'}`,
    );
  }
  if (problems.length) {
    throw new JobInvalidError(problems.sort((a, b) => a.line - b.line || a.col - b.col));
  }
  const groupBy = target.group_by === undefined ? undefined : [target.group_by].flat();
  return {
    loaded,
    connector: target.update_connector,
    root: metainfo?.name ?? target.update_connector,
    method,
    subObject,
    groupBy,
    key,
    balanced,
    element,
    exprs,
    columns,
    withMetainfo: metainfo !== undefined,
  };
}
