import type { CodeValue, ConnectorSpec, FieldSpec, ObjectSpec } from '../update/spec.js';
import {
  type CatalogConnector,
  type CatalogEndpoint,
  type CatalogField,
  type CatalogObject,
  putTreeOf,
} from './build.js';
import { CATALOG } from './catalog.generated.js';

export type { CatalogConnector, CatalogEndpoint, CatalogFile } from './build.js';
export { CATALOG };

/** Metainfo data type and datetime flag of a catalogued OpenAPI type (`type` or `type:format`). */
export function dataTypeOf(type: string): { dataType: FieldSpec['dataType']; datetime?: true } {
  const [base, format] = type.split(':');
  switch (base) {
    case 'integer':
      return { dataType: 'int' };
    case 'number':
      return { dataType: 'decimal' };
    case 'boolean':
      return { dataType: 'boolean' };
    default:
      if (format === 'date') return { dataType: 'date' };
      if (format === 'date-time') return { dataType: 'date', datetime: true };
      if (format === 'byte') return { dataType: 'blob' };
      return { dataType: 'string' };
  }
}

const codeValues = new Map<number, CodeValue[]>();

/** The code list of a field with AFAS's meanings: nl from the Dutch spec, en from the English one. */
export function codeList(index: number): CodeValue[] | undefined {
  if (index < 0) return undefined;
  let values = codeValues.get(index);
  if (!values) {
    values = (CATALOG.codeLists[index] ?? []).map(([id, en, nl]) => ({
      id,
      description: { nl: nl ?? en, en },
    }));
    codeValues.set(index, values);
  }
  return values;
}

function fieldOf(field: CatalogField, put: CatalogField | undefined, method: 'POST' | 'PUT'): FieldSpec {
  const [id, type, maxLength, required, labelEn, labelNl, list] = field;
  const values = codeList(list);
  const { dataType, datetime } = dataTypeOf(type);
  return {
    id,
    dataType,
    label: { nl: labelNl || labelEn, en: labelEn },
    length: maxLength,
    ...(required ? { mandatory: true } : {}),
    ...(put?.[3] || (method === 'PUT' && required) ? { mandatoryPut: true } : {}),
    ...(values ? { values } : {}),
    ...(datetime ? { datetime } : {}),
  };
}

/** An object of the catalogued body and the same object in the PUT body, when AFAS documents one. */
interface ObjectTrees {
  object: CatalogObject;
  put: CatalogObject | undefined;
}

function objectOf(name: string, { object, put }: ObjectTrees, method: 'POST' | 'PUT'): ObjectSpec {
  const putFields = new Map((put?.fields ?? []).map((field) => [field[0], field]));
  return {
    name,
    fields: object.fields.map((field) => {
      const spec = fieldOf(field, putFields.get(field[0]), method);
      // The PUT body requires only the key fields (reference §2.3): those are the primary keys.
      return spec.mandatoryPut && method === 'POST' ? { ...spec, primaryKey: true } : spec;
    }),
    objects: Object.entries(object.objects ?? {}).map(([child, sub]) =>
      objectOf(child, { object: sub, put: put?.objects?.[child] }, method),
    ),
    ...(object.many ? {} : { single: true }),
  };
}

/** The DELETE endpoints' @key lists of the root element (`/connectors/{Id}/{Root}/@K1,@K2/…`). */
export function deleteKeys(entry: CatalogConnector): string[][] {
  return entry.endpoints
    .filter(([method]) => method === 'DELETE')
    .map(
      ([, path, keys]: CatalogEndpoint) =>
        keys ??
        (path.split('/')[4] ?? '')
          .split(',')
          .map((key) => key.replace(/^@/, ''))
          .filter((key) => key !== ''),
    )
    .filter((keys) => keys.length > 0);
}

/** Sub-objects AFAS documents a `POST /connectors/{Id}/{Sub}` endpoint for. */
export function subRecordEndpoints(entry: CatalogConnector, id: string): string[] {
  const prefix = `/connectors/${id}/`;
  return entry.endpoints
    .filter(([method, path]) => method === 'POST' && path.startsWith(prefix) && !path.includes('@'))
    .map(([, path]) => path.slice(prefix.length))
    .filter((sub) => sub.length > 0 && !sub.includes('/'));
}

/**
 * The spec of a catalogued connector: fields, types, lengths, code lists, labels (nl/en) and
 * required flags per method (`mandatory` = POST, `mandatoryPut` = PUT) exactly as AFAS publishes
 * them. The tree is the POST body; connectors AFAS documents for PUT only use the PUT body (and
 * `mandatory` then holds its PUT flags, as the metainfo of such a connector shows them).
 * The primary keys are the fields AFAS requires on PUT (the reference: the PUT schema requires
 * only the key fields); the root fields of a DELETE key path are keys of that path only.
 */
export function catalogSpec(id: string): ConnectorSpec | undefined {
  const entry = CATALOG.connectors[id];
  if (!entry) return undefined;
  const method = entry.POST ? 'POST' : 'PUT';
  const put = putTreeOf(entry);
  const tree = entry.POST ?? put;
  if (!tree) return undefined;
  const root = objectOf(entry.root ?? id, { object: tree, put }, method);
  // A DELETE key path (`/FiEntryPar/@Year/{Year}`) does not make its field a primary key of the
  // body: AFAS's FiEntries metainfo has Year `primaryKey: false` and its POST example sends Year in
  // Fields (reference §2.3); an `@Year` attribute would leave the mandatory Year out.
  return {
    ...root,
    single: false,
    id,
    description: { nl: entry.description },
  };
}

/** Every catalogued connector id, sorted. */
export const catalogIds = (): string[] => Object.keys(CATALOG.connectors);
