import { COUNTRIES } from '../codes.js';
import { actionOf, type Owner } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { bool, children, type Element, has, requireMandatory, toRow } from '../element.js';
import { incompleteAddress, poBoxAddition } from '../messages.js';
import { f, type ObjectSpec } from '../spec.js';

/** The basic address objects of persons, organisations and contacts: visit (ADR) and postal (PAD) address. */
export function addressSpec(name: 'KnBasicAddressAdr' | 'KnBasicAddressPad'): ObjectSpec {
  return {
    name,
    single: true,
    objects: [],
    fields: [
      f({
        id: 'CoId',
        dataType: 'string',
        length: 3,
        label: ['Land', 'Country', 'Pays'],
        mandatory: true,
        values: COUNTRIES,
      }),
      f({
        id: 'PbAd',
        dataType: 'boolean',
        length: 1,
        label: ['Postbusadres', 'PO box address', 'Boîte postale'],
      }),
      f({
        id: 'StAd',
        dataType: 'string',
        length: 255,
        label: ['Adrestoevoeging', 'Address addition', "Complément d'adresse"],
      }),
      f({ id: 'Ad', dataType: 'string', length: 100, label: ['Straat', 'Street', 'Rue'] }),
      f({ id: 'HmNr', dataType: 'int', length: 10, label: ['Huisnummer', 'House number', 'Numéro'] }),
      f({
        id: 'HmAd',
        dataType: 'string',
        length: 30,
        label: ['Toevoeging aan huisnummer', 'House number addition', 'Complément de numéro'],
      }),
      f({
        id: 'AdAd',
        dataType: 'string',
        length: 100,
        label: ['Toevoeging aan adres', 'Addition to address', "Complément d'adresse"],
      }),
      f({ id: 'ZpCd', dataType: 'string', length: 15, label: ['Postcode', 'Postal code', 'Code postal'] }),
      f({ id: 'Rs', dataType: 'string', length: 50, label: ['Woonplaats', 'Residence', 'Localité'] }),
      f({
        id: 'ResZip',
        dataType: 'boolean',
        length: 1,
        label: [
          'Woonplaats opzoeken via postcode',
          'Look up residence by postal code',
          'Rechercher la localité par code postal',
        ],
      }),
      f({
        id: 'BeginDate',
        dataType: 'date',
        length: 10,
        label: [
          'Ingangsdatum adreswijziging',
          'Address change effective date',
          "Date d'effet du changement d'adresse",
        ],
      }),
    ],
  };
}

const COLUMNS = {
  PbAd: 'PoBox',
  Ad: 'Address',
  HmNr: 'Number',
  HmAd: 'NumberAdd',
  ZpCd: 'ZipCode',
  Rs: 'Recidence',
  CoId: 'Country',
};

const KINDS = { KnBasicAddressAdr: 'ADR', KnBasicAddressPad: 'PAD' } as const;

function check(element: Element, insert: boolean): void {
  if (insert) requireMandatory(element);
  if (bool(element, 'PbAd') && has(element, 'HmAd')) throw poBoxAddition();
  const residence = has(element, 'Rs') || (bool(element, 'ResZip') && has(element, 'ZpCd'));
  if (insert && (!has(element, 'Ad') || !residence)) throw incompleteAddress();
}

/** Applies the KnBasicAddressAdr/Pad sub-objects of `relation` (a person or organisation, `owner`). */
export function applyAddresses(ctx: UpdateContext, relation: Element, owner: Owner): void {
  const { bcId, mode } = owner;
  for (const name of ['KnBasicAddressAdr', 'KnBasicAddressPad'] as const) {
    const kind = KINDS[name];
    const mine = (row: Record<string, unknown>) => row.BcId === bcId && row.Kind === kind;
    for (const element of children(relation, name)) {
      const action = actionOf(element, mode.child(name));
      const existing = ctx.lookup('addresses', 'BcId', bcId).filter(mine);
      if (action === 'delete') {
        ctx.removeRows('addresses', existing);
        continue;
      }
      if (action === 'update' && existing.length > 0) {
        check(element, false);
        ctx.updateRows('addresses', existing, toRow(element, COLUMNS));
        continue;
      }
      check(element, true);
      const addressId = ctx.nextNumber('AddressId', { start: 0, sources: [['addresses', 'AddressId']] });
      const row = { AddressId: addressId, BcId: bcId, Kind: kind, ...toRow(element, COLUMNS) };
      const [replaced, ...others] = existing;
      if (!replaced) {
        ctx.insert('addresses', row);
        continue;
      }
      // A new address replaces the stored one: same row, every column rewritten (no table-wide delete).
      ctx.removeRows('addresses', others);
      const cleared = Object.fromEntries(Object.values(COLUMNS).map((column) => [column, null]));
      ctx.updateRows('addresses', [replaced], { ...cleared, PoBox: false, ...row });
    }
  }
}
