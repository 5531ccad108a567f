import type { Row } from '../../db.js';
import type { UpdateContext } from '../context.js';

/** True when a person or organisation already has this BcCo (one number range for both). */
export function relationExists(ctx: UpdateContext, bcCo: string): boolean {
  return (
    ctx.lookup('persons', 'BcCo', bcCo).length > 0 || ctx.lookup('organisations', 'BcCo', bcCo).length > 0
  );
}

/** Deletes a person or organisation with its addresses and contacts. */
export function deleteRelation(ctx: UpdateContext, table: 'persons' | 'organisations', row: Row): void {
  ctx.remove(table, (candidate) => candidate === row);
  ctx.remove('addresses', (address) => address.BcId === row.BcId);
  ctx.remove('contacts', (contact) => contact.OrgBcId === row.BcId || contact.PersonBcId === row.BcId);
}
