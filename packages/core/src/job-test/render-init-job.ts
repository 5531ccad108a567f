import { describeValues } from '../mapping/codes.js';
import type { UpdateFieldMeta, UpdateMetainfo, UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import type { CsvGuess } from '../sources/guess-csv.js';
import { type ColumnMatch, matchColumns } from './match-columns.js';

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
  /** The sample was read with `trim: true` (padded fields); written into the job; default false. */
  trim?: boolean;
}

/** What renderInitJob wrote: the text and what is left to do. */
export interface InitJob {
  text: string;
  matches: ColumnMatch[];
  /** `Object.FieldId` of every mandatory field left as a TODO. */
  todos: string[];
  unmatchedColumns: string[];
}

const KEY_COLUMN = /(^|[_\s-])(id|no|nr|nummer|number|key)$|^(id|nr|no|key)([_\s-]|$)/i;

/** A YAML scalar: plain when safe, else double-quoted. */
function scalar(value: string): string {
  return /^[A-Za-z_.][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|yes|no|null|on|off|y|n)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

function describeField(field: UpdateFieldMeta): string {
  const size = field.dataType === 'string' && field.length > 0 ? `, max ${field.length}` : '';
  return `${field.label} (${field.mandatory ? 'mandatory ' : ''}${field.dataType}${size})`;
}

/**
 * A new job for an UpdateConnector from a guessed sample file and the connector's metainfo:
 * columns matched to fields by field id or label, mandatory fields without a column as TODO
 * comments, coded fields with their allowed values in a comment, the schema comment on top.
 */
export function renderInitJob(
  connector: string,
  guess: CsvGuess,
  metainfo: UpdateMetainfo,
  options: InitJobOptions,
): InitJob {
  const columns = guess.columns.map((column) => column.name);
  const matches = matchColumns(guess.columns, metainfo, options.others ?? []);
  const guessOf = new Map(guess.columns.map((column) => [column.name, column]));
  const todos: string[] = [];
  const decimals = new Set(guess.columns.filter((c) => c.decimal).map((c) => c.decimal));
  const sourceDecimal = decimals.size === 1 ? [...decimals][0] : undefined;
  const keyColumn = columns.find((column) => KEY_COLUMN.test(column)) ?? columns[0] ?? 'id';
  const { dialect } = guess;
  const lines = [
    `# yaml-language-server: $schema=${options.schema}`,
    `# Made by \`${options.command}\` from ${guess.rows}${guess.truncated ? ' sampled' : ''} records.`,
    '# Check every mapping, fill in each TODO, then: koppel validate <this file> (--sim) and koppel plan.',
    'version: 1',
    `name: ${scalar(options.name)}`,
    ...options.connection,
    'source:',
    '  csv:',
    `    path: ${scalar(options.path)}`,
    `    encoding: ${dialect.encoding}`,
    `    delimiter: ${JSON.stringify(dialect.delimiter)}`,
  ];
  if (dialect.quote !== '"') lines.push(`    quote: ${JSON.stringify(dialect.quote)}`);
  if (dialect.preamble.length > 0) lines.push(`    skip_lines: ${dialect.preamble.length}`);
  if (options.trim) lines.push('    trim: true');
  if (dialect.header === null) lines.push(`    header: [${columns.map(scalar).join(', ')}]`);
  if (sourceDecimal) lines.push(`    decimal: ${JSON.stringify(sourceDecimal)}`);
  lines.push(
    `key: ${JSON.stringify(`{${keyColumn}}`)} # the column(s) that identify a record, stable across runs`,
    'target:',
    `  update_connector: ${scalar(connector)}`,
    '  method: insert',
    '  element:',
  );
  const render = (object: UpdateObjectMeta, path: string[], indent: string): void => {
    const here = matches.filter((match) => sameObject(match.objectPath, path));
    lines.push(`${indent}fields:${here.length === 0 ? ' {}' : ''}`);
    for (const field of object.fields) {
      const match = here.find((m) => m.field.fieldId === field.fieldId);
      if (match) {
        lines.push(
          `${indent}  ${field.fieldId}: ${valueText(match, guessOf.get(match.column)?.date)} # ${comment(field)}`,
        );
      }
    }
    for (const field of object.fields) {
      if (!field.mandatory || field.primaryKey || here.some((m) => m.field.fieldId === field.fieldId))
        continue;
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
  const used = new Set(matches.map((match) => match.column));
  const unmatchedColumns = columns.filter((column) => !used.has(column));
  if (unmatchedColumns.length) {
    lines.push(`# Columns without a field (map them or leave them out): ${unmatchedColumns.join(', ')}`);
  }
  return { text: `${lines.join('\n')}\n`, matches, todos, unmatchedColumns };
}

function valueText(match: ColumnMatch, datePattern: string | undefined): string {
  const isDate = match.field.dataType === 'date' || match.field.dataType === 'datetime';
  if (isDate && datePattern && datePattern !== 'yyyy-MM-dd') {
    return `{ column: ${scalar(match.column)}, date: ${scalar(datePattern)} }`;
  }
  return scalar(match.column);
}

function comment(field: UpdateFieldMeta): string {
  const codes = field.values?.length ? `; codes: ${describeValues(field.values)}` : '';
  return `${describeField(field)}${codes}`;
}

const sameObject = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i]);

const startsWith = (path: readonly string[], prefix: readonly string[]): boolean =>
  prefix.every((name, i) => path[i] === name);
