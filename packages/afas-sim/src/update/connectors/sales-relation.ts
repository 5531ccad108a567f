import type { Row } from '../../db.js';
import { CURRENCIES, INVOICE_CHANNELS } from '../codes.js';
import { actionOf, type Connector, uniform } from '../connector.js';
import { children, has, labelOf, requireMandatory, str, toRow } from '../element.js';
import { duplicateKey, mandatory, recordMissing } from '../messages.js';
import { f } from '../spec.js';
import { applyOrganisation, ORGANISATION_OBJECT } from './organisation.js';

const DB_ID = f('DbId', 'string', 16, ['Nummer debiteur', 'Debtor number', 'Numéro de débiteur'], {
  primaryKey: true,
});
const ORGANISATION_LABEL = { nl: 'Organisatie', en: 'Organisation', fr: 'Organisation' };
const COLUMNS = { CuId: 'CurrencyId', InPv: 'InvoiceChannel' };

/** KnSalesRelationOrg: a debtor (`@DbId`) on a nested KnOrganisation (reference §3.4). */
export const KN_SALES_RELATION_ORG: Connector = {
  spec: {
    id: 'KnSalesRelationOrg',
    name: 'KnSalesRelationOrg',
    description: {
      nl: 'Verkooprelatie organisatie',
      en: 'Sales relation organisation',
      fr: 'Relation de vente organisation',
    },
    objects: [{ ...ORGANISATION_OBJECT, single: true }],
    fields: [
      DB_ID,
      f('CuId', 'string', 3, ['Valuta', 'Currency', 'Devise'], { mandatory: true, values: CURRENCIES }),
      f('InPv', 'string', 1, ['Verzendwijze', 'Invoice channel', "Mode d'envoi"], {
        values: INVOICE_CHANNELS,
      }),
      f('IsDb', 'boolean', 1, ['Debiteur', 'Debtor', 'Débiteur']),
      f('PaCd', 'string', 5, ['Betalingsvoorwaarde', 'Payment condition', 'Condition de paiement']),
      f('EmId', 'string', 15, ['Vertegenwoordiger', 'Sales representative', 'Représentant']),
      f('PfId', 'int', 10, ['Profiel', 'Profile', 'Profil']),
      f('CtI1', 'int', 10, ['Categorie 1', 'Category 1', 'Catégorie 1']),
      f('ColA', 'string', 16, ['Verzamelrekening', 'Collective account', 'Compte collectif']),
      f('ClPc', 'decimal', 26, ['Kredietlimiet', 'Credit limit', 'Limite de crédit'], { decimals: 2 }),
    ],
  },
  apply(ctx, element, mode) {
    const action = actionOf(element, mode.root);
    const dbId = str(element, 'DbId');
    const mine = (row: Row) => row.DebtorId === dbId;
    const [organisation] = children(element, 'KnOrganisation');
    if (action === 'delete') {
      this.remove(ctx, { keys: { DbId: dbId ?? '' } });
      return undefined;
    }
    if (action === 'update') {
      const [debtor] = dbId === undefined ? [] : ctx.find('debtors', mine);
      if (!debtor) throw recordMissing(DB_ID.label, dbId ?? '');
      if (organisation && !organisation.values.has('BcCo') && !organisation.values.has('MatchOga')) {
        organisation.values.set('BcCo', debtor.BcCo ?? null);
      }
      const org = organisation
        ? applyOrganisation(ctx, organisation, uniform(actionOf(organisation, mode.child('KnOrganisation'))))
        : undefined;
      const [row] = ctx.update('debtors', (candidate) => candidate === debtor, {
        ...toRow(element, COLUMNS),
        ...(org ? { BcCo: org.BcCo ?? null, DebtorName: org.Name ?? null } : {}),
      });
      return { DbId: String(debtor.DebtorId), BcCo: String(row?.BcCo ?? debtor.BcCo) };
    }
    requireMandatory(element);
    if (!organisation) throw mandatory(ORGANISATION_LABEL);
    if (dbId !== undefined && ctx.find('debtors', mine).length > 0)
      throw duplicateKey(labelOf(element.spec, 'DbId'));
    const org = applyOrganisation(ctx, organisation, uniform(actionOf(organisation, 'insert')));
    const id = has(element, 'DbId')
      ? (dbId as string)
      : String(ctx.nextNumber('DbId', 10_000, [['debtors', 'DebtorId']]));
    ctx.insert('debtors', {
      ...toRow(element, COLUMNS),
      DebtorId: id,
      DebtorName: org.Name ?? null,
      BcCo: org.BcCo ?? null,
    });
    return { DbId: id, BcCo: String(org.BcCo) };
  },
  remove(ctx, target) {
    const dbId = target.keys.DbId ?? '';
    if (ctx.remove('debtors', (row) => row.DebtorId === dbId).length === 0)
      throw recordMissing(DB_ID.label, dbId);
  },
};
