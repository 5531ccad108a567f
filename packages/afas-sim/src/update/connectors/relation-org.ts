import { CURRENCIES, INVOICE_CHANNELS } from '../codes.js';
import { actionOf, type Connector, uniform } from '../connector.js';
import { children, has, labelOf, requireMandatory, str, toRow } from '../element.js';
import { duplicateKey, mandatory, recordMissing } from '../messages.js';
import { type ConnectorSpec, type FieldSpec, f } from '../spec.js';
import { applyOrganisation, ORGANISATION_OBJECT } from './organisation.js';

const ORGANISATION_LABEL = { nl: 'Organisatie', en: 'Organisation', fr: 'Organisation' };

interface RelationConfig {
  spec: Omit<ConnectorSpec, 'objects'>;
  /** The `@` key field (DbId / CrId). */
  key: FieldSpec;
  table: 'debtors' | 'creditors';
  idColumn: 'DebtorId' | 'CreditorId';
  nameColumn: 'DebtorName' | 'CreditorName';
  /** Field id -> column of the table. */
  columns: Record<string, string>;
  /** Start of generated keys. */
  start: number;
}

/** A sales or purchase relation on a nested KnOrganisation: one debtor/creditor row per relation. */
function relationOrg(config: RelationConfig): Connector {
  const { key, table, idColumn, nameColumn, columns } = config;
  const connector: Connector = {
    spec: { ...config.spec, objects: [{ ...ORGANISATION_OBJECT, single: true }] },
    apply(ctx, element, mode) {
      const action = actionOf(element, mode.root);
      const id = str(element, key.id);
      const [organisation] = children(element, 'KnOrganisation');
      if (action === 'delete') {
        connector.remove(ctx, { keys: { [key.id]: id ?? '' } });
        return undefined;
      }
      if (action === 'update') {
        const [relation] = id === undefined ? [] : ctx.lookup(table, idColumn, id);
        if (!relation) throw recordMissing(key.label, id ?? '');
        if (organisation && !organisation.values.has('BcCo') && !organisation.values.has('MatchOga')) {
          organisation.values.set('BcCo', relation.BcCo ?? null);
        }
        const orgMode = uniform(actionOf(organisation ?? element, mode.child('KnOrganisation')));
        const org = organisation ? applyOrganisation(ctx, organisation, orgMode) : undefined;
        const [row] = ctx.updateRows(table, [relation], {
          ...toRow(element, columns),
          ...(org ? { BcCo: org.BcCo ?? null, [nameColumn]: org.Name ?? null } : {}),
        });
        return { [key.id]: String(relation[idColumn]), BcCo: String(row?.BcCo ?? relation.BcCo) };
      }
      requireMandatory(element);
      if (!organisation) throw mandatory(ORGANISATION_LABEL);
      if (id !== undefined && ctx.lookup(table, idColumn, id).length > 0)
        throw duplicateKey(labelOf(element.spec, key.id));
      const org = applyOrganisation(ctx, organisation, uniform(actionOf(organisation, 'insert')));
      const newId = has(element, key.id)
        ? (id as string)
        : String(ctx.nextNumber(key.id, { start: config.start, sources: [[table, idColumn]] }));
      ctx.insert(table, {
        ...toRow(element, columns),
        [idColumn]: newId,
        [nameColumn]: org.Name ?? null,
        BcCo: org.BcCo ?? null,
      });
      return { [key.id]: newId, BcCo: String(org.BcCo) };
    },
    remove(ctx, target) {
      const id = target.keys[key.id] ?? '';
      if (ctx.remove(table, (row) => row[idColumn] === id).length === 0) throw recordMissing(key.label, id);
    },
  };
  return connector;
}

const common = [
  f({
    id: 'CuId',
    dataType: 'string',
    length: 3,
    label: ['Valuta', 'Currency', 'Devise'],
    mandatory: true,
    values: CURRENCIES,
  }),
  f({
    id: 'PaCd',
    dataType: 'string',
    length: 5,
    label: ['Betalingsvoorwaarde', 'Payment condition', 'Condition de paiement'],
  }),
  f({
    id: 'ColA',
    dataType: 'string',
    length: 16,
    label: ['Verzamelrekening', 'Collective account', 'Compte collectif'],
  }),
];

const DB_ID = f({
  id: 'DbId',
  dataType: 'string',
  length: 16,
  label: ['Nummer debiteur', 'Debtor number', 'Numéro de débiteur'],
  primaryKey: true,
});
const CR_ID = f({
  id: 'CrId',
  dataType: 'string',
  length: 16,
  label: ['Nummer crediteur', 'Creditor number', 'Numéro de créancier'],
  primaryKey: true,
});

/** KnSalesRelationOrg: a debtor (`@DbId`) on a nested KnOrganisation (reference §3.4). */
export const KN_SALES_RELATION_ORG = relationOrg({
  spec: {
    id: 'KnSalesRelationOrg',
    name: 'KnSalesRelationOrg',
    description: {
      nl: 'Verkooprelatie organisatie',
      en: 'Sales relation organisation',
      fr: 'Relation de vente organisation',
    },
    fields: [
      DB_ID,
      ...common,
      f({
        id: 'InPv',
        dataType: 'string',
        length: 1,
        label: ['Verzendwijze', 'Invoice channel', "Mode d'envoi"],
        values: INVOICE_CHANNELS,
      }),
      f({ id: 'IsDb', dataType: 'boolean', length: 1, label: ['Debiteur', 'Debtor', 'Débiteur'] }),
      f({
        id: 'EmId',
        dataType: 'string',
        length: 15,
        label: ['Vertegenwoordiger', 'Sales representative', 'Représentant'],
      }),
      f({ id: 'PfId', dataType: 'int', length: 10, label: ['Profiel', 'Profile', 'Profil'] }),
      f({ id: 'CtI1', dataType: 'int', length: 10, label: ['Categorie 1', 'Category 1', 'Catégorie 1'] }),
      f({
        id: 'ClPc',
        dataType: 'decimal',
        length: 26,
        label: ['Kredietlimiet', 'Credit limit', 'Limite de crédit'],
        decimals: 2,
      }),
    ],
  },
  key: DB_ID,
  table: 'debtors',
  idColumn: 'DebtorId',
  nameColumn: 'DebtorName',
  columns: { CuId: 'CurrencyId', InPv: 'InvoiceChannel' },
  start: 10_000,
});

/** KnPurchaseRelationOrg: a creditor (`@CrId`) on a nested KnOrganisation. */
export const KN_PURCHASE_RELATION_ORG = relationOrg({
  spec: {
    id: 'KnPurchaseRelationOrg',
    name: 'KnPurchaseRelationOrg',
    description: {
      nl: 'Inkooprelatie organisatie',
      en: 'Purchase relation organisation',
      fr: "Relation d'achat organisation",
    },
    fields: [
      CR_ID,
      ...common,
      f({ id: 'IsCr', dataType: 'boolean', length: 1, label: ['Crediteur', 'Creditor', 'Créancier'] }),
      f({
        id: 'BlPa',
        dataType: 'boolean',
        length: 1,
        label: ['Blokkeren voor betaling', 'Block for payment', 'Bloquer pour paiement'],
      }),
    ],
  },
  key: CR_ID,
  table: 'creditors',
  idColumn: 'CreditorId',
  nameColumn: 'CreditorName',
  columns: {},
  start: 20_000,
});
