import { ACCOUNT_KINDS, CURRENCIES } from '../codes.js';
import { type ConnectorSpec, f, type ObjectSpec } from '../spec.js';

const amount = (id: string, label: [nl: string, en: string, fr: string]) =>
  f({ id, dataType: 'decimal', length: 26, label, decimals: 2 });

const DIM_ENTRIES: ObjectSpec = {
  name: 'FiDimEntries',
  objects: [],
  fields: [
    f({
      id: 'DiC1',
      dataType: 'string',
      length: 10,
      label: ['Code verbijzonderingsas 1', 'Allocation code axis 1', "Code d'axe analytique 1"],
    }),
    f({
      id: 'DiC2',
      dataType: 'string',
      length: 10,
      label: ['Code verbijzonderingsas 2', 'Allocation code axis 2', "Code d'axe analytique 2"],
    }),
    f({
      id: 'DiC3',
      dataType: 'string',
      length: 10,
      label: ['Code verbijzonderingsas 3', 'Allocation code axis 3', "Code d'axe analytique 3"],
    }),
    f({
      id: 'DiC4',
      dataType: 'string',
      length: 10,
      label: ['Code verbijzonderingsas 4', 'Allocation code axis 4', "Code d'axe analytique 4"],
    }),
    f({
      id: 'DiC5',
      dataType: 'string',
      length: 10,
      label: ['Code verbijzonderingsas 5', 'Allocation code axis 5', "Code d'axe analytique 5"],
    }),
    amount('AmDe', ['Bedrag debet', 'Amount debit', 'Montant débit']),
    amount('AmCr', ['Bedrag credit', 'Amount credit', 'Montant crédit']),
    f({
      id: 'Quan',
      dataType: 'decimal',
      length: 26,
      label: ['Aantal', 'Quantity', 'Quantité'],
      decimals: 4,
    }),
  ],
};

const PRJ_ENTRIES: ObjectSpec = {
  name: 'FiPrjEntries',
  objects: [],
  fields: [
    f({
      id: 'PrId',
      dataType: 'string',
      length: 15,
      label: ['Project', 'Project', 'Projet'],
      mandatory: true,
    }),
    f({
      id: 'PrSt',
      dataType: 'string',
      length: 15,
      label: ['Projectfase', 'Project stage', 'Phase du projet'],
    }),
    f({ id: 'VaIt', dataType: 'string', length: 1, label: ['Type item', 'Item type', "Type d'article"] }),
    f({ id: 'ItCd', dataType: 'string', length: 40, label: ['Itemcode', 'Item code', "Code d'article"] }),
    f({ id: 'Ds', dataType: 'string', length: 255, label: ['Omschrijving', 'Description', 'Description'] }),
    amount('AmCo', ['Kostprijs', 'Cost price', 'Prix de revient']),
    amount('AmSe', ['Verkoopprijs', 'Sales price', 'Prix de vente']),
    f({ id: 'Qu', dataType: 'decimal', length: 26, label: ['Aantal', 'Quantity', 'Quantité'], decimals: 4 }),
    f({ id: 'Ch', dataType: 'boolean', length: 1, label: ['Doorbelasten', 'Charge on', 'Refacturer'] }),
  ],
};

export const LINES: ObjectSpec = {
  name: 'FiEntries',
  objects: [DIM_ENTRIES, PRJ_ENTRIES],
  fields: [
    f({
      id: 'EnNo',
      dataType: 'int',
      length: 10,
      label: ['Nummer journaalpost', 'Entry number', "Numéro d'écriture"],
      primaryKey: true,
    }),
    f({
      id: 'VaAs',
      dataType: 'string',
      length: 10,
      label: ['Kenmerk rekening', 'Account type', 'Type de compte'],
      mandatory: true,
      values: ACCOUNT_KINDS,
    }),
    f({
      id: 'AcNr',
      dataType: 'string',
      length: 16,
      label: ['Rekeningnummer', 'Account Number', 'Numéro de compte'],
      mandatory: true,
    }),
    f({
      id: 'EnDa',
      dataType: 'date',
      length: 10,
      label: ['Boekdatum', 'Entry date', 'Date de comptabilisation'],
      mandatory: true,
    }),
    f({
      id: 'BpDa',
      dataType: 'date',
      length: 10,
      label: ['Datum boekstuk', 'Voucher date', 'Date de la pièce'],
      mandatory: true,
    }),
    f({
      id: 'BpNr',
      dataType: 'string',
      length: 32,
      label: ['Boekstuknummer', 'Voucher number', 'Numéro de pièce'],
    }),
    f({
      id: 'Ds',
      dataType: 'string',
      length: 255,
      label: ['Omschrijving boeking', 'Entry description', "Description de l'écriture"],
    }),
    amount('AmDe', ['Bedrag debet', 'Amount debit', 'Montant débit']),
    amount('AmCr', ['Bedrag credit', 'Amount credit', 'Montant crédit']),
    f({
      id: 'InId',
      dataType: 'string',
      length: 12,
      label: ['Factuurnummer', 'Invoice number', 'Numéro de facture'],
    }),
    f({ id: 'VaId', dataType: 'string', length: 3, label: ['Btw-code', 'VAT code', 'Code TVA'] }),
    f({
      id: 'CuId',
      dataType: 'string',
      length: 3,
      label: ['Valuta', 'Currency', 'Devise'],
      values: CURRENCIES,
    }),
    f({
      id: 'Rate',
      dataType: 'decimal',
      length: 26,
      label: ['Koers', 'Exchange rate', 'Taux de change'],
      decimals: 6,
      notzero: true,
    }),
    amount('AmDc', ['Bedrag debet valuta', 'Amount debit currency', 'Montant débit en devise']),
    amount('AmCc', ['Bedrag credit valuta', 'Amount credit currency', 'Montant crédit en devise']),
    f({ id: 'DaEx', dataType: 'date', length: 10, label: ['Vervaldatum', 'Due date', "Date d'échéance"] }),
    f({
      id: 'PaCd',
      dataType: 'string',
      length: 5,
      label: ['Betalingsvoorwaarde', 'Payment condition', 'Condition de paiement'],
    }),
    f({
      id: 'BlPa',
      dataType: 'boolean',
      length: 1,
      label: ['Blokkeren voor betaling', 'Block for payment', 'Bloquer pour paiement'],
    }),
    f({
      id: 'PaId',
      dataType: 'string',
      length: 30,
      label: ['Betalingskenmerk', 'Payment reference', 'Référence de paiement'],
    }),
    f({
      id: 'OrNu',
      dataType: 'string',
      length: 15,
      label: ['Ordernummer', 'Order number', 'Numéro de commande'],
    }),
    f({
      id: 'Fref',
      dataType: 'string',
      length: 50,
      label: ['Factuurreferentie', 'Invoice reference', 'Référence de facture'],
    }),
    f({
      id: 'Mref',
      dataType: 'string',
      length: 50,
      label: ['Afletterreferentie', 'Matching reference', 'Référence de lettrage'],
    }),
  ],
};

/** FiEntries: root FiEntryPar (header) with FiEntries lines (reference §2.3, §3.5). */
export const FI_ENTRIES_SPEC: ConnectorSpec = {
  id: 'FiEntries',
  name: 'FiEntryPar',
  description: { nl: 'Financiële mutatie', en: 'Financial entry', fr: 'Écriture financière' },
  objects: [LINES],
  fields: [
    f({
      id: 'Year',
      dataType: 'int',
      length: 4,
      label: ['Boekjaar', 'Financial year', 'Exercice'],
      mandatory: true,
    }),
    f({ id: 'Peri', dataType: 'int', length: 3, label: ['Periode', 'Period', 'Période'], mandatory: true }),
    f({
      id: 'UnId',
      dataType: 'int',
      length: 3,
      label: ['Nummer administratie', 'Administration number', "Numéro d'administration"],
    }),
    f({
      id: 'JoCo',
      dataType: 'string',
      length: 6,
      label: ['Dagboek', 'Journal', 'Journal'],
      mandatory: true,
    }),
    f({
      id: 'AuNu',
      dataType: 'boolean',
      length: 1,
      label: ['Autonummering factuur', 'Auto numbering invoice', 'Numérotation automatique facture'],
    }),
    f({ id: 'PrTp', dataType: 'int', length: 3, label: ['Type boeking', 'Entry type', "Type d'écriture"] }),
    f({
      id: 'AdDc',
      dataType: 'boolean',
      length: 1,
      label: ['Verbijzonderingscode aanmaken', 'Create allocation code', "Créer le code d'affectation"],
    }),
    f({
      id: 'AdDa',
      dataType: 'boolean',
      length: 1,
      label: ['Verbijzonderingstoewijzing aanmaken', 'Create allocation assignment', "Créer l'affectation"],
    }),
  ],
};
