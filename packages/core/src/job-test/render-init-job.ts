import { describeValues } from '../mapping/codes.js';
import type { UpdateFieldMeta, UpdateMetainfo, UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import { csvSourceLines, yamlScalar as scalar, sourceNumbers } from '../sources/csv-source-yaml.js';
import type { CsvGuess } from '../sources/guess-csv.js';
import type { ColumnGuess } from '../sources/infer-column.js';
import { defaultFor, type FieldDefault } from './mandatory-defaults.js';
import { type ColumnMatch, matchColumns } from './match-columns.js';
import { codesFor } from './value-codes.js';

/** Options of renderInitJob. */
export interface InitJobOptions {
  /** The sample file as the job names it (relative to the job file). */
  path: string;
  /** Job name (lower case, digits, . _ -). */
  name: string;
  /** `$schema` reference for the yaml-language-server comment. */
  schema: string;
  /** The `connection:` lines, already indented below the key (or one line `connection: name`). */
  connection: string[];
  /** The command that made the job, for the header comment. */
  command: string;
  /** The same metainfo in other languages, for more labels to match columns against. */
  others?: UpdateObjectMeta[];
  /** Date of `BeginDate` for a new address (yyyy-MM-dd); default today. */
  today?: string;
}

/** What renderInitJob wrote: the text and what is left to do. */
export interface InitJob {
  text: string;
  matches: ColumnMatch[];
  /** `Object.FieldId` of every mandatory field left as a TODO. */
  todos: string[];
  /** Matches written only as commented suggestions (uncertain). */
  suggestions: ColumnMatch[];
  /** `Object.FieldId` of mandatory fields given a default value (AFAS settings like AutoNum). */
  defaults: string[];
  unmatchedColumns: string[];
}

/** Fields whose column identifies a record, best first: debtor, person/organisation, voucher, invoice number. */
const IDENTIFYING = ['DbId', 'BcCo', 'BpNr', 'InId'];
const KEY_COLUMN = /(^|[_\s-])(id|no|nr|nummer|number|key)$|^(id|nr|no|key)([_\s-]|$)/i;

function describeField(field: UpdateFieldMeta): string {
  const size = field.dataType === 'string' && field.length > 0 ? `, max ${field.length}` : '';
  return `${field.label} (${field.mandatory ? 'mandatory ' : ''}${field.dataType}${size})`;
}

/**
 * A new job for an UpdateConnector from a guessed sample file and the connector's metainfo:
 * columns matched to fields by field id, label (every language given) or a known export header,
 * each with how it matched; uncertain matches only as commented suggestions; mandatory AFAS
 * settings (AutoNum, PbAd …) with a commented default; other mandatory fields without a column
 * as TODO comments; coded fields with their allowed values in a comment.
 */
export function renderInitJob(
  connector: string,
  guess: CsvGuess,
  metainfo: UpdateMetainfo,
  options: InitJobOptions,
): InitJob {
  const columns = guess.columns.map((column) => column.name);
  const all = matchColumns(guess.columns, metainfo, options.others ?? []);
  const matches = all.filter((match) => match.sure);
  const suggestions = all.filter((match) => !match.sure);
  const guessOf = new Map(guess.columns.map((column) => [column.name, column]));
  const todos: string[] = [];
  const defaults: string[] = [];
  const sourceDecimal = sourceNumbers(guess).decimal;
  const identifying = IDENTIFYING.map((id) => matches.find((m) => m.field.fieldId === id)?.column);
  const mappedElsewhere = new Set(matches.map((m) => m.column));
  const keyColumn =
    identifying.find((column) => column !== undefined) ??
    columns.find((column) => KEY_COLUMN.test(column) && !mappedElsewhere.has(column));
  // No number column: the mapped values together identify a row (journal lines without a voucher number).
  const keyParts = columns.filter((column) => mappedElsewhere.has(column)).map((column) => `{${column}}`);
  const fallback = keyParts.length > 0 ? keyParts.join('|') : `{${columns[0] ?? 'id'}}`;
  const key = keyColumn === undefined ? fallback : `{${keyColumn}}`;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const lines = [
    `# yaml-language-server: $schema=${options.schema}`,
    `# Made by \`${options.command}\` from ${guess.rows}${guess.truncated ? ' sampled' : ''} records.`,
    '# Check every mapping, fill in each TODO, then: koppel validate <this file> (--sim) and koppel plan.',
    'version: 1',
    `name: ${scalar(options.name)}`,
    ...options.connection,
    'source:',
    '  csv:',
    ...csvSourceLines(guess, options.path),
    `key: ${JSON.stringify(key)} # the column(s) that identify a record, stable across runs`,
    'target:',
    `  update_connector: ${scalar(connector)}`,
    '  method: insert',
    '  element:',
  ];
  const fieldValue = (match: ColumnMatch): string =>
    valueText(match, guessOf.get(match.column), sourceDecimal);
  const render = (object: UpdateObjectMeta, path: string[], indent: string): void => {
    const here = matches.filter((match) => sameObject(match.objectPath, path));
    const mapped = (fieldId: string): ColumnMatch | undefined =>
      here.find((m) => m.field.fieldId === fieldId);
    const filled: { field: UpdateFieldMeta; fill: FieldDefault }[] = [];
    const missing: UpdateFieldMeta[] = [];
    for (const field of object.fields) {
      if (!field.mandatory || field.primaryKey || mapped(field.fieldId)) continue;
      const find = (fieldId: string): ColumnMatch | undefined =>
        mapped(fieldId) ??
        matches.find((m) => m.field.fieldId === fieldId && m.objectPath.length < path.length);
      const fill = defaultFor(field, {
        object: object.name,
        mapped: (fieldId) => {
          const match = find(fieldId);
          return match && fieldValue(match);
        },
        column: (fieldId) => find(fieldId)?.column,
        datePattern: (fieldId) => {
          const match = matches.find((m) => m.field.fieldId === fieldId && startsWith(m.objectPath, path));
          const pattern = match && guessOf.get(match.column)?.date;
          return match && pattern ? { column: match.column, pattern } : undefined;
        },
        today,
      });
      if (fill) filled.push({ field, fill });
      else missing.push(field);
    }
    lines.push(`${indent}fields:${here.length + filled.length === 0 ? ' {}' : ''}`);
    for (const { field, fill } of filled) {
      defaults.push(`${object.name}.${field.fieldId}`);
      lines.push(
        `${indent}  ${field.fieldId}: ${fill.value} # ${field.label}; set by koppel init: ${fill.why}`,
      );
    }
    for (const field of object.fields) {
      const match = mapped(field.fieldId);
      if (match)
        lines.push(`${indent}  ${field.fieldId}: ${fieldValue(match)} # ${comment(field)}; ${how(match)}`);
    }
    for (const field of missing) {
      todos.push(`${object.name}.${field.fieldId}`);
      const codes = field.values?.length ? `; codes: ${describeValues(field.values)}` : '';
      lines.push(
        `${indent}  # TODO ${field.fieldId}: ${describeField(field)} has no matching column; map one${codes}`,
      );
    }
    const children = object.objects.filter((child) =>
      matches.some((match) => startsWith(match.objectPath, [...path, child.name])),
    );
    if (children.length === 0) return;
    lines.push(`${indent}objects:`);
    for (const child of children) {
      lines.push(`${indent}  ${child.name}:`);
      render(child, [...path, child.name], `${indent}    `);
    }
  };
  render(metainfo, [], '    ');
  const lineObject = metainfo.objects.find((child) => child.name === connector || child.name === 'FiEntries');
  if (lineObject && metainfo.name !== connector) {
    lines.push(
      `# Entry lines: add \`group_by: <the column numbering the entry>\` under target, \`each: row\` under ${lineObject.name},`,
      '# and `checks: [balanced]`; see docs/mapping.md.',
    );
  }
  if (suggestions.length > 0) {
    lines.push("# Uncertain matches, not mapped (copy one under its object's fields if it is right):");
    for (const match of suggestions) {
      const where = [...match.objectPath, match.field.fieldId].join('.');
      lines.push(`#   ${where}: ${scalar(match.column)} # ${describeField(match.field)}; ${how(match)}`);
    }
  }
  const used = new Set(matches.map((match) => match.column));
  const unmatchedColumns = columns.filter((column) => !used.has(column));
  const unsuggested = unmatchedColumns.filter(
    (column) => !suggestions.some((match) => match.column === column),
  );
  if (unsuggested.length) {
    lines.push(`# Columns without a field (map them or leave them out): ${unsuggested.join(', ')}`);
  }
  return { text: `${lines.join('\n')}\n`, matches, todos, suggestions, defaults, unmatchedColumns };
}

/** How a match was made and how sure it is, e.g. `label 100%`. */
const how = (match: ColumnMatch): string => `${match.reason} ${Math.round(match.score * 100)}%`;

function valueText(
  match: ColumnMatch,
  column: ColumnGuess | undefined,
  sourceDecimal: string | undefined,
): string {
  const isDate = match.field.dataType === 'date' || match.field.dataType === 'datetime';
  const parts: string[] = [];
  if (isDate && column?.date && column.date !== 'yyyy-MM-dd') parts.push(`date: ${scalar(column.date)}`);
  if (column?.decimal && column.decimal !== sourceDecimal)
    parts.push(`decimal: ${JSON.stringify(column.decimal)}`);
  const codes = codesFor(match.field, column?.values);
  if (codes) parts.push(`codes: ${codes}`);
  if (parts.length === 0) return scalar(match.column);
  return `{ column: ${scalar(match.column)}, ${parts.join(', ')} }`;
}

function comment(field: UpdateFieldMeta): string {
  const codes = field.values?.length ? `; codes: ${describeValues(field.values)}` : '';
  return `${describeField(field)}${codes}`;
}

const sameObject = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i]);

const startsWith = (path: readonly string[], prefix: readonly string[]): boolean =>
  prefix.every((name, i) => path[i] === name);
