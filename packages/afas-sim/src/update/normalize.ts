import type { Texts } from '../language.js';
import { badAction, badShape, wrongRoot } from './messages.js';

export type Action = 'insert' | 'update' | 'delete';

/** One Element of a body in one shape, whatever form it was sent in (reference §3.2). */
export interface RawElement {
  /** Where it sits, e.g. `KnPerson.Element[0].Objects.KnBasicAddressAdr.Element[0]`. */
  path: string;
  /** `@Key` attributes without the `@` (the action excluded). */
  attributes: Record<string, unknown>;
  fields: Record<string, unknown>;
  /** `@Action`/`@action` (any case) from Fields or else the Element. */
  action?: Action;
  /** Sub-objects by name, in body order; a name sent twice (array form) appends. */
  objects: Map<string, RawElement[]>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const shape = (nl: string, en: string): never => {
  throw badShape({ nl, en } satisfies Texts);
};

function parseAction(value: unknown): Action {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (text === 'insert' || text === 'update' || text === 'delete') return text;
  throw badAction(typeof value === 'string' ? value : JSON.stringify(value));
}

const isAction = (key: string): boolean => key.toLowerCase() === '@action';

/** Turns `{Root: {Element: …}}` into elements; `root` is the metainfo `name`. */
export function normalizeBody(body: unknown, root: string): RawElement[] {
  if (!isRecord(body)) return shape('de body moet een JSON-object zijn.', 'the body must be a JSON object.');
  const keys = Object.keys(body);
  if (keys.length === 0) return shape(`het object '${root}' ontbreekt.`, `the object '${root}' is missing.`);
  if (keys.length > 1) {
    return shape(
      `verwacht 1 object '${root}', ontvangen: ${keys.join(', ')}.`,
      `expected 1 object '${root}', got: ${keys.join(', ')}.`,
    );
  }
  const [key] = keys as [string];
  if (key !== root) throw wrongRoot(root, key);
  return elementsOf(body[key], root);
}

function elementsOf(container: unknown, path: string): RawElement[] {
  if (!isRecord(container) || !('Element' in container)) {
    return shape(`het object '${path}' bevat geen 'Element'.`, `the object '${path}' has no 'Element'.`);
  }
  const extra = Object.keys(container).filter((key) => key !== 'Element');
  if (extra.length > 0) {
    return shape(
      `onbekende eigenschap '${extra[0]}' in '${path}'.`,
      `unknown property '${extra[0]}' in '${path}'.`,
    );
  }
  const element = container.Element;
  const list = Array.isArray(element) ? element : [element];
  return list.map((item, index) => elementOf(item, `${path}.Element[${index}]`));
}

function elementOf(value: unknown, path: string): RawElement {
  if (!isRecord(value)) {
    return shape(`'${path}' moet een object zijn.`, `'${path}' must be an object.`);
  }
  const result: RawElement = { path, attributes: {}, fields: {}, objects: new Map() };
  let elementAction: Action | undefined;
  for (const [key, item] of Object.entries(value)) {
    if (isAction(key)) elementAction = parseAction(item);
    else if (key.startsWith('@')) result.attributes[key.slice(1)] = item;
    else if (key === 'Fields') readFields(item, path, result);
    else if (key === 'Objects') readObjects(item, path, result);
    else shape(`onbekende eigenschap '${key}' in '${path}'.`, `unknown property '${key}' in '${path}'.`);
  }
  result.action ??= elementAction;
  return result;
}

function readFields(value: unknown, path: string, into: RawElement): void {
  if (value === null || value === undefined) return;
  if (!isRecord(value))
    shape(`'${path}.Fields' moet een object zijn.`, `'${path}.Fields' must be an object.`);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (isAction(key)) into.action = parseAction(item);
    else if (key.startsWith('@')) into.attributes[key.slice(1)] = item;
    else into.fields[key] = item;
  }
}

function readObjects(value: unknown, path: string, into: RawElement): void {
  if (value === null || value === undefined) return;
  const maps = Array.isArray(value) ? value : [value];
  for (const [index, map] of maps.entries()) {
    const where = Array.isArray(value) ? `${path}.Objects[${index}]` : `${path}.Objects`;
    if (!isRecord(map)) shape(`'${where}' moet een object zijn.`, `'${where}' must be an object.`);
    for (const [name, container] of Object.entries(map as Record<string, unknown>)) {
      const list = into.objects.get(name) ?? [];
      list.push(...elementsOf(container, `${path}.Objects.${name}`));
      into.objects.set(name, list);
    }
  }
}
