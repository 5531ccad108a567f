import type { Row, Value } from '../../db.js';
import { actionOf, type Connector, type DeleteTarget, type Mode, uniform } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { children, type Element, labelOf, requireMandatory } from '../element.js';
import { duplicateKey, recordMissing } from '../messages.js';
import type { Action } from '../normalize.js';
import type { ConnectorSpec, FieldSpec, ObjectSpec } from '../spec.js';

/**
 * Merges a plug-in's hand-written spec onto the environment's spec of the connector (AFAS's
 * catalogued one, or the metainfo a seed recorded): the field set, types, lengths, labels, code
 * lists and required flags are the base's; the plug-in adds only what the base does not give
 * (primary keys, decimals, notzero, controlType and French labels the catalog leaves out,
 * one-line sub-objects) and its business rules on which fields it requires on insert (`enforced`;
 * in objects the plug-in has no spec for, the base's POST flags apply, and so they do for free
 * fields). Hand fields the base does not know are dropped.
 */
export function withBase(base: ConnectorSpec, hand: ConnectorSpec): ConnectorSpec {
  const merged = mergeObject(base, hand);
  // The catalog gives only the Dutch summary; the plug-in's other languages fill the rest.
  const description = { ...hand.description, ...base.description };
  return { ...base, ...merged, single: false, description };
}

function mergeField(field: FieldSpec, own: FieldSpec | undefined): FieldSpec {
  // A field the plug-in does not handle in an object it does: validated, never required by it
  // (unless it is one of the environment's free fields, which no plug-in knows).
  if (!own) return field.mandatory && !field.free ? { ...field, enforced: false } : field;
  return {
    ...field,
    // AFAS publishes nl and en only; a French label of the plug-in is kept where the base has none.
    ...(own.label.fr && !field.label.fr ? { label: { ...field.label, fr: own.label.fr } } : {}),
    ...(own.primaryKey && field.primaryKey === undefined ? { primaryKey: true } : {}),
    ...(own.decimals !== undefined && field.decimals === undefined ? { decimals: own.decimals } : {}),
    ...(own.notzero && field.notzero === undefined ? { notzero: true } : {}),
    ...(own.controlType !== undefined && field.controlType === undefined
      ? { controlType: own.controlType }
      : {}),
    enforced: own.mandatory ?? false,
  };
}

function mergeObject(catalogued: ObjectSpec, own: ObjectSpec | undefined): ObjectSpec {
  if (!own) return catalogued;
  return {
    name: catalogued.name,
    fields: catalogued.fields.map((field) =>
      mergeField(
        field,
        own.fields.find((candidate) => candidate.id === field.id),
      ),
    ),
    objects: catalogued.objects.map((object) =>
      mergeObject(
        object,
        own.objects.find((candidate) => candidate.name === object.name),
      ),
    ),
    ...((own.single ?? catalogued.single) ? { single: true } : {}),
  };
}

const tableOf = (id: string): string => `catalog:${id}`;
const OBJECTS = '@objects';

/** The root's primary-key values an element sends, or undefined when it sends not all of them. */
function keysOf(spec: ObjectSpec, element: Element): Record<string, Value> | undefined {
  const keys = spec.fields.filter((field) => field.primaryKey);
  if (keys.length === 0) return undefined;
  const values: Record<string, Value> = {};
  for (const key of keys) {
    const value = element.values.get(key.id);
    if (value === undefined || value === null) return undefined;
    values[key.id] = value;
  }
  return values;
}

const sameKeys =
  (keys: Record<string, Value>) =>
  (row: Row): boolean =>
    Object.entries(keys).every(([id, value]) => String(row[id]) === String(value));

/** Debtors: AFAS's "Minimaal" POST of KnSalesRelationOrg (SPEC-OrgPers) sends no CdDa. */
const DEBTORS = new Set(['KnSalesRelationOrg', 'KnSalesRelationPer']);

/**
 * Fields AFAS flags mandatory on POST that Profit fills itself on insert (Koppel's validator
 * follows the same rule): a relation's internal BcId, its BcCo when AutoNum is true, and a
 * debtor's preferred delivery address CdDa, which AFAS's own minimal debtor insert leaves out.
 */
function filledOnInsert(element: Element): string[] {
  const ids = ['BcId'];
  if (element.values.get('AutoNum') === true) ids.push('BcCo');
  if (DEBTORS.has(element.spec.name)) ids.push('CdDa');
  return ids;
}

/** Checks required fields down the tree: AFAS's POST flags for inserted elements, PUT flags for updates. */
function checkTree(element: Element, action: Action, mode: Mode): void {
  if (action === 'delete') return;
  requireMandatory(element, action === 'insert' ? filledOnInsert(element) : [], action);
  for (const [name, list] of element.objects) {
    for (const child of list) {
      const own = actionOf(child, action === 'insert' ? 'insert' : mode.child(name));
      checkTree(child, own, uniform(own));
    }
  }
}

/** Stored form of the sub-objects: their values as JSON (the simulator keeps, not interprets, them). */
function objectsOf(element: Element): string | null {
  if (element.objects.size === 0) return null;
  const plain = (node: Element): unknown => ({
    ...Object.fromEntries(node.values),
    ...Object.fromEntries([...node.objects].map(([name, list]) => [name, list.map(plain)])),
  });
  return JSON.stringify(
    Object.fromEntries([...element.objects].map(([name]) => [name, children(element, name).map(plain)])),
  );
}

/**
 * Any UpdateConnector without a plug-in: validated against its spec (AFAS's facts or the
 * environment's recorded metainfo: fields, types, lengths, codes, required per method, nested
 * objects; sub-record URLs and DELETE key paths where AFAS documents them) and stored as-is in
 * `catalog:{Id}`, keyed by its primary-key fields. POST answers 201 with the key values sent; PUT
 * updates the stored record with those keys.
 */
export function cataloguedConnector(spec: ConnectorSpec): Connector {
  const table = tableOf(spec.id);
  const missing = (keys: Record<string, Value>): never => {
    const [first] = Object.keys(keys);
    throw recordMissing(labelOf(spec, first ?? ''), Object.values(keys).map(String).join(','));
  };
  return {
    spec,
    apply(ctx: UpdateContext, element: Element, mode: Mode) {
      const action = actionOf(element, mode.root);
      const keys = keysOf(spec, element);
      const where = keys ? sameKeys(keys) : undefined;
      const candidates = (): Row[] => {
        if (!keys) return [];
        const [first] = Object.entries(keys);
        return first ? ctx.lookupLoose(table, first[0], first[1]).filter(sameKeys(keys)) : [];
      };
      if (action === 'delete') {
        if (!keys || !where) return missing({});
        if (ctx.removeLoose(table, where).length === 0) missing(keys);
        return undefined;
      }
      checkTree(element, action, mode);
      const row: Row = { ...Object.fromEntries(element.values), [OBJECTS]: objectsOf(element) };
      if (action === 'update') {
        if (keys && where) {
          if (candidates().length === 0) missing(keys);
          const { [OBJECTS]: objects, ...changes } = row;
          ctx.updateLoose(table, where, objects === null ? changes : row);
        }
        return undefined;
      }
      if (keys && candidates().length > 0) {
        throw duplicateKey(labelOf(spec, Object.keys(keys)[0] ?? ''));
      }
      ctx.insertLoose(table, row);
      return Object.fromEntries(Object.entries(keys ?? {}).map(([key, value]) => [key, String(value)]));
    },
    remove(ctx: UpdateContext, target: DeleteTarget) {
      const keys: Record<string, Value> = { ...target.keys };
      if (ctx.removeLoose(table, sameKeys(keys)).length === 0) missing(keys);
    },
  };
}
