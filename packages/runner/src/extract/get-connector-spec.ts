import type {
  AfasClient,
  FilterCondition,
  GetConnectorReadOptions,
  GetMetainfo,
  Operator,
} from '@koppel/afas';
import {
  type GetConnectorAt,
  getConnectorFieldProblems,
  type JobGetConnector,
  JobInvalidError,
} from '@koppel/core';

const OPERATOR_NAMES: Record<string, Operator> = {
  not_empty: 'notEmpty',
  starts_with: 'startsWith',
  not_contains: 'notContains',
  not_starts_with: 'notStartsWith',
  ends_with: 'endsWith',
  not_ends_with: 'notEndsWith',
};

/** A YAML filter value for the wire: datetimes lose a trailing `Z` (AFAS means Amsterdam time). */
function filterValue(value: unknown): FilterCondition['value'] {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(value)) return value.slice(0, -1);
  return value as FilterCondition['value'];
}

/** The job's `filter:` as client filter groups (operators by YAML name, symbol or number). */
export function jobFilter(spec: JobGetConnector): FilterCondition[][] {
  return (spec.filter ?? []).map((group) =>
    group.map((condition) => ({
      field: condition.field,
      op: (typeof condition.op === 'string'
        ? (OPERATOR_NAMES[condition.op] ?? condition.op)
        : condition.op) as Operator,
      value: filterValue(condition.value),
    })),
  );
}

/** Read options of a `get_connector` source (without filter additions such as the watermark). */
export function readOptions(spec: JobGetConnector, filter: FilterCondition[][]): GetConnectorReadOptions {
  return {
    filter,
    sort: spec.sort,
    ...(spec.limit ? { limit: spec.limit } : {}),
    ...(spec.parallel ? { parallel: spec.parallel } : {}),
    ...(spec.page_size ? { pageSize: spec.page_size } : {}),
    ...(spec.paging ? { paging: spec.paging } : {}),
    ...(spec.max_skip !== undefined ? { maxSkip: spec.max_skip } : {}),
  };
}

/**
 * Get metainfo of the connector, checking that every named field exists (columns, sort, filter,
 * the incremental field): each unknown one is a problem at its file:line:col in the job
 * (JobInvalidError). Returns the data type per column.
 */
export async function connectorTypes(
  client: AfasClient,
  spec: JobGetConnector,
  at: GetConnectorAt,
): Promise<{ meta: GetMetainfo; types: Map<string, string>; columns: string[] }> {
  const meta = await client.getMetainfo(spec.id);
  const types = new Map(meta.fields.map((field) => [field.id, field.dataType]));
  const columns =
    spec.columns && spec.columns.length > 0 ? spec.columns : meta.fields.map((field) => field.id);
  const problems = getConnectorFieldProblems(spec, [...types.keys()], at);
  if (problems.length > 0) throw new JobInvalidError(problems);
  return { meta, types, columns };
}
