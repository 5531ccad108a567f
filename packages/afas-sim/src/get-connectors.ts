import type { Texts } from './language.js';
import { type RecordedMetainfo, recordedLanguages, textsOf } from './recorded.js';
import { type ColumnDef, columnsOf, type DataType, type TableName } from './schema.js';
import type { SeedGetConnector } from './seed.js';

/** A GetConnector the simulator can serve: a named view on one table. */
export interface GetConnectorDef {
  id: string;
  description: Texts;
  /** A simulator table, or `get:{id}` for a recorded GetConnector without one (seed `rows`). */
  table: TableName | `get:${string}`;
  columns: ColumnDef[];
}

const builtin: [id: string, table: TableName, nl: string, en: string][] = [
  ['Profit_Administrations', 'administrations', 'Administraties', 'Administrations'],
  ['Profit_Journals', 'journals', 'Dagboeken (Financieel)', 'Journals (Finance)'],
  ['Profit_Accounts', 'accounts', 'Grootboekrekeningen (Financieel)', 'Ledger accounts (Finance)'],
  ['Profit_VAT_code', 'vat_codes', 'Btw-codes', 'VAT codes'],
  [
    'Profit_periods_per_administration',
    'periods',
    'Perioden per administratie',
    'Periods per administration',
  ],
  ['Profit_Debtor', 'debtors', 'Debiteuren', 'Debtors'],
  ['Profit_Creditor', 'creditors', 'Crediteuren', 'Creditors'],
  ['Profit_Organisations', 'organisations', 'Organisaties', 'Organisations'],
  ['Profit_Persons', 'persons', 'Personen', 'Persons'],
  ['Profit_Addresses', 'addresses', 'Adressen', 'Addresses'],
  ['Profit_Contacts', 'contacts', 'Contacten', 'Contacts'],
  ['Profit_Fin_Entries', 'entries', 'Journaalpostregels', 'Journal entry lines'],
  ['Profit_Allocation_Entries', 'dim_entries', 'Verbijzonderingsregels', 'Allocation lines'],
  ['Profit_Subjects', 'subjects', 'Dossieritems', 'Subjects'],
  ['Koppel_Bench_Rows', 'bench_rows', 'Koppel_Bench_Rows', 'Koppel_Bench_Rows'],
];

/** The simulator table behind a built-in GetConnector id, if it is one. */
export const builtinTable = (id: string): TableName | undefined =>
  builtin.find((entry) => entry[0] === id)?.[1];

/**
 * A recorded GetConnector: its fields as recorded (labels per language), over the built-in table
 * of the same id (rows projected onto the recorded fields) or its own `get:{id}` table.
 */
function recordedDef(id: string, documents: RecordedMetainfo['get'][string]): GetConnectorDef | undefined {
  const docs = recordedLanguages(documents);
  const [, base] = docs[0] ?? [];
  if (!base) return undefined;
  const labels = (fieldId: string) =>
    textsOf(
      docs.map(([language, doc]) => [
        language,
        doc.fields.find((field) => field.id === fieldId)?.label ?? fieldId,
      ]),
    );
  return {
    id,
    description: textsOf(docs.map(([language, doc]) => [language, doc.description])),
    table: builtinTable(id) ?? `get:${id}`,
    columns: base.fields.map((field) => ({
      id: field.id,
      fieldId: field.fieldId,
      dataType: field.dataType as DataType,
      label: labels(field.id),
      length: field.length,
      decimals: field.decimals,
      controlType: field.controlType,
      ...(field.decimalsFieldId ? { decimalsFieldId: field.decimalsFieldId } : {}),
    })),
  };
}

/**
 * The GetConnectors every environment has, then the recorded ones, then the seed's own
 * definitions (later ones win on id).
 */
export function getConnectorDefs(
  custom: SeedGetConnector[] = [],
  recorded?: RecordedMetainfo,
): Map<string, GetConnectorDef> {
  const defs = new Map<string, GetConnectorDef>();
  for (const [id, table, nl, en] of builtin) {
    defs.set(id, { id, description: { nl, en }, table, columns: columnsOf(table) });
  }
  for (const [id, documents] of Object.entries(recorded?.get ?? {})) {
    const def = recordedDef(id, documents);
    if (def) defs.set(id, def);
  }
  for (const conn of custom) {
    const all = columnsOf(conn.table);
    const columns = conn.columns
      ? conn.columns.map((id) => all.find((column) => column.id === id)).filter((c) => c !== undefined)
      : all;
    const description =
      typeof conn.description === 'string' ? { nl: conn.description } : (conn.description ?? { nl: conn.id });
    defs.set(conn.id, { id: conn.id, description, table: conn.table, columns });
  }
  return defs;
}
