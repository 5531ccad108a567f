import type { DeleteTarget } from './connector.js';
import { badDeletePath, wrongRoot } from './messages.js';
import type { ConnectorSpec } from './spec.js';

function keysOf(names: string, values: string): Record<string, string> {
  const keys = names.split(',').map((name) => name.trim().replace(/^@/, ''));
  const parts = values.split(',');
  if (keys.length !== parts.length || keys.some((key) => key === '')) {
    throw badDeletePath({
      nl: `${keys.length} sleutel(s) '${names}' maar ${parts.length} waarde(n) '${values}'.`,
      en: `${keys.length} key(s) '${names}' but ${parts.length} value(s) '${values}'.`,
    });
  }
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
  const target: DeleteTarget = { keys: keysOf(names, values) };
  if (subName !== undefined) {
    if (!spec.objects.some((object) => object.name === subName))
      throw wrongRoot(spec.objects[0]?.name ?? spec.name, subName);
    target.sub = { name: subName, keys: keysOf(subNames, subValues) };
  }
  return target;
}
