import { describeValues } from '../mapping/codes.js';
import { filledByProfit } from '../mapping/filled-by-profit.js';
import type { UpdateFieldMeta, UpdateMetainfo, UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import { csvSourceLines, yamlScalar as scalar, sourceNumbers } from '../sources/csv-source-yaml.js';
import type { CsvGuess } from '../sources/guess-csv.js';
import type { ColumnGuess } from '../sources/infer-column.js';
import { type AmountSplit, findAmountSplit, splitExpressions } from './amount-split.js';
import { type AddressSplit, addressExpressions, contextMatches } from './context-matches.js';
import { defaultFor, type FieldDefault, requiredByProfit } from './mandatory-defaults.js';
import { type ColumnMatch, matchColumns } from './match-columns.js';
import { codesFor, valuesFit } from './value-codes.js';

/** Options of renderInitJob. */
export interface InitJobOptions {
  /** The UpdateConnector id, e.g. KnPerson. */
  connector: string;
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
  /** `Object.FieldId` of mandatory fields left out because Profit fills them (a BcCo with AutoNum, a debtor's CdDa). */
  leftToProfit: string[];
  unmatchedColumns: string[];
}

/** Sub-objects a record may lack (no address, no bank account): left out when all their columns are empty. */
const OPTIONAL_OBJECTS = new Set(['KnBasicAddressAdr', 'KnBasicAddressPad', 'KnBankAccount']);

/**
 * How entry lines become entries: by the voucher number's column, else (a bank or ledger export
 * without one) by journal and entry date, one entry per journal per day; `checks: [balanced]`
 * rejects an entry that does not balance before anything is sent.
 */
function entryGrouping(
  matches: readonly ColumnMatch[],
  linePath: string[],
): { yaml: string; why: string; key: string; linePath: string[] } | undefined {
  const column = (fieldId: string, path: string[]): string | undefined =>
    matches.find((m) => m.field.fieldId === fieldId && sameObject(m.objectPath, path))?.column;
  const voucher = column('BpNr', linePath);
  if (voucher) {
    return {
      yaml: scalar(voucher),
      why: 'contiguous rows with one voucher number are one entry',
      key: `{${voucher}}`,
      linePath,
    };
  }
  const date = column('EnDa', linePath);
  if (!date) return undefined;
  const journal = column('JoCo', []);
  const columns = journal ? [journal, date] : [date];
  return {
    yaml: `[${columns.map(scalar).join(', ')}]`,
    why: 'no voucher number: contiguous rows of one journal and entry date are one entry',
    key: columns.map((name) => `{${name}}`).join('|'),
    linePath,
  };
}

/** Fields whose column identifies a record, best first: debtor, person/organisation, voucher, invoice number. */
const IDENTIFYING = ['DbId', 'CrId', 'BcCo', 'BpNr', 'InId'];
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
export function renderInitJob(guess: CsvGuess, metainfo: UpdateMetainfo, options: InitJobOptions): InitJob {
  const { connector } = options;
  const columns = guess.columns.map((column) => column.name);
  const all = matchColumns(guess.columns, metainfo, options.others ?? []);
  // A coded field whose sampled values are not its codes would reject every record: a suggestion.
  const valuesOf = (column: string) => guess.columns.find((c) => c.name === column)?.values;
  for (const [i, match] of all.entries()) {
    if (match.sure && !valuesFit(match.field, valuesOf(match.column))) {
      const sample = (valuesOf(match.column) ?? []).slice(0, 3).map((value) => JSON.stringify(value));
      all[i] = {
        ...match,
        sure: false,
        reason: `values such as ${sample.join(', ')} are not its codes: map them with codes: { value: code }`,
      };
    }
  }
  const context = contextMatches({ columns: guess.columns, metainfo, matches: all.filter((m) => m.sure) });
  const matches = [...all.filter((match) => match.sure), ...context.matches];
  const address = context.address;
  const guessOf = new Map(guess.columns.map((column) => [column.name, column]));
  const todos: string[] = [];
  const defaults: string[] = [];
  const leftToProfit: string[] = [];
  const sourceDecimal = sourceNumbers(guess).decimal;
  // Entry lines below a header (FiEntries): the voucher number's column groups them into entries.
  const lineObject =
    metainfo.name === connector
      ? undefined
      : metainfo.objects.find((child) => child.name === connector || child.name === 'FiEntries');
  const grouping = lineObject && entryGrouping(matches, [lineObject.name]);
  const split = findAmountSplit({
    columns: guess.columns,
    metainfo,
    taken: new Set(matches.map((match) => match.column)),
    mappedFields: new Set(matches.map((match) => [...match.objectPath, match.field.fieldId].join('.'))),
  });
  const splitColumns = [
    ...(split ? [split.column, ...(split.indicator ? [split.indicator.column] : [])] : []),
    ...(address ? [address.column] : []),
    ...context.matches.map((match) => match.column),
  ];
  const suggestions = all.filter((match) => !match.sure && !splitColumns.includes(match.column));
  const identifying = IDENTIFYING.map((id) => matches.find((m) => m.field.fieldId === id)?.column);
  const mappedElsewhere = new Set([...matches.map((m) => m.column), ...splitColumns]);
  const keyColumn =
    identifying.find((column) => column !== undefined) ??
    columns.find((column) => KEY_COLUMN.test(column) && !mappedElsewhere.has(column));
  // No number column: the mapped values together identify a row (journal lines without a voucher number).
  const keyParts = columns.filter((column) => mappedElsewhere.has(column)).map((column) => `{${column}}`);
  const fallback = keyParts.length > 0 ? keyParts.join('|') : `{${columns[0] ?? 'id'}}`;
  const key = grouping?.key ?? (keyColumn === undefined ? fallback : `{${keyColumn}}`);
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
    ...(grouping ? [`  group_by: ${grouping.yaml} # ${grouping.why}`] : []),
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
      const required = field.mandatory || requiredByProfit(object.name, field.fieldId);
      if (!required || field.primaryKey || mapped(field.fieldId)) continue;
      const find = (fieldId: string): ColumnMatch | undefined =>
        mapped(fieldId) ??
        matches.find((m) => m.field.fieldId === fieldId && m.objectPath.length < path.length);
      // a column suggested for the field (values that need codes) beats a default: a TODO then
      const suggested = suggestions.some(
        (match) => match.field.fieldId === field.fieldId && sameObject(match.objectPath, path),
      );
      const fill = suggested
        ? undefined
        : defaultFor(field, {
            object: object.name,
            mapped: (fieldId) => {
              const match = find(fieldId);
              return match && fieldValue(match);
            },
            column: (fieldId) => find(fieldId)?.column,
            datePattern: (fieldId) => {
              const match = matches.find(
                (m) => m.field.fieldId === fieldId && startsWith(m.objectPath, path),
              );
              const pattern = match && guessOf.get(match.column)?.date;
              return match && pattern ? { column: match.column, pattern } : undefined;
            },
            today,
          });
      if (fill) filled.push({ field, fill });
      else missing.push(field);
    }
    // What the element sets, for the fields Profit fills depending on it (BcCo with AutoNum true).
    const set = Object.fromEntries([
      ...here.map((match) => [match.field.fieldId, match.column] as const),
      ...filled.map(({ field, fill }) => [field.fieldId, fill.value === 'true' ? true : fill.value] as const),
    ]);
    const byProfit = missing.flatMap((field) => {
      const why = filledByProfit(object.name, field.fieldId, set);
      return why === undefined ? [] : [{ field, why }];
    });
    const unfilled = missing.filter((field) => !byProfit.some((left) => left.field === field));
    const splitHere = split && sameObject(split.objectPath, path) ? split : undefined;
    const addressHere = address && sameObject(address.objectPath, path) ? address : undefined;
    const empty = here.length + filled.length === 0 && !splitHere && !addressHere;
    lines.push(`${indent}fields:${empty ? ' {}' : ''}`);
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
    if (addressHere) lines.push(...addressLines(addressHere, indent));
    if (splitHere) {
      const decimal = guessOf.get(splitHere.column)?.decimal;
      const mark = decimal && decimal !== sourceDecimal ? `, decimal: ${JSON.stringify(decimal)}` : '';
      lines.push(...splitLines(splitHere, indent, mark));
    }
    for (const { field, why } of byProfit) {
      leftToProfit.push(`${object.name}.${field.fieldId}`);
      lines.push(`${indent}  # ${field.fieldId}: ${describeField(field)} left out on purpose: ${why}`);
    }
    const suggestedFor = (fieldId: string, at: string[]): string => {
      const match = suggestions.find((m) => m.field.fieldId === fieldId && sameObject(m.objectPath, at));
      return match ? ` (${match.column} is suggested below)` : '';
    };
    for (const field of unfilled) {
      todos.push(`${object.name}.${field.fieldId}`);
      const codes = field.values?.length ? `; codes: ${describeValues(field.values)}` : '';
      lines.push(
        `${indent}  # TODO ${field.fieldId}: ${describeField(field)} has no matching column; map one${suggestedFor(field.fieldId, path)}${codes}`,
      );
    }
    const children = object.objects.filter(
      (child) =>
        matches.some((match) => startsWith(match.objectPath, [...path, child.name])) ||
        (split !== undefined && startsWith(split.objectPath, [...path, child.name])) ||
        (address !== undefined && startsWith(address.objectPath, [...path, child.name])),
    );
    if (children.length === 0) return;
    lines.push(`${indent}objects:`);
    for (const child of children) {
      lines.push(`${indent}  ${child.name}:`);
      if (grouping && sameObject(grouping.linePath, [...path, child.name]))
        lines.push(`${indent}    each: row # every row of the entry is a line`);
      if (OPTIONAL_OBJECTS.has(child.name))
        lines.push(
          `${indent}    optional: true # left out for a record whose ${child.name} columns are all empty`,
        );
      render(child, [...path, child.name], `${indent}    `);
    }
  };
  render(metainfo, [], '    ');
  if (grouping)
    lines.push('  checks: [balanced] # an entry whose debit and credit differ is rejected before sending');
  else if (lineObject) {
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
  const used = new Set([...matches.map((match) => match.column), ...splitColumns]);
  const unmatchedColumns = columns.filter((column) => !used.has(column));
  const unsuggested = unmatchedColumns.filter(
    (column) => !suggestions.some((match) => match.column === column),
  );
  if (unsuggested.length) {
    lines.push(`# Columns without a field (map them or leave them out): ${unsuggested.join(', ')}`);
  }
  return {
    text: `${lines.join('\n')}\n`,
    matches,
    todos,
    suggestions,
    defaults,
    leftToProfit,
    unmatchedColumns,
  };
}

/** AmDe and AmCr from one amount column (and a D/C column): one JSONata per side. */
function splitLines(split: AmountSplit, indent: string, mark: string): string[] {
  const { debit, credit, why } = splitExpressions(split);
  return [
    `${indent}  # ${why}:`,
    `${indent}  AmDe: { expr: ${JSON.stringify(debit)}${mark} } # ${describeField(split.debit)}; split from ${split.column}`,
    `${indent}  AmCr: { expr: ${JSON.stringify(credit)}${mark} } # ${describeField(split.credit)}; split from ${split.column}`,
  ];
}

/** Street, number and suffix from one address column: one JSONata each. */
function addressLines(split: AddressSplit, indent: string): string[] {
  const expressions = addressExpressions(split);
  return [
    `${indent}  # ${split.column} holds street and house number ("Stationsweg 4", "Oudegracht 88 bis"): split in three`,
    ...(['Ad', 'HmNr', 'HmAd'] as const).flatMap((id) => {
      const field = split.fields[id];
      return field
        ? [
            `${indent}  ${id}: { expr: ${JSON.stringify(expressions[id])} } # ${describeField(field)}; split from ${split.column}`,
          ]
        : [];
    }),
  ];
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
