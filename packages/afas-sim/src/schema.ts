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

const c = (
  id: string,
  dataType: DataType,
  length: number,
  nl: string,
  en: string,
  extra: Partial<ColumnDef> = {},
): Omit<ColumnDef, 'fieldId'> => ({ id, dataType, length, label: { nl, en }, ...extra });

const audit = [
  c('CreateDate', 'date', 0, 'Aanmaakdatum', 'Creation date', { datetime: true }),
  c('ModifiedDate', 'date', 0, 'Datum gewijzigd', 'Modified date', { datetime: true }),
];

/**
 * Tables of the simulator's database and their columns. GetConnectors expose (subsets of) these
 * columns; UpdateConnectors write rows with exactly these names. Adding a column is safe;
 * renaming one breaks both halves of the simulator.
 */
export const TABLES = {
  administrations: [
    c('AdminId', 'int', 3, 'Nummer administratie', 'Administration number', { controlType: 5 }),
    c('AdminNm', 'string', 80, 'Naam administratie', 'Administration name'),
    c('AdminCd', 'string', 10, 'Code administratie', 'Administration code'),
  ],
  journals: [
    c('UnitId', 'int', 3, 'Administratie', 'Administration'),
    c('JournalId', 'string', 6, 'Dagboek', 'Journal', { controlType: 5 }),
    c('Description', 'string', 50, 'Omschrijving', 'Description'),
  ],
  accounts: [
    c('UnitId', 'int', 3, 'Administratie', 'Administration'),
    c('AccountNr', 'string', 16, 'Rekeningnummer', 'Account number', { controlType: 5 }),
    c('Description', 'string', 50, 'Omschrijving', 'Description'),
    c('AccountType', 'string', 1, 'Balans/W&V', 'Balance/P&L'),
    c('DimAx1', 'string', 10, 'Verbijzonderingsas 1', 'Allocation axis 1'),
    c('DimAx2', 'string', 10, 'Verbijzonderingsas 2', 'Allocation axis 2'),
    c('ToProject', 'boolean', 1, 'Doorboeken naar project', 'Post to project'),
    c('Blocked', 'boolean', 1, 'Geblokkeerd', 'Blocked'),
  ],
  vat_codes: [
    c('VatCode', 'string', 3, 'Btw-code', 'VAT code', { controlType: 5 }),
    c('Description', 'string', 50, 'Omschrijving', 'Description'),
    c('Percentage', 'decimal', 5, 'Percentage', 'Percentage', { decimals: 2 }),
  ],
  periods: [
    c('UnitId', 'int', 3, 'Administratie', 'Administration'),
    c('Year', 'int', 4, 'Boekjaar', 'Financial year'),
    c('Period', 'int', 3, 'Periode', 'Period'),
    c('StartDate', 'date', 0, 'Begindatum', 'Start date'),
    c('EndDate', 'date', 0, 'Einddatum', 'End date'),
    c('Blocked', 'boolean', 1, 'Geblokkeerd', 'Blocked'),
  ],
  debtors: [
    c('DebtorId', 'string', 16, 'Debiteurnummer', 'Debtor number', { controlType: 5 }),
    c('DebtorName', 'string', 255, 'Naam debiteur', 'Debtor name'),
    c('BcCo', 'string', 15, 'Nummer organisatie/persoon', 'Organisation/person number'),
    c('CurrencyId', 'string', 3, 'Valuta', 'Currency'),
    c('InvoiceChannel', 'string', 1, 'Verzendwijze', 'Invoice channel'),
    ...audit,
  ],
  creditors: [
    c('CreditorId', 'string', 16, 'Crediteurnummer', 'Creditor number', { controlType: 5 }),
    c('CreditorName', 'string', 255, 'Naam crediteur', 'Creditor name'),
    c('BcCo', 'string', 15, 'Nummer organisatie/persoon', 'Organisation/person number'),
    ...audit,
  ],
  organisations: [
    c('BcId', 'int', 10, 'Intern nummer', 'Internal number'),
    c('BcCo', 'string', 15, 'Nummer', 'Number'),
    c('Name', 'string', 255, 'Naam', 'Name'),
    c('SearchName', 'string', 10, 'Zoeknaam', 'Search name'),
    c('CocNumber', 'string', 30, 'Nummer KvK', 'Chamber of Commerce number'),
    c('FiscalNumber', 'string', 30, 'Fiscaal nummer', 'Fiscal number'),
    c('Email', 'string', 255, 'E-mail werk', 'Work e-mail'),
    ...audit,
  ],
  persons: [
    c('BcId', 'int', 10, 'Intern nummer', 'Internal number'),
    c('BcCo', 'string', 15, 'Nummer', 'Number'),
    c('SearchName', 'string', 10, 'Zoeknaam', 'Search name'),
    c('Initials', 'string', 15, 'Voorletters', 'Initials'),
    c('FirstName', 'string', 50, 'Voornaam', 'First name'),
    c('Prefix', 'string', 15, 'Voorvoegsel', 'Prefix'),
    c('LastName', 'string', 80, 'Achternaam', 'Last name'),
    c('Gender', 'string', 1, 'Geslacht', 'Gender', { controlType: 5 }),
    c('BirthDate', 'date', 0, 'Geboortedatum', 'Date of birth'),
    c('Nationality', 'string', 3, 'Nationaliteit', 'Nationality'),
    c('SocialSecurityNumber', 'string', 9, 'BSN', 'Social security number'),
    c('Email', 'string', 255, 'E-mail werk', 'Work e-mail'),
    c('Mobile', 'string', 30, 'Mobiel werk', 'Work mobile'),
    c('Phone', 'string', 30, 'Telefoon werk', 'Work phone'),
    ...audit,
  ],
  addresses: [
    c('AddressId', 'int', 10, 'Adresnummer', 'Address number'),
    c('BcId', 'int', 10, 'Intern nummer eigenaar', 'Owner internal number'),
    c('Kind', 'string', 3, 'Soort adres', 'Address kind'),
    c('PoBox', 'boolean', 1, 'Postbusadres', 'PO box'),
    c('Address', 'string', 100, 'Straat', 'Street'),
    c('Number', 'int', 10, 'Huisnummer', 'House number'),
    c('NumberAdd', 'string', 30, 'Toevoeging aan huisnummer', 'House number addition'),
    c('ZipCode', 'string', 15, 'Postcode', 'Postal code'),
    c('Recidence', 'string', 50, 'Woonplaats', 'Residence'),
    c('Country', 'string', 3, 'Land', 'Country', { controlType: 5 }),
    ...audit,
  ],
  contacts: [
    c('ContactId', 'int', 10, 'Nummer contact', 'Contact number'),
    c('OrgBcId', 'int', 10, 'Organisatie', 'Organisation'),
    c('PersonBcId', 'int', 10, 'Persoon', 'Person'),
    c('Kind', 'string', 3, 'Soort contact', 'Contact kind'),
    ...audit,
  ],
  entries: [
    c('UnitId', 'int', 3, 'Administratie', 'Administration'),
    c('JournalId', 'string', 6, 'Dagboek', 'Journal'),
    c('EntryNo', 'int', 10, 'Nummer journaalpost', 'Entry number'),
    c('LineNo', 'int', 10, 'Volgnummer', 'Line number'),
    c('Year', 'int', 4, 'Boekjaar', 'Financial year'),
    c('Period', 'int', 3, 'Periode', 'Period'),
    c('AccountKind', 'string', 1, 'Kenmerk rekening', 'Account kind'),
    c('AccountNo', 'string', 16, 'Rekeningnummer', 'Account number'),
    c('EntryDate', 'date', 0, 'Boekdatum', 'Entry date'),
    c('VoucherDate', 'date', 0, 'Datum boekstuk', 'Voucher date'),
    c('VoucherNo', 'string', 32, 'Boekstuknummer', 'Voucher number'),
    c('Description', 'string', 255, 'Omschrijving', 'Description'),
    c('AmountDebit', 'decimal', 26, 'Bedrag debet', 'Amount debit', { decimals: 2 }),
    c('AmountCredit', 'decimal', 26, 'Bedrag credit', 'Amount credit', { decimals: 2 }),
    c('InvoiceId', 'string', 12, 'Factuurnummer', 'Invoice number'),
    c('VatCode', 'string', 3, 'Btw-code', 'VAT code'),
    c('DueDate', 'date', 0, 'Vervaldatum', 'Due date'),
    ...audit,
  ],
  cost_centres: [
    c('UnitId', 'int', 3, 'Administratie', 'Administration'),
    c(
      'Axis',
      'int',
      1,
      'Verbijzonderingsas (1 kostenplaats, 2 kostendrager)',
      'Allocation axis (1 cost centre, 2 cost unit)',
    ),
    c('Code', 'string', 10, 'Code', 'Code'),
    c('Description', 'string', 50, 'Omschrijving', 'Description'),
  ],
  dim_entries: [
    c('UnitId', 'int', 3, 'Administratie', 'Administration'),
    c('EntryNo', 'int', 10, 'Nummer journaalpost', 'Entry number'),
    c('LineNo', 'int', 10, 'Volgnummer', 'Line number'),
    c('DimAx1', 'string', 10, 'Kostenplaats', 'Cost centre'),
    c('DimAx2', 'string', 10, 'Kostendrager', 'Cost unit'),
    c('AmountDebit', 'decimal', 26, 'Bedrag debet', 'Amount debit', { decimals: 2 }),
    c('AmountCredit', 'decimal', 26, 'Bedrag credit', 'Amount credit', { decimals: 2 }),
  ],
  subjects: [
    c('SbId', 'int', 10, 'Dossieritem', 'Subject'),
    c('SubjectType', 'int', 10, 'Type dossieritem', 'Subject type'),
    c('Description', 'string', 255, 'Onderwerp', 'Subject description'),
    c('BcId', 'int', 10, 'Organisatie/persoon', 'Organisation/person'),
    ...audit,
  ],
  subject_attachments: [
    c('SbId', 'int', 10, 'Dossieritem', 'Subject'),
    c('FileId', 'string', 64, 'Bijlage-ID', 'File id'),
    c('FileName', 'string', 255, 'Bestandsnaam', 'File name'),
    c('MimeType', 'string', 100, 'Mimetype', 'Mime type'),
    c('Data', 'blob', 0, 'Bijlage', 'Attachment', { controlType: 23 }),
  ],
  images: [
    c('ImageId', 'int', 10, 'Afbeelding', 'Image'),
    c('MimeType', 'string', 100, 'Mimetype', 'Mime type'),
    c('Data', 'blob', 0, 'Afbeelding', 'Image data', { controlType: 23 }),
  ],
  reports: [
    c('ReportId', 'string', 40, 'Rapport', 'Report'),
    c('Description', 'string', 255, 'Omschrijving', 'Description'),
    c('Data', 'blob', 0, 'Rapport (pdf)', 'Report (pdf)', { controlType: 23 }),
  ],
  /** Benchmark rows (Koppel_Bench_Rows); usually produced by a seed generator, not by UpdateConnectors. */
  bench_rows: [
    c('RowId', 'int', 10, 'Regelnummer', 'Row number'),
    c('Code', 'string', 20, 'Code', 'Code', { controlType: 5 }),
    c('Name', 'string', 80, 'Naam', 'Name'),
    c('Category', 'string', 20, 'Categorie', 'Category'),
    c('Amount', 'decimal', 26, 'Bedrag', 'Amount', { decimals: 2 }),
    c('Quantity', 'int', 10, 'Aantal', 'Quantity'),
    c('Active', 'boolean', 1, 'Actief', 'Active'),
    c('BookDate', 'date', 0, 'Boekdatum', 'Booking date'),
    c('ModifiedAt', 'date', 0, 'Gewijzigd op', 'Modified at', { datetime: true }),
    c('Note', 'string', 255, 'Notitie', 'Note', { controlType: 23 }),
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
