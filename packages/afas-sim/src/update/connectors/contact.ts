import { CONTACT_KINDS } from '../codes.js';
import { actionOf, type Owner, uniform } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { children, type Element, labelOf, requireMandatory, str, toRow } from '../element.js';
import { recordMissing } from '../messages.js';
import { f, type ObjectSpec } from '../spec.js';
import { applyPerson, PERSON_OBJECT } from './person.js';
import { WORK_EMAIL, WORK_MOBILE, WORK_PHONE } from './relation.js';

/** KnContact under an organisation; a person contact nests a KnPerson (reference §3.4). */
export const CONTACT_OBJECT: ObjectSpec = {
  name: 'KnContact',
  objects: [{ ...PERSON_OBJECT, single: true }],
  fields: [
    f({
      id: 'CdId',
      dataType: 'int',
      length: 10,
      label: ['Nummer contact', 'Contact number', 'Numéro de contact'],
      primaryKey: true,
    }),
    f({
      id: 'ViKc',
      dataType: 'string',
      length: 3,
      label: ['Soort contact', 'Contact kind', 'Type de contact'],
      mandatory: true,
      values: CONTACT_KINDS,
    }),
    f({
      id: 'FuDs',
      dataType: 'string',
      length: 255,
      label: ['Functie op visitekaartje', 'Job title on business card', 'Fonction sur la carte de visite'],
    }),
    WORK_EMAIL,
    WORK_PHONE,
    WORK_MOBILE,
  ],
};

/** Applies the KnContact sub-objects of `organisation` (`owner`: its internal number and the request's modes). */
export function applyContacts(ctx: UpdateContext, organisation: Element, owner: Owner): void {
  const { bcId: orgBcId, mode } = owner;
  for (const element of children(organisation, 'KnContact')) {
    const action = actionOf(element, mode.child('KnContact'));
    const cdId = element.values.get('CdId');
    const mine = (row: Record<string, unknown>) => row.ContactId === cdId && row.OrgBcId === orgBcId;
    if (action === 'delete' || (action === 'update' && cdId != null)) {
      if (ctx.find('contacts', mine).length === 0) {
        throw recordMissing(labelOf(element.spec, 'CdId'), str(element, 'CdId') ?? '');
      }
      if (action === 'delete') {
        ctx.remove('contacts', mine);
        continue;
      }
      const [person] = children(element, 'KnPerson');
      const personRow = person ? applyPerson(ctx, person, uniform('update')) : undefined;
      ctx.update('contacts', mine, {
        ...toRow(element, { ViKc: 'Kind' }),
        ...(personRow ? { PersonBcId: personRow.BcId ?? null } : {}),
      });
      continue;
    }
    requireMandatory(element);
    const [person] = children(element, 'KnPerson');
    const personRow = person ? applyPerson(ctx, person, uniform('insert')) : undefined;
    const contactId = ctx.nextNumber('ContactId', { start: 0, sources: [['contacts', 'ContactId']] });
    ctx.insert('contacts', {
      ContactId: contactId,
      OrgBcId: orgBcId,
      PersonBcId: personRow?.BcId ?? null,
      Kind: str(element, 'ViKc') ?? null,
    });
  }
}
