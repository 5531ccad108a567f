/**
 * Builds the simulator's compact UpdateConnector catalog from AFAS's published facts
 * (`shared/reference/afas-oas/update-connectors.json`, taken from AFAS's OpenAPI specs).
 * Pure: `scripts/generate-catalog.ts` writes its output to `catalog.generated.ts`, and the
 * staleness test rebuilds it in memory and compares.
 */

/** A field as the facts file spells it. */
export interface FactField {
  type: string;
  format?: string;
  maxLength?: number;
  required?: boolean;
  enum?: string[];
  label: string;
  label_nl?: string;
  codes?: Record<string, string>;
  codes_nl?: Record<string, string>;
}

/** A request body tree (root or nested object) as the facts file spells it. */
export interface FactObject {
  fields?: Record<string, FactField>;
  objects?: Record<string, FactObject & { many?: boolean }>;
  many?: boolean;
}

export interface FactConnector {
  area: string;
  root?: string;
  endpoints: { method: string; path: string; summary?: string; keys?: string[] }[];
  POST?: FactObject;
  PUT?: FactObject;
}

export interface FactsFile {
  source: string;
  commit: string;
  connectors: Record<string, FactConnector>;
}

/**
 * A catalogued field: `[id, type, maxLength, required, label en, label nl, code list]`.
 * `type` is `string`, `integer`, `number`, `boolean` or `type:format` (`string:date`, `number:float`, …);
 * `maxLength` 0 means none given; `required` 1 when AFAS marks it required for the method;
 * the nl label is '' when it equals the en one; the code list is an index into
 * `CatalogFile.codeLists`, -1 for none.
 */
export type CatalogField = [
  id: string,
  type: string,
  maxLength: number,
  required: 0 | 1,
  labelEn: string,
  labelNl: string,
  codeList: number,
];

export interface CatalogObject {
  fields: CatalogField[];
  /** Nested objects in the facts' order; `many` is dropped when false. */
  objects?: Record<string, CatalogObject>;
  many?: true;
}

/** `[method, path, keys]`: keys only for the @key paths of DELETE. */
export type CatalogEndpoint = [method: string, path: string, keys?: string[]];

/**
 * The PUT body when its shape equals the POST body's (true for every connector AFAS documents
 * both for): the `/`-joined paths of the fields required on PUT, and the types that differ.
 */
export interface CatalogPutPatch {
  like: 'POST';
  required: string[];
  types?: Record<string, string>;
}

export interface CatalogConnector {
  area: string;
  /** The JSON root element when it differs from the id (FiEntries -> FiEntryPar). */
  root?: string;
  /** The summary AFAS gives the connector's endpoints (Dutch, e.g. "Persoon"). */
  description: string;
  endpoints: CatalogEndpoint[];
  POST?: CatalogObject;
  PUT?: CatalogObject | CatalogPutPatch;
}

/** A code list: `[code, meaning (en spec), meaning (nl spec) when it differs]` per code, in AFAS's order. */
export type CodeList = ([code: string, en: string] | [code: string, en: string, nl: string])[];

export interface CatalogFile {
  source: string;
  commit: string;
  codeLists: CodeList[];
  connectors: Record<string, CatalogConnector>;
}

/** Builds the compact catalog; code lists are shared (the country lists occur hundreds of times). */
export function buildCatalog(facts: FactsFile): CatalogFile {
  const codeLists: CodeList[] = [];
  const listIndex = new Map<string, number>();

  const codeListOf = (field: FactField): number => {
    if (!field.enum) return -1;
    const list: CodeList = field.enum.map((code) => {
      const en = field.codes?.[code] ?? '';
      const nl = field.codes_nl?.[code] ?? en;
      return nl === en ? [code, en] : [code, en, nl];
    });
    const key = JSON.stringify(list);
    let index = listIndex.get(key);
    if (index === undefined) {
      index = codeLists.length;
      codeLists.push(list);
      listIndex.set(key, index);
    }
    return index;
  };

  const objectOf = (object: FactObject): CatalogObject => {
    const fields = Object.entries(object.fields ?? {}).map(
      ([id, field]): CatalogField => [
        id,
        field.format ? `${field.type}:${field.format}` : field.type,
        field.maxLength ?? 0,
        field.required ? 1 : 0,
        field.label,
        field.label_nl === undefined || field.label_nl === field.label ? '' : field.label_nl,
        codeListOf(field),
      ],
    );
    const result: CatalogObject = { fields };
    const nested = Object.entries(object.objects ?? {});
    if (nested.length > 0) {
      result.objects = Object.fromEntries(nested.map(([name, child]) => [name, objectOf(child)]));
    }
    if (object.many) result.many = true;
    return result;
  };

  const connectors: Record<string, CatalogConnector> = {};
  for (const id of Object.keys(facts.connectors).sort()) {
    const fact = facts.connectors[id] as FactConnector;
    const entry: CatalogConnector = {
      area: fact.area,
      ...(fact.root ? { root: fact.root } : {}),
      description: fact.endpoints.find((endpoint) => endpoint.summary)?.summary ?? id,
      endpoints: fact.endpoints.map(
        (endpoint): CatalogEndpoint =>
          endpoint.keys ? [endpoint.method, endpoint.path, endpoint.keys] : [endpoint.method, endpoint.path],
      ),
    };
    if (fact.POST) entry.POST = objectOf(fact.POST);
    if (fact.PUT) {
      const put = objectOf(fact.PUT);
      entry.PUT = (entry.POST && patchOf(entry.POST, put)) || put;
    }
    connectors[id] = entry;
  }
  return { source: facts.source, commit: facts.commit, codeLists, connectors };
}

const shapeOf = (object: CatalogObject): unknown => [
  object.fields.map((field) => [field[0], field[2], field[4], field[5], field[6]]),
  object.many ?? false,
  Object.entries(object.objects ?? {}).map(([name, child]) => [name, shapeOf(child)]),
];

/** The PUT tree as a patch on the POST tree, or undefined when the shapes differ. */
function patchOf(post: CatalogObject, put: CatalogObject): CatalogPutPatch | undefined {
  if (JSON.stringify(shapeOf(post)) !== JSON.stringify(shapeOf(put))) return undefined;
  const required: string[] = [];
  const types: Record<string, string> = {};
  const walk = (a: CatalogObject, b: CatalogObject, prefix: string): void => {
    b.fields.forEach((field, index) => {
      const path = `${prefix}${field[0]}`;
      if (field[3]) required.push(path);
      if (a.fields[index]?.[1] !== field[1]) types[path] = field[1];
    });
    for (const [name, child] of Object.entries(b.objects ?? {})) {
      walk(a.objects?.[name] as CatalogObject, child, `${prefix}${name}/`);
    }
  };
  walk(post, put, '');
  return { like: 'POST', required, ...(Object.keys(types).length > 0 ? { types } : {}) };
}

/** Expands a stored PUT body (full or patch) back to a tree. */
export function putTreeOf(entry: CatalogConnector): CatalogObject | undefined {
  const put = entry.PUT;
  if (!put || !('like' in put)) return put;
  const required = new Set(put.required);
  const expand = (object: CatalogObject, prefix: string): CatalogObject => ({
    ...object,
    fields: object.fields.map((field): CatalogField => {
      const path = `${prefix}${field[0]}`;
      return [
        field[0],
        put.types?.[path] ?? field[1],
        field[2],
        required.has(path) ? 1 : 0,
        field[4],
        field[5],
        field[6],
      ];
    }),
    ...(object.objects
      ? {
          objects: Object.fromEntries(
            Object.entries(object.objects).map(([name, child]) => [name, expand(child, `${prefix}${name}/`)]),
          ),
        }
      : {}),
  });
  return entry.POST ? expand(entry.POST, '') : undefined;
}

/** The text of `catalog.generated.ts` for a catalog. */
export function renderCatalogModule(catalog: CatalogFile): string {
  return [
    '// Generated by scripts/generate-catalog.ts from shared/reference/afas-oas/update-connectors.json.',
    '// Do not edit: run `npx tsx scripts/generate-catalog.ts`.',
    "import type { CatalogFile } from './build.js';",
    '',
    `export const CATALOG: CatalogFile = JSON.parse('${JSON.stringify(catalog).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}');`,
    '',
  ].join('\n');
}
