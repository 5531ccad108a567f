import type { Row } from '../../db.js';
import { MATCH_OGA } from '../codes.js';
import type { Connector } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { children, type Element, has, str } from '../element.js';
import { recordMissing } from '../messages.js';
import { type ConnectorSpec, f, type ObjectSpec } from '../spec.js';
import { addressSpec, applyAddresses } from './address.js';
import { BANK_ACCOUNT, checkBankAccounts } from './bank-account.js';
import { applyContacts, CONTACT_OBJECT } from './contact.js';
import {
  deleteBcCo,
  RELATION_NUMBERING,
  relationResults,
  relationTable,
  WORK_EMAIL,
  WORK_PHONE,
} from './relation.js';

export const ORGANISATION_OBJECT: ObjectSpec = {
  name: 'KnOrganisation',
  objects: [addressSpec('KnBasicAddressAdr'), addressSpec('KnBasicAddressPad'), CONTACT_OBJECT, BANK_ACCOUNT],
  fields: [
    f({
      id: 'MatchOga',
      dataType: 'string',
      length: 1,
      label: ['Organisatie vergelijken op', 'Match organisation on', "Comparer l'organisation sur"],
      values: MATCH_OGA,
    }),
    ...RELATION_NUMBERING,
    f({ id: 'Nm', dataType: 'string', length: 255, label: ['Naam', 'Name', 'Nom'], mandatory: true }),
    f({
      id: 'CcNr',
      dataType: 'string',
      length: 30,
      label: ['Nummer KvK', 'Chamber of Commerce number', 'Numéro de la Chambre de commerce'],
    }),
    f({
      id: 'FiNr',
      dataType: 'string',
      length: 30,
      label: ['Fiscaal nummer', 'Fiscal number', 'Numéro fiscal'],
    }),
    WORK_EMAIL,
    WORK_PHONE,
    f({ id: 'HoPa', dataType: 'string', length: 255, label: ['Homepage', 'Homepage', "Page d'accueil"] }),
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

/** An address sub-object and the Kind its rows carry. */
interface AddressKind {
  object: string;
  kind: string;
}

function byAddress(ctx: UpdateContext, element: Element, { object, kind }: AddressKind): Row[] {
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
  if (code === '4') return byAddress(ctx, element, { object: 'KnBasicAddressAdr', kind: 'ADR' });
  if (code === '5') return byAddress(ctx, element, { object: 'KnBasicAddressPad', kind: 'PAD' });
  const id = SINGLE_KEYS[code];
  const value = id ? str(element, id) : undefined;
  if (!id || value === undefined) return [];
  if (id === 'BcCo') return ctx.lookup('organisations', 'BcCo', value);
  return ctx.find('organisations', (row) => row[COLUMNS[id]] === value);
}

const ORGANISATIONS = relationTable({
  table: 'organisations',
  columns: COLUMNS,
  matchField: 'MatchOga',
  alwaysNew: '6',
  kind: { nl: 'organisatie', en: 'organisation' },
  matches,
  applyChildren(ctx, element, owner) {
    applyAddresses(ctx, element, owner);
    applyContacts(ctx, element, owner);
    checkBankAccounts(element, owner.mode);
  },
});

/** Inserts, updates or deletes an organisation element (root or nested); returns its row. */
export const applyOrganisation = ORGANISATIONS.apply;

export const KN_ORGANISATION: Connector = {
  spec: {
    ...ORGANISATION_OBJECT,
    id: 'KnOrganisation',
    description: { nl: 'Organisatie', en: 'Organisation', fr: 'Organisation' },
  } satisfies ConnectorSpec,
  apply: (ctx, element, mode) => relationResults(applyOrganisation(ctx, element, mode)),
  nestedDelete: ['KnContact'],
  remove(ctx, target) {
    const bcCo = deleteBcCo(target);
    if (!target.sub) {
      ORGANISATIONS.remove(ctx, bcCo);
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
