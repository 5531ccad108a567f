import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { didYouMean, suggestion } from '../job/did-you-mean.js';
import type { JobProblem } from '../job/errors.js';
import type { Element, Object as JobObject, Value } from '../job/job-types.generated.js';
import type { LoadedJob } from '../job/load-job.js';
import type { CompiledJob } from '../mapping/compile-job.js';
import type { CodeValue, UpdateMetainfo, UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import type { SourceRecord } from '../record.js';
import { openJobSource } from './open-job-source.js';

type DocPath = (string | number)[];

/**
 * The columns the job reads (mapped columns, `key:` and `group_by` columns) that `record` (the
 * first record of a CSV: its header) lacks, each at the job line that names it, with a
 * did-you-mean or the columns there are.
 */
export function missingColumnProblems(compiled: CompiledJob, record: SourceRecord): JobProblem[] {
  const present = Object.keys(record.fields);
  const source = compiled.loaded.source;
  return [...compiled.columns]
    .filter(([column]) => !(column in record.fields))
    .map(([column, path]) =>
      source.problem(
        path,
        `column \`${column}\` is not in ${record.origin.file}${suggestion(column, present) || `; its columns: ${present.join(', ')}`}`,
      ),
    );
}

/** What checking the job against its input found; `checked` is false when there was nothing to check. */
export interface InputColumnCheck {
  checked: boolean;
  /** Why nothing was checked (no input file, not a CSV, no row). */
  skipped?: string;
  problems: JobProblem[];
}

/**
 * Checks the columns the job reads against the header of its CSV input, when the input file is
 * there (reads the first record only). JSON inputs have no header: not checked.
 */
export async function inputColumnProblems(compiled: CompiledJob): Promise<InputColumnCheck> {
  const { loaded } = compiled;
  const csv = loaded.job.source.csv;
  if (!csv) return { checked: false, skipped: 'not a CSV input', problems: [] };
  const path = resolve(loaded.dir, csv.path);
  const exists = await stat(path).then(
    (found) => found.isFile(),
    () => false,
  );
  if (!exists) return { checked: false, skipped: `${csv.path} is not there`, problems: [] };
  const input = await openJobSource(loaded);
  for await (const record of input.records) {
    return { checked: true, problems: missingColumnProblems(compiled, record) };
  }
  return { checked: false, skipped: `${csv.path} has no row`, problems: [] };
}

/**
 * The code values written in the job that the field's metainfo does not allow: every code a
 * `codes:` map gives (the job's language for per-language maps) and constants of coded fields,
 * each at its job line with a did-you-mean over the allowed codes.
 */
export function codeProblems(loaded: LoadedJob, metainfo: UpdateMetainfo, language: string): JobProblem[] {
  const problems: JobProblem[] = [];
  const source = loaded.source;
  const visit = (element: Element | JobObject, meta: UpdateObjectMeta, path: DocPath): void => {
    const fields = new Map(meta.fields.map((field) => [field.fieldId, field]));
    for (const [fieldId, value] of Object.entries(element.fields ?? {})) {
      const field = fields.get(fieldId);
      const values = field?.values;
      if (!field || !values || values.length === 0) continue;
      const allowed = new Set(values.map((code) => code.id));
      const check = (code: unknown, at: DocPath, what: string): void => {
        const text = String(code);
        if (allowed.has(text)) return;
        const list = values
          .slice(0, 20)
          .map((code) => `${code.id} (${code.description})`)
          .join(', ');
        problems.push(
          source.problem(
            at,
            `${what} \`${text}\` is not a code of ${fieldId} (${field.label})${hint(text, values)}; allowed: ${list}${values.length > 20 ? ', …' : ''}`,
          ),
        );
      };
      for (const [code, at, what] of codesOf(value, [...path, 'fields', fieldId], language))
        check(code, at, what);
    }
    const objects = new Map(meta.objects.map((object) => [object.name, object]));
    for (const [name, object] of Object.entries(element.objects ?? {})) {
      const objectMeta = objects.get(name);
      if (objectMeta) visit(object, objectMeta, [...path, 'objects', name]);
    }
  };
  visit(loaded.job.target.element, metainfo, ['target', 'element']);
  return problems;
}

/** A did-you-mean for a code: by its description (`debiteur` -> `2`), else by a close code (codes of 3+ characters). */
function hint(text: string, values: readonly CodeValue[]): string {
  const description = didYouMean(
    text,
    values.map((code) => code.description),
  );
  const byDescription = values.find((code) => code.description === description);
  if (byDescription) return `; did you mean \`${byDescription.id}\` (${byDescription.description})?`;
  return text.length > 2
    ? suggestion(
        text,
        values.map((code) => code.id),
      )
    : '';
}

/** The code values written for one field: [value, where, what it is]. */
function codesOf(value: Value, path: DocPath, language: string): [unknown, DocPath, string][] {
  if (typeof value !== 'object') return [];
  const found: [unknown, DocPath, string][] = [];
  const codes = value.codes as Record<string, unknown> | undefined;
  if (value.const !== undefined && !codes) found.push([value.const, [...path, 'const'], 'constant']);
  if (codes && !('by' in codes)) {
    const perLanguage = Object.values(codes).some((to) => typeof to === 'object' && to !== null);
    const map = (perLanguage ? codes[language] : codes) as Record<string, unknown> | undefined;
    const at: DocPath = perLanguage ? [...path, 'codes', language] : [...path, 'codes'];
    for (const [from, to] of Object.entries(map ?? {}))
      if (typeof to !== 'object') found.push([to, [...at, from], `codes: \`${from}\` ->`]);
  }
  return found;
}
