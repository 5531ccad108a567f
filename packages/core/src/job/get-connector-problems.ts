import { suggestion } from './did-you-mean.js';
import type { JobProblem } from './errors.js';
import { excerpt } from './excerpt.js';
import type { Get_connector, Incremental } from './job-types.generated.js';
import type { DocPath, YamlSource } from './yaml-source.js';

/** Where the GetConnector of a job is written, and the job's incremental watermark field. */
export interface GetConnectorAt {
  source: YamlSource;
  /** Path of the `get_connector` mapping; default source.get_connector. */
  path?: DocPath;
  /** The job's `incremental:`, whose field must be a field of the connector too. */
  incremental?: Incremental | undefined;
}

/**
 * Every column, sort and filter field (and incremental field) of a GetConnector that its get
 * metainfo does not list, each at its own file:line:col with a did-you-mean, e.g.
 * `jobs/x.yaml:15:18: filter field \`CurencyId\` is not a field of GetConnector Profit_Debtor; did you mean \`CurrencyId\`?`.
 */
export function getConnectorFieldProblems(
  spec: Get_connector,
  fields: readonly string[],
  at: GetConnectorAt,
): JobProblem[] {
  const path = at.path ?? ['source', 'get_connector'];
  const known = new Set(fields);
  const named: [where: string, field: string, at: DocPath][] = [
    ...(spec.columns ?? []).map((c, i): [string, string, DocPath] => ['column', c, [...path, 'columns', i]]),
    ...spec.sort.map((s, i): [string, string, DocPath] => [
      'sort field',
      s.replace(/^-/, ''),
      [...path, 'sort', i],
    ]),
    ...(spec.filter ?? []).flatMap((group, g) =>
      group.map((c, i): [string, string, DocPath] => [
        'filter field',
        c.field,
        [...path, 'filter', g, i, 'field'],
      ]),
    ),
    ...(at.incremental
      ? [['incremental field', at.incremental.field, ['incremental', 'field']] as [string, string, DocPath]]
      : []),
  ];
  const list =
    fields.length > 12
      ? `${fields.slice(0, 12).join(', ')}, … ${fields.length - 12} more`
      : fields.join(', ');
  return named
    .filter(([, field]) => !known.has(field))
    .map(([where, field, fieldPath]) =>
      at.source.problem(
        fieldPath,
        `${where} \`${excerpt(field)}\` is not a field of GetConnector ${spec.id}${suggestion(field, fields) || `; its fields: ${list}`}`,
      ),
    );
}
