import type { Row } from '../../db.js';
import { actionOf, type DeleteTarget, type Mode, type Owner, uniform } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { bool, type Element, labelOf, requireMandatory, str, toRow } from '../element.js';
import { ambiguousMatch, badDeletePath, duplicateKey, mandatory, recordMissing } from '../messages.js';
import { f } from '../spec.js';

/** The fields after the match profile that persons and organisations share, in metainfo order. */
export const RELATION_NUMBERING = [
  f({
    id: 'AutoNum',
    dataType: 'boolean',
    length: 1,
    label: ['Autonummering', 'Auto numbering', 'Numérotation automatique'],
  }),
  f({
    id: 'PadAdr',
    dataType: 'boolean',
    length: 1,
    label: ['Postadres is adres', 'Postal address is address', "L'adresse postale est l'adresse"],
  }),
  f({ id: 'BcCo', dataType: 'string', length: 15, label: ['Nummer', 'Number', 'Numéro'] }),
  f({ id: 'SeNm', dataType: 'string', length: 10, label: ['Zoeknaam', 'Search name', 'Nom de recherche'] }),
];

/** Work e-mail, phone and mobile as persons, organisations and contacts spell them. */
export const WORK_EMAIL = f({
  id: 'EmAd',
  dataType: 'string',
  length: 255,
  label: ['E-mail werk', 'Work e-mail', 'E-mail professionnel'],
});
export const WORK_PHONE = f({
  id: 'TeNr',
  dataType: 'string',
  length: 30,
  label: ['Telefoonnr. werk', 'Work phone', 'Téléphone professionnel'],
});
export const WORK_MOBILE = f({
  id: 'MbNr',
  dataType: 'string',
  length: 30,
  label: ['Mobiel werk', 'Work mobile', 'Mobile professionnel'],
});

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

/** The BcCo a DELETE URL names; relations are deleted by their number only (`…/@BcCo/{n}`). */
export function deleteBcCo(target: DeleteTarget): string {
  const bcCo = target.keys.BcCo;
  if (bcCo === undefined || Object.keys(target.keys).length !== 1) {
    throw badDeletePath({
      nl: 'verwijder een relatie met @BcCo/{nummer}.',
      en: 'delete a relation by @BcCo/{number}.',
    });
  }
  return bcCo;
}

/** The `results` of a person or organisation: its BcCo and BcId. */
export const relationResults = (row: Row): Record<string, string> => ({
  BcCo: String(row.BcCo),
  BcId: String(row.BcId),
});

/** The BcCo an element sends; Profit's mandatory message for BcCo when it sends none. */
function bcCoOf(element: Element): string {
  const bcCo = str(element, 'BcCo');
  if (!bcCo) throw mandatory(labelOf(element.spec, 'BcCo'));
  return bcCo;
}

/** What tells persons and organisations apart when they are matched and written. */
export interface RelationTableOptions {
  table: 'persons' | 'organisations';
  /** Field id -> column of the table. */
  columns: Record<string, string>;
  /** The match profile field: `MatchPer` or `MatchOga` (reference §3.4). */
  matchField: string;
  /** The match code that always inserts a new relation. */
  alwaysNew: string;
  /** The kind of relation the ambiguous-match message names. */
  kind: { nl: string; en: string };
  /** The rows an element matches under a match code. */
  matches(ctx: UpdateContext, element: Element, code: string): Row[];
  /** Checks every inserted or updated relation must pass before it is matched; default none. */
  check?(element: Element): void;
  /** Checks a new relation must pass beyond its mandatory fields; default none. */
  checkNew?(element: Element): void;
  /** Applies the sub-objects of a saved relation: `owner` holds its BcId and the mode for its children. */
  applyChildren(ctx: UpdateContext, element: Element, owner: Owner): void;
}

/** Matching, writing and deleting of one relation table (persons or organisations). */
export interface RelationTable {
  /**
   * Inserts, updates or deletes a relation element (root or nested) and applies its sub-objects;
   * returns its row. The sub-objects of a new relation are inserted whatever `mode` says.
   */
  apply(ctx: UpdateContext, element: Element, mode: Mode): Row;
  /** Deletes the relation with this BcCo with its addresses and contacts; returns its row. */
  remove(ctx: UpdateContext, bcCo: string): Row;
}

const NUMBER_LABEL = { nl: 'Nummer', en: 'Number', fr: 'Numéro' };

export function relationTable(options: RelationTableOptions): RelationTable {
  const { table, columns } = options;

  /**
   * Finds the relation an element addresses: by its match profile, else by BcCo. Returns the row
   * to update, or undefined to insert; throws for ambiguity and for an update of a missing relation.
   */
  function locate(ctx: UpdateContext, element: Element, action: 'insert' | 'update'): Row | undefined {
    const code = str(element, options.matchField);
    if (code === options.alwaysNew) return undefined;
    if (code === undefined && action === 'insert') return undefined;
    const found = options.matches(ctx, element, code ?? '0');
    if (found.length > 1) throw ambiguousMatch(options.kind);
    if (found[0]) return found[0];
    if (action === 'update') throw recordMissing(labelOf(element.spec, 'BcCo'), str(element, 'BcCo') ?? '');
    return undefined;
  }

  function insert(ctx: UpdateContext, element: Element): Row {
    requireMandatory(element);
    options.checkNew?.(element);
    const bcCo = bool(element, 'AutoNum')
      ? String(
          ctx.nextNumber('BcCo', {
            start: ctx.options.bcCoStart,
            sources: [
              ['persons', 'BcCo'],
              ['organisations', 'BcCo'],
            ],
          }),
        )
      : bcCoOf(element);
    if (relationExists(ctx, bcCo)) throw duplicateKey(labelOf(element.spec, 'BcCo'));
    const bcId = ctx.nextNumber('BcId', {
      start: 0,
      sources: [
        ['persons', 'BcId'],
        ['organisations', 'BcId'],
      ],
    });
    return ctx.insert(table, { ...toRow(element, columns), BcId: bcId, BcCo: bcCo });
  }

  function remove(ctx: UpdateContext, bcCo: string): Row {
    const [row] = ctx.lookup(table, 'BcCo', bcCo);
    if (!row) throw recordMissing(NUMBER_LABEL, bcCo);
    deleteRelation(ctx, table, row);
    return row;
  }

  return {
    apply(ctx, element, mode) {
      const action = actionOf(element, mode.root);
      if (action === 'delete') return remove(ctx, bcCoOf(element));
      options.check?.(element);
      const existing = locate(ctx, element, action);
      let row: Row;
      if (existing) {
        const { BcCo: _key, ...changes } = toRow(element, columns);
        row = ctx.updateRows(table, [existing], changes)[0] ?? existing;
      } else {
        row = insert(ctx, element);
      }
      options.applyChildren(ctx, element, {
        bcId: Number(row.BcId),
        mode: existing ? mode : uniform('insert'),
      });
      return row;
    },
    remove,
  };
}
