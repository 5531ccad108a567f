import type { Texts } from './language.js';

/** GET-metainfo data types (reference §2.2). */
export type DataType = 'string' | 'int' | 'decimal' | 'boolean' | 'date' | 'blob';

/** A column of a simulator table, described as `/metainfo/get/{id}` describes it. */
export interface ColumnDef {
  /** Column name in rows, filters and sorts. */
  id: string;
  /** Internal field code (`U001`… or a real code such as `UnCo`). */
  fieldId: string;
  dataType: DataType;
  label: Texts;
  length: number;
  decimals?: number;
  /** 1 plain, 5 code/lookup, 23 memo/blob (reference §2.2; illustrative). */
  controlType?: number;
  /** Shown as `decimalsFieldId` (recorded metainfo); default ''. */
  decimalsFieldId?: string;
  /** A datetime column: rendered `YYYY-MM-DDTHH:mm:ssZ` with the misleading Z. Date-only columns render `T00:00:00Z` too. */
  datetime?: boolean;
}

/** A column as c takes it: a ColumnDef without `fieldId` whose label is a `[nl, en]` pair. */
interface ColumnOptions extends Omit<ColumnDef, 'fieldId' | 'label'> {
  label: [nl: string, en: string];
}

/** `c({ id: 'AdminId', dataType: 'int', length: 3, label: ['Nummer administratie', 'Administration number'] })`. */
const c = ({
  id,
  dataType,
  length,
  label: [nl, en],
  ...extra
}: ColumnOptions): Omit<ColumnDef, 'fieldId'> => ({
  id,
  dataType,
  length,
  label: { nl, en },
  ...extra,
});

const audit = [
  c({
    id: 'CreateDate',
    dataType: 'date',
    length: 0,
    label: ['Aanmaakdatum', 'Creation date'],
    datetime: true,
  }),
  c({
    id: 'ModifiedDate',
    dataType: 'date',
    length: 0,
    label: ['Datum gewijzigd', 'Modified date'],
    datetime: true,
  }),
];

/**
 * Tables of the simulator's database and their columns. GetConnectors expose (subsets of) these
 * columns; UpdateConnectors write rows with exactly these names. Adding a column is safe;
 * renaming one breaks both halves of the simulator.
 */
export const TABLES = {
  administrations: [
    c({
      id: 'AdminId',
      dataType: 'int',
      length: 3,
      label: ['Nummer administratie', 'Administration number'],
      controlType: 5,
    }),
    c({
      id: 'AdminNm',
      dataType: 'string',
      length: 80,
      label: ['Naam administratie', 'Administration name'],
    }),
    c({
      id: 'AdminCd',
      dataType: 'string',
      length: 10,
      label: ['Code administratie', 'Administration code'],
    }),
  ],
  journals: [
    c({ id: 'UnitId', dataType: 'int', length: 3, label: ['Administratie', 'Administration'] }),
    c({ id: 'JournalId', dataType: 'string', length: 6, label: ['Dagboek', 'Journal'], controlType: 5 }),
    c({ id: 'Description', dataType: 'string', length: 50, label: ['Omschrijving', 'Description'] }),
  ],
  accounts: [
    c({ id: 'UnitId', dataType: 'int', length: 3, label: ['Administratie', 'Administration'] }),
    c({
      id: 'AccountNr',
      dataType: 'string',
      length: 16,
      label: ['Rekeningnummer', 'Account number'],
      controlType: 5,
    }),
    c({ id: 'Description', dataType: 'string', length: 50, label: ['Omschrijving', 'Description'] }),
    c({ id: 'AccountType', dataType: 'string', length: 1, label: ['Balans/W&V', 'Balance/P&L'] }),
    c({ id: 'DimAx1', dataType: 'string', length: 10, label: ['Verbijzonderingsas 1', 'Allocation axis 1'] }),
    c({ id: 'DimAx2', dataType: 'string', length: 10, label: ['Verbijzonderingsas 2', 'Allocation axis 2'] }),
    c({
      id: 'ToProject',
      dataType: 'boolean',
      length: 1,
      label: ['Doorboeken naar project', 'Post to project'],
    }),
    c({ id: 'Blocked', dataType: 'boolean', length: 1, label: ['Geblokkeerd', 'Blocked'] }),
  ],
  vat_codes: [
    c({ id: 'VatCode', dataType: 'string', length: 3, label: ['Btw-code', 'VAT code'], controlType: 5 }),
    c({ id: 'Description', dataType: 'string', length: 50, label: ['Omschrijving', 'Description'] }),
    c({ id: 'Percentage', dataType: 'decimal', length: 5, label: ['Percentage', 'Percentage'], decimals: 2 }),
  ],
  periods: [
    c({ id: 'UnitId', dataType: 'int', length: 3, label: ['Administratie', 'Administration'] }),
    c({ id: 'Year', dataType: 'int', length: 4, label: ['Boekjaar', 'Financial year'] }),
    c({ id: 'Period', dataType: 'int', length: 3, label: ['Periode', 'Period'] }),
    c({ id: 'StartDate', dataType: 'date', length: 0, label: ['Begindatum', 'Start date'] }),
    c({ id: 'EndDate', dataType: 'date', length: 0, label: ['Einddatum', 'End date'] }),
    c({ id: 'Blocked', dataType: 'boolean', length: 1, label: ['Geblokkeerd', 'Blocked'] }),
  ],
  debtors: [
    c({
      id: 'DebtorId',
      dataType: 'string',
      length: 16,
      label: ['Debiteurnummer', 'Debtor number'],
      controlType: 5,
    }),
    c({ id: 'DebtorName', dataType: 'string', length: 255, label: ['Naam debiteur', 'Debtor name'] }),
    c({
      id: 'BcCo',
      dataType: 'string',
      length: 15,
      label: ['Nummer organisatie/persoon', 'Organisation/person number'],
    }),
    c({ id: 'CurrencyId', dataType: 'string', length: 3, label: ['Valuta', 'Currency'] }),
    c({ id: 'InvoiceChannel', dataType: 'string', length: 1, label: ['Verzendwijze', 'Invoice channel'] }),
    ...audit,
  ],
  creditors: [
    c({
      id: 'CreditorId',
      dataType: 'string',
      length: 16,
      label: ['Crediteurnummer', 'Creditor number'],
      controlType: 5,
    }),
    c({ id: 'CreditorName', dataType: 'string', length: 255, label: ['Naam crediteur', 'Creditor name'] }),
    c({
      id: 'BcCo',
      dataType: 'string',
      length: 15,
      label: ['Nummer organisatie/persoon', 'Organisation/person number'],
    }),
    ...audit,
  ],
  organisations: [
    c({ id: 'BcId', dataType: 'int', length: 10, label: ['Intern nummer', 'Internal number'] }),
    c({ id: 'BcCo', dataType: 'string', length: 15, label: ['Nummer', 'Number'] }),
    c({ id: 'Name', dataType: 'string', length: 255, label: ['Naam', 'Name'] }),
    c({ id: 'SearchName', dataType: 'string', length: 10, label: ['Zoeknaam', 'Search name'] }),
    c({
      id: 'CocNumber',
      dataType: 'string',
      length: 30,
      label: ['Nummer KvK', 'Chamber of Commerce number'],
    }),
    c({ id: 'FiscalNumber', dataType: 'string', length: 30, label: ['Fiscaal nummer', 'Fiscal number'] }),
    c({ id: 'Email', dataType: 'string', length: 255, label: ['E-mail werk', 'Work e-mail'] }),
    ...audit,
  ],
  persons: [
    c({ id: 'BcId', dataType: 'int', length: 10, label: ['Intern nummer', 'Internal number'] }),
    c({ id: 'BcCo', dataType: 'string', length: 15, label: ['Nummer', 'Number'] }),
    c({ id: 'SearchName', dataType: 'string', length: 10, label: ['Zoeknaam', 'Search name'] }),
    c({ id: 'Initials', dataType: 'string', length: 15, label: ['Voorletters', 'Initials'] }),
    c({ id: 'FirstName', dataType: 'string', length: 50, label: ['Voornaam', 'First name'] }),
    c({ id: 'Prefix', dataType: 'string', length: 15, label: ['Voorvoegsel', 'Prefix'] }),
    c({ id: 'LastName', dataType: 'string', length: 80, label: ['Achternaam', 'Last name'] }),
    c({ id: 'Gender', dataType: 'string', length: 1, label: ['Geslacht', 'Gender'], controlType: 5 }),
    c({ id: 'BirthDate', dataType: 'date', length: 0, label: ['Geboortedatum', 'Date of birth'] }),
    c({ id: 'Nationality', dataType: 'string', length: 3, label: ['Nationaliteit', 'Nationality'] }),
    c({
      id: 'SocialSecurityNumber',
      dataType: 'string',
      length: 9,
      label: ['BSN', 'Social security number'],
    }),
    c({ id: 'Email', dataType: 'string', length: 255, label: ['E-mail werk', 'Work e-mail'] }),
    c({ id: 'Mobile', dataType: 'string', length: 30, label: ['Mobiel werk', 'Work mobile'] }),
    c({ id: 'Phone', dataType: 'string', length: 30, label: ['Telefoon werk', 'Work phone'] }),
    ...audit,
  ],
  addresses: [
    c({ id: 'AddressId', dataType: 'int', length: 10, label: ['Adresnummer', 'Address number'] }),
    c({
      id: 'BcId',
      dataType: 'int',
      length: 10,
      label: ['Intern nummer eigenaar', 'Owner internal number'],
    }),
    c({ id: 'Kind', dataType: 'string', length: 3, label: ['Soort adres', 'Address kind'] }),
    c({ id: 'PoBox', dataType: 'boolean', length: 1, label: ['Postbusadres', 'PO box'] }),
    c({ id: 'Address', dataType: 'string', length: 100, label: ['Straat', 'Street'] }),
    c({ id: 'Number', dataType: 'int', length: 10, label: ['Huisnummer', 'House number'] }),
    c({
      id: 'NumberAdd',
      dataType: 'string',
      length: 30,
      label: ['Toevoeging aan huisnummer', 'House number addition'],
    }),
    c({ id: 'ZipCode', dataType: 'string', length: 15, label: ['Postcode', 'Postal code'] }),
    c({ id: 'Recidence', dataType: 'string', length: 50, label: ['Woonplaats', 'Residence'] }),
    c({ id: 'Country', dataType: 'string', length: 3, label: ['Land', 'Country'], controlType: 5 }),
    ...audit,
  ],
  contacts: [
    c({ id: 'ContactId', dataType: 'int', length: 10, label: ['Nummer contact', 'Contact number'] }),
    c({ id: 'OrgBcId', dataType: 'int', length: 10, label: ['Organisatie', 'Organisation'] }),
    c({ id: 'PersonBcId', dataType: 'int', length: 10, label: ['Persoon', 'Person'] }),
    c({ id: 'Kind', dataType: 'string', length: 3, label: ['Soort contact', 'Contact kind'] }),
    ...audit,
  ],
  entries: [
    c({ id: 'UnitId', dataType: 'int', length: 3, label: ['Administratie', 'Administration'] }),
    c({ id: 'JournalId', dataType: 'string', length: 6, label: ['Dagboek', 'Journal'] }),
    c({ id: 'EntryNo', dataType: 'int', length: 10, label: ['Nummer journaalpost', 'Entry number'] }),
    c({ id: 'LineNo', dataType: 'int', length: 10, label: ['Volgnummer', 'Line number'] }),
    c({ id: 'Year', dataType: 'int', length: 4, label: ['Boekjaar', 'Financial year'] }),
    c({ id: 'Period', dataType: 'int', length: 3, label: ['Periode', 'Period'] }),
    c({ id: 'AccountKind', dataType: 'string', length: 1, label: ['Kenmerk rekening', 'Account kind'] }),
    c({ id: 'AccountNo', dataType: 'string', length: 16, label: ['Rekeningnummer', 'Account number'] }),
    c({ id: 'EntryDate', dataType: 'date', length: 0, label: ['Boekdatum', 'Entry date'] }),
    c({ id: 'VoucherDate', dataType: 'date', length: 0, label: ['Datum boekstuk', 'Voucher date'] }),
    c({ id: 'VoucherNo', dataType: 'string', length: 32, label: ['Boekstuknummer', 'Voucher number'] }),
    c({ id: 'Description', dataType: 'string', length: 255, label: ['Omschrijving', 'Description'] }),
    c({
      id: 'AmountDebit',
      dataType: 'decimal',
      length: 26,
      label: ['Bedrag debet', 'Amount debit'],
      decimals: 2,
    }),
    c({
      id: 'AmountCredit',
      dataType: 'decimal',
      length: 26,
      label: ['Bedrag credit', 'Amount credit'],
      decimals: 2,
    }),
    c({ id: 'InvoiceId', dataType: 'string', length: 12, label: ['Factuurnummer', 'Invoice number'] }),
    c({ id: 'VatCode', dataType: 'string', length: 3, label: ['Btw-code', 'VAT code'] }),
    c({ id: 'DueDate', dataType: 'date', length: 0, label: ['Vervaldatum', 'Due date'] }),
    ...audit,
  ],
  cost_centres: [
    c({ id: 'UnitId', dataType: 'int', length: 3, label: ['Administratie', 'Administration'] }),
    c({
      id: 'Axis',
      dataType: 'int',
      length: 1,
      label: [
        'Verbijzonderingsas (1 kostenplaats, 2 kostendrager)',
        'Allocation axis (1 cost centre, 2 cost unit)',
      ],
    }),
    c({ id: 'Code', dataType: 'string', length: 10, label: ['Code', 'Code'] }),
    c({ id: 'Description', dataType: 'string', length: 50, label: ['Omschrijving', 'Description'] }),
  ],
  dim_entries: [
    c({ id: 'UnitId', dataType: 'int', length: 3, label: ['Administratie', 'Administration'] }),
    c({ id: 'EntryNo', dataType: 'int', length: 10, label: ['Nummer journaalpost', 'Entry number'] }),
    c({ id: 'LineNo', dataType: 'int', length: 10, label: ['Volgnummer', 'Line number'] }),
    c({ id: 'DimAx1', dataType: 'string', length: 10, label: ['Kostenplaats', 'Cost centre'] }),
    c({ id: 'DimAx2', dataType: 'string', length: 10, label: ['Kostendrager', 'Cost unit'] }),
    c({
      id: 'AmountDebit',
      dataType: 'decimal',
      length: 26,
      label: ['Bedrag debet', 'Amount debit'],
      decimals: 2,
    }),
    c({
      id: 'AmountCredit',
      dataType: 'decimal',
      length: 26,
      label: ['Bedrag credit', 'Amount credit'],
      decimals: 2,
    }),
  ],
  subjects: [
    c({ id: 'SbId', dataType: 'int', length: 10, label: ['Dossieritem', 'Subject'] }),
    c({ id: 'SubjectType', dataType: 'int', length: 10, label: ['Type dossieritem', 'Subject type'] }),
    c({ id: 'Description', dataType: 'string', length: 255, label: ['Onderwerp', 'Subject description'] }),
    c({ id: 'BcId', dataType: 'int', length: 10, label: ['Organisatie/persoon', 'Organisation/person'] }),
    ...audit,
  ],
  subject_attachments: [
    c({ id: 'SbId', dataType: 'int', length: 10, label: ['Dossieritem', 'Subject'] }),
    c({ id: 'FileId', dataType: 'string', length: 64, label: ['Bijlage-ID', 'File id'] }),
    c({ id: 'FileName', dataType: 'string', length: 255, label: ['Bestandsnaam', 'File name'] }),
    c({ id: 'MimeType', dataType: 'string', length: 100, label: ['Mimetype', 'Mime type'] }),
    c({ id: 'Data', dataType: 'blob', length: 0, label: ['Bijlage', 'Attachment'], controlType: 23 }),
  ],
  images: [
    c({ id: 'ImageId', dataType: 'int', length: 10, label: ['Afbeelding', 'Image'] }),
    c({ id: 'MimeType', dataType: 'string', length: 100, label: ['Mimetype', 'Mime type'] }),
    c({ id: 'Data', dataType: 'blob', length: 0, label: ['Afbeelding', 'Image data'], controlType: 23 }),
  ],
  reports: [
    c({ id: 'ReportId', dataType: 'string', length: 40, label: ['Rapport', 'Report'] }),
    c({ id: 'Description', dataType: 'string', length: 255, label: ['Omschrijving', 'Description'] }),
    c({ id: 'Data', dataType: 'blob', length: 0, label: ['Rapport (pdf)', 'Report (pdf)'], controlType: 23 }),
  ],
  /** Benchmark rows (Koppel_Bench_Rows); usually produced by a seed generator, not by UpdateConnectors. */
  bench_rows: [
    c({ id: 'RowId', dataType: 'int', length: 10, label: ['Regelnummer', 'Row number'] }),
    c({ id: 'Code', dataType: 'string', length: 20, label: ['Code', 'Code'], controlType: 5 }),
    c({ id: 'Name', dataType: 'string', length: 80, label: ['Naam', 'Name'] }),
    c({ id: 'Category', dataType: 'string', length: 20, label: ['Categorie', 'Category'] }),
    c({ id: 'Amount', dataType: 'decimal', length: 26, label: ['Bedrag', 'Amount'], decimals: 2 }),
    c({ id: 'Quantity', dataType: 'int', length: 10, label: ['Aantal', 'Quantity'] }),
    c({ id: 'Active', dataType: 'boolean', length: 1, label: ['Actief', 'Active'] }),
    c({ id: 'BookDate', dataType: 'date', length: 0, label: ['Boekdatum', 'Booking date'] }),
    c({
      id: 'ModifiedAt',
      dataType: 'date',
      length: 0,
      label: ['Gewijzigd op', 'Modified at'],
      datetime: true,
    }),
    c({ id: 'Note', dataType: 'string', length: 255, label: ['Notitie', 'Note'], controlType: 23 }),
  ],
} satisfies Record<string, Omit<ColumnDef, 'fieldId'>[]>;

export type TableName = keyof typeof TABLES;

/** The column definitions of a table with `fieldId`s U001, U002, … assigned in order. */
export function columnsOf(table: TableName): ColumnDef[] {
  return TABLES[table].map((column, index) => ({
    fieldId: `U${String(index + 1).padStart(3, '0')}`,
    ...column,
  }));
}
