import type { Row } from '../../db.js';
import { MATCH_OGA } from '../codes.js';
import { actionOf, type Connector, type Mode } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { bool, children, type Element, has, labelOf, requireMandatory, str, toRow } from '../element.js';
import { ambiguousMatch, duplicateKey, mandatory, recordMissing } from '../messages.js';
import { type ConnectorSpec, f, type ObjectSpec } from '../spec.js';
import { addressSpec, applyAddresses } from './address.js';
import { BANK_ACCOUNT, checkBankAccounts } from './bank-account.js';
import { applyContacts, CONTACT_OBJECT } from './contact.js';
import { deleteRelation, relationExists } from './relation.js';

export const ORGANISATION_OBJECT: ObjectSpec = {
  name: 'KnOrganisation',
  objects: [addressSpec('KnBasicAddressAdr'), addressSpec('KnBasicAddressPad'), CONTACT_OBJECT, BANK_ACCOUNT],
  fields: [
    f(
      'MatchOga',
      'string',
      1,
      ['Organisatie vergelijken op', 'Match organisation on', "Comparer l'organisation sur"],
      { values: MATCH_OGA },
    ),
    f('AutoNum', 'boolean', 1, ['Autonummering', 'Auto numbering', 'Numérotation automatique']),
    f('PadAdr', 'boolean', 1, [
      'Postadres is adres',
      'Postal address is address',
      "L'adresse postale est l'adresse",
    ]),
    f('BcCo', 'string', 15, ['Nummer', 'Number', 'Numéro']),
    f('SeNm', 'string', 10, ['Zoeknaam', 'Search name', 'Nom de recherche']),
    f('Nm', 'string', 255, ['Naam', 'Name', 'Nom'], { mandatory: true }),
    f('CcNr', 'string', 30, ['Nummer KvK', 'Chamber of Commerce number', 'Numéro de la Chambre de commerce']),
    f('FiNr', 'string', 30, ['Fiscaal nummer', 'Fiscal number', 'Numéro fiscal']),
    f('EmAd', 'string', 255, ['E-mail werk', 'Work e-mail', 'E-mail professionnel']),
    f('TeNr', 'string', 30, ['Telefoonnr. werk', 'Work phone', 'Téléphone professionnel']),
    f('HoPa', 'string', 255, ['Homepage', 'Homepage', "Page d'accueil"]),
  ],
};

const COLUMNS = {
  BcCo: 'BcCo',
  Nm: 'Name',
  SeNm: 'SearchName',
  CcNr: 'CocNumber',
  FiNr: 'FiscalNumber',
  EmAd: 'Email',
};
const SINGLE_KEYS: Record<string, keyof typeof COLUMNS> = {
  '0': 'BcCo',
  '1': 'CcNr',
  '2': 'FiNr',
  '3': 'Nm',
};
const ORGANISATION_KIND = { nl: 'organisatie', en: 'organisation' };

function byAddress(ctx: UpdateContext, element: Element, object: string, kind: string): Row[] {
  const [address] = children(element, object);
  if (!address || !has(address, 'ZpCd')) return [];
  const owners = ctx
    .find(
      'addresses',
      (row) =>
        row.Kind === kind &&
        row.ZipCode === str(address, 'ZpCd') &&
        (row.Number ?? null) === (address.values.get('HmNr') ?? null) &&
        (row.NumberAdd ?? null) === (address.values.get('HmAd') ?? null),
    )
    .map((row) => row.BcId);
  return ctx.find('organisations', (row) => owners.includes(row.BcId ?? null));
}

function matches(ctx: UpdateContext, element: Element, code: string): Row[] {
  if (code === '4') return byAddress(ctx, element, 'KnBasicAddressAdr', 'ADR');
  if (code === '5') return byAddress(ctx, element, 'KnBasicAddressPad', 'PAD');
  const id = SINGLE_KEYS[code];
  const value = id ? str(element, id) : undefined;
  if (!id || value === undefined) return [];
  if (id === 'BcCo') return ctx.lookup('organisations', 'BcCo', value);
  return ctx.find('organisations', (row) => row[COLUMNS[id]] === value);
}

function locate(ctx: UpdateContext, element: Element, action: 'insert' | 'update'): Row | undefined {
  const code = str(element, 'MatchOga');
  if (code === '6') return undefined;
  if (code === undefined && action === 'insert') return undefined;
  const found = matches(ctx, element, code ?? '0');
  if (found.length > 1) throw ambiguousMatch(ORGANISATION_KIND);
  if (found[0]) return found[0];
  if (action === 'update') throw recordMissing(labelOf(element.spec, 'BcCo'), str(element, 'BcCo') ?? '');
  return undefined;
}

/** Inserts, updates or deletes an organisation element (root or nested); returns its row. */
export function applyOrganisation(ctx: UpdateContext, element: Element, mode: Mode): Row {
  const action = actionOf(element, mode.root);
  if (action === 'delete') {
    const bcCo = str(element, 'BcCo');
    if (!bcCo) throw mandatory(labelOf(element.spec, 'BcCo'));
    return removeOrganisation(ctx, bcCo);
  }
  const existing = locate(ctx, element, action);
  let row: Row;
  if (existing) {
    const { BcCo: _key, ...changes } = toRow(element, COLUMNS);
    row = ctx.update('organisations', (candidate) => candidate === existing, changes)[0] ?? existing;
  } else {
    requireMandatory(element);
    const bcCo = bool(element, 'AutoNum')
      ? String(
          ctx.nextNumber('BcCo', ctx.options.bcCoStart, [
            ['persons', 'BcCo'],
            ['organisations', 'BcCo'],
          ]),
        )
      : str(element, 'BcCo');
    if (!bcCo) throw mandatory(labelOf(element.spec, 'BcCo'));
    if (relationExists(ctx, bcCo)) throw duplicateKey(labelOf(element.spec, 'BcCo'));
    const bcId = ctx.nextNumber('BcId', 0, [
      ['persons', 'BcId'],
      ['organisations', 'BcId'],
    ]);
    row = ctx.insert('organisations', { ...toRow(element, COLUMNS), BcId: bcId, BcCo: bcCo });
  }
  const childMode = existing ? mode : { root: 'insert' as const, child: () => 'insert' as const };
  applyAddresses(ctx, element, Number(row.BcId), childMode);
  applyContacts(ctx, element, Number(row.BcId), childMode);
  checkBankAccounts(element, childMode);
  return row;
}

function removeOrganisation(ctx: UpdateContext, bcCo: string): Row {
  const [row] = ctx.lookup('organisations', 'BcCo', bcCo);
  if (!row) throw recordMissing({ nl: 'Nummer', en: 'Number', fr: 'Numéro' }, bcCo);
  deleteRelation(ctx, 'organisations', row);
  return row;
}

export const KN_ORGANISATION: Connector = {
  spec: {
    ...ORGANISATION_OBJECT,
    id: 'KnOrganisation',
    description: { nl: 'Organisatie', en: 'Organisation', fr: 'Organisation' },
  } satisfies ConnectorSpec,
  apply(ctx, element, mode) {
    const row = applyOrganisation(ctx, element, mode);
    return { BcCo: String(row.BcCo), BcId: String(row.BcId) };
  },
  nestedDelete: ['KnContact'],
  remove(ctx, target) {
    const bcCo = target.keys.BcCo ?? '';
    if (!target.sub) {
      removeOrganisation(ctx, bcCo);
      return;
    }
    const [organisation] = ctx.lookup('organisations', 'BcCo', bcCo);
    if (!organisation) throw recordMissing({ nl: 'Nummer', en: 'Number', fr: 'Numéro' }, bcCo);
    const cdId = target.sub.keys.CdId ?? '';
    const mine = (row: Row) => row.OrgBcId === organisation.BcId && String(row.ContactId) === cdId;
    if (ctx.remove('contacts', mine).length === 0) {
      throw recordMissing({ nl: 'Nummer contact', en: 'Contact number', fr: 'Numéro de contact' }, cdId);
    }
  },
};
