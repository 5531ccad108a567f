import { COUNTRIES } from '../codes.js';
import { actionOf, type Mode } from '../connector.js';
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
      f('CoId', 'string', 3, ['Land', 'Country', 'Pays'], { mandatory: true, values: COUNTRIES }),
      f('PbAd', 'boolean', 1, ['Postbusadres', 'PO box address', 'Boîte postale']),
      f('StAd', 'string', 255, ['Adrestoevoeging', 'Address addition', "Complément d'adresse"]),
      f('Ad', 'string', 100, ['Straat', 'Street', 'Rue']),
      f('HmNr', 'int', 10, ['Huisnummer', 'House number', 'Numéro']),
      f('HmAd', 'string', 30, ['Toevoeging aan huisnummer', 'House number addition', 'Complément de numéro']),
      f('AdAd', 'string', 100, ['Toevoeging aan adres', 'Addition to address', "Complément d'adresse"]),
      f('ZpCd', 'string', 15, ['Postcode', 'Postal code', 'Code postal']),
      f('Rs', 'string', 50, ['Woonplaats', 'Residence', 'Localité']),
      f('ResZip', 'boolean', 1, [
        'Woonplaats opzoeken via postcode',
        'Look up residence by postal code',
        'Rechercher la localité par code postal',
      ]),
      f('BeginDate', 'date', 10, [
        'Ingangsdatum adreswijziging',
        'Address change effective date',
        "Date d'effet du changement d'adresse",
      ]),
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

/** Applies the KnBasicAddressAdr/Pad sub-objects of an owner (person or organisation with internal number `bcId`). */
export function applyAddresses(ctx: UpdateContext, owner: Element, bcId: number, mode: Mode): void {
  for (const name of ['KnBasicAddressAdr', 'KnBasicAddressPad'] as const) {
    const kind = KINDS[name];
    const mine = (row: Record<string, unknown>) => row.BcId === bcId && row.Kind === kind;
    for (const element of children(owner, name)) {
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
      const addressId = ctx.nextNumber('AddressId', 0, [['addresses', 'AddressId']]);
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
