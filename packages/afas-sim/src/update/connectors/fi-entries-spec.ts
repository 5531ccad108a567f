import { ACCOUNT_KINDS, CURRENCIES } from '../codes.js';
import { type ConnectorSpec, f, type ObjectSpec } from '../spec.js';

const amount = (id: string, nl: string, en: string, fr: string) =>
  f(id, 'decimal', 26, [nl, en, fr], { decimals: 2 });

const DIM_ENTRIES: ObjectSpec = {
  name: 'FiDimEntries',
  objects: [],
  fields: [
    f('DiC1', 'string', 10, [
      'Code verbijzonderingsas 1',
      'Allocation code axis 1',
      "Code d'axe analytique 1",
    ]),
    f('DiC2', 'string', 10, [
      'Code verbijzonderingsas 2',
      'Allocation code axis 2',
      "Code d'axe analytique 2",
    ]),
    f('DiC3', 'string', 10, [
      'Code verbijzonderingsas 3',
      'Allocation code axis 3',
      "Code d'axe analytique 3",
    ]),
    f('DiC4', 'string', 10, [
      'Code verbijzonderingsas 4',
      'Allocation code axis 4',
      "Code d'axe analytique 4",
    ]),
    f('DiC5', 'string', 10, [
      'Code verbijzonderingsas 5',
      'Allocation code axis 5',
      "Code d'axe analytique 5",
    ]),
    amount('AmDe', 'Bedrag debet', 'Amount debit', 'Montant débit'),
    amount('AmCr', 'Bedrag credit', 'Amount credit', 'Montant crédit'),
    f('Quan', 'decimal', 26, ['Aantal', 'Quantity', 'Quantité'], { decimals: 4 }),
  ],
};

const PRJ_ENTRIES: ObjectSpec = {
  name: 'FiPrjEntries',
  objects: [],
  fields: [
    f('PrId', 'string', 15, ['Project', 'Project', 'Projet'], { mandatory: true }),
    f('PrSt', 'string', 15, ['Projectfase', 'Project stage', 'Phase du projet']),
    f('VaIt', 'string', 1, ['Type item', 'Item type', "Type d'article"]),
    f('ItCd', 'string', 40, ['Itemcode', 'Item code', "Code d'article"]),
    f('Ds', 'string', 255, ['Omschrijving', 'Description', 'Description']),
    amount('AmCo', 'Kostprijs', 'Cost price', 'Prix de revient'),
    amount('AmSe', 'Verkoopprijs', 'Sales price', 'Prix de vente'),
    f('Qu', 'decimal', 26, ['Aantal', 'Quantity', 'Quantité'], { decimals: 4 }),
    f('Ch', 'boolean', 1, ['Doorbelasten', 'Charge on', 'Refacturer']),
  ],
};

export const LINES: ObjectSpec = {
  name: 'FiEntries',
  objects: [DIM_ENTRIES, PRJ_ENTRIES],
  fields: [
    f('EnNo', 'int', 10, ['Nummer journaalpost', 'Entry number', "Numéro d'écriture"], { primaryKey: true }),
    f('VaAs', 'string', 10, ['Kenmerk rekening', 'Account type', 'Type de compte'], {
      mandatory: true,
      values: ACCOUNT_KINDS,
    }),
    f('AcNr', 'string', 16, ['Rekeningnummer', 'Account Number', 'Numéro de compte'], { mandatory: true }),
    f('EnDa', 'date', 10, ['Boekdatum', 'Entry date', 'Date de comptabilisation'], { mandatory: true }),
    f('BpDa', 'date', 10, ['Datum boekstuk', 'Voucher date', 'Date de la pièce'], { mandatory: true }),
    f('BpNr', 'string', 32, ['Boekstuknummer', 'Voucher number', 'Numéro de pièce']),
    f('Ds', 'string', 255, ['Omschrijving boeking', 'Entry description', "Description de l'écriture"]),
    amount('AmDe', 'Bedrag debet', 'Amount debit', 'Montant débit'),
    amount('AmCr', 'Bedrag credit', 'Amount credit', 'Montant crédit'),
    f('InId', 'string', 12, ['Factuurnummer', 'Invoice number', 'Numéro de facture']),
    f('VaId', 'string', 3, ['Btw-code', 'VAT code', 'Code TVA']),
    f('CuId', 'string', 3, ['Valuta', 'Currency', 'Devise'], { values: CURRENCIES }),
    f('Rate', 'decimal', 26, ['Koers', 'Exchange rate', 'Taux de change'], { decimals: 6, notzero: true }),
    amount('AmDc', 'Bedrag debet valuta', 'Amount debit currency', 'Montant débit en devise'),
    amount('AmCc', 'Bedrag credit valuta', 'Amount credit currency', 'Montant crédit en devise'),
    f('DaEx', 'date', 10, ['Vervaldatum', 'Due date', "Date d'échéance"]),
    f('PaCd', 'string', 5, ['Betalingsvoorwaarde', 'Payment condition', 'Condition de paiement']),
    f('BlPa', 'boolean', 1, ['Blokkeren voor betaling', 'Block for payment', 'Bloquer pour paiement']),
    f('PaId', 'string', 30, ['Betalingskenmerk', 'Payment reference', 'Référence de paiement']),
    f('OrNu', 'string', 15, ['Ordernummer', 'Order number', 'Numéro de commande']),
    f('Fref', 'string', 50, ['Factuurreferentie', 'Invoice reference', 'Référence de facture']),
    f('Mref', 'string', 50, ['Afletterreferentie', 'Matching reference', 'Référence de lettrage']),
  ],
};

/** FiEntries: root FiEntryPar (header) with FiEntries lines (reference §2.3, §3.5). */
export const FI_ENTRIES_SPEC: ConnectorSpec = {
  id: 'FiEntries',
  name: 'FiEntryPar',
  description: { nl: 'Financiële mutatie', en: 'Financial entry', fr: 'Écriture financière' },
  objects: [LINES],
  fields: [
    f('Year', 'int', 4, ['Boekjaar', 'Financial year', 'Exercice'], { mandatory: true }),
    f('Peri', 'int', 3, ['Periode', 'Period', 'Période'], { mandatory: true }),
    f('UnId', 'int', 3, ['Nummer administratie', 'Administration number', "Numéro d'administration"]),
    f('JoCo', 'string', 6, ['Dagboek', 'Journal', 'Journal'], { mandatory: true }),
    f('AuNu', 'boolean', 1, [
      'Autonummering factuur',
      'Auto numbering invoice',
      'Numérotation automatique facture',
    ]),
    f('PrTp', 'int', 3, ['Type boeking', 'Entry type', "Type d'écriture"]),
    f('AdDc', 'boolean', 1, [
      'Verbijzonderingscode aanmaken',
      'Create allocation code',
      "Créer le code d'affectation",
    ]),
    f('AdDa', 'boolean', 1, [
      'Verbijzonderingstoewijzing aanmaken',
      'Create allocation assignment',
      "Créer l'affectation",
    ]),
  ],
};
