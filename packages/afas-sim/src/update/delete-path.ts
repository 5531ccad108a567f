import type { DeleteTarget } from './connector.js';
import { badDeletePath, unknownField, unknownObject, wrongRoot } from './messages.js';
import type { ConnectorSpec, ObjectSpec } from './spec.js';

function keysOf(names: string, values: string, object: ObjectSpec): Record<string, string> {
  const keys = names.split(',').map((name) => name.trim().replace(/^@/, ''));
  const parts = values.split(',');
  if (keys.length !== parts.length || keys.some((key) => key === '')) {
    throw badDeletePath({
      nl: `${keys.length} sleutel(s) '${names}' maar ${parts.length} waarde(n) '${values}'.`,
      en: `${keys.length} key(s) '${names}' but ${parts.length} value(s) '${values}'.`,
    });
  }
  const unknown = keys.find((key) => !object.fields.some((field) => field.id === key));
  if (unknown !== undefined) throw unknownField(unknown, object.name);
  return Object.fromEntries(keys.map((key, index) => [key, parts[index] ?? '']));
}

/**
 * Parses the DELETE segments after the connector id (reference §3.1):
 * `[Root, '@K1,@K2', 'v1,v2']` or with a nested `[…, SubObject, '@K', 'v']`; keys with or without `@`.
 */
export function parseDeletePath(rest: readonly string[], spec: ConnectorSpec): DeleteTarget {
  if (rest.length !== 3 && rest.length !== 6) {
    throw badDeletePath({
      nl: `verwacht /${spec.name}/{sleutels}/{waarden}[/{subobject}/{sleutel}/{waarde}], ontvangen /${rest.join('/')}.`,
      en: `expected /${spec.name}/{keys}/{values}[/{subobject}/{key}/{value}], got /${rest.join('/')}.`,
    });
  }
  const [element = '', names = '', values = '', subName, subNames = '', subValues = ''] = rest;
  if (element !== spec.name) throw wrongRoot(spec.name, element);
  const target: DeleteTarget = { keys: keysOf(names, values, spec) };
  if (subName !== undefined) {
    const sub = spec.objects.find((object) => object.name === subName);
    if (!sub) throw unknownObject(subName, spec.name);
    target.sub = { name: subName, keys: keysOf(subNames, subValues, sub) };
  }
  return target;
}
