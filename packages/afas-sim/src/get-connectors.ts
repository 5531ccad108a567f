import type { Texts } from './language.js';
import { type ColumnDef, columnsOf, type TableName } from './schema.js';
import type { SeedGetConnector } from './seed.js';

/** A GetConnector the simulator can serve: a named view on one table. */
export interface GetConnectorDef {
  id: string;
  description: Texts;
  table: TableName;
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

/** The GetConnectors every environment has, plus the seed's own definitions (which win on id). */
export function getConnectorDefs(custom: SeedGetConnector[] = []): Map<string, GetConnectorDef> {
  const defs = new Map<string, GetConnectorDef>();
  for (const [id, table, nl, en] of builtin) {
    defs.set(id, { id, description: { nl, en }, table, columns: columnsOf(table) });
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
