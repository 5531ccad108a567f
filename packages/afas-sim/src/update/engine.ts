import { CATALOG, catalogIds, catalogSpec, deleteKeys, subRecordEndpoints } from '../catalog/index.js';
import { ERROR_NUMBERS, ProfitFault } from '../profit-fault.js';
import type { UpdateEngine, UpdateRequest, UpdateResponse } from '../update-engine.js';
import type { Connector, Mode } from './connector.js';
import { cataloguedConnector, withBase } from './connectors/catalogued.js';
import { FI_ENTRIES } from './connectors/fi-entries.js';
import { KN_ORGANISATION } from './connectors/organisation.js';
import { KN_PERSON } from './connectors/person.js';
import { KN_PURCHASE_RELATION_ORG, KN_SALES_RELATION_ORG } from './connectors/relation-org.js';
import { KN_SUBJECT } from './connectors/subject.js';
import { UpdateContext } from './context.js';
import { parseDeletePath } from './delete-path.js';
import { validateElement } from './element.js';
import { badDeletePath, badShape, unknownObject, unsupportedConnector } from './messages.js';
import { metainfoOf } from './metainfo.js';
import { normalizeBody } from './normalize.js';
import { type ResolvedOptions, resolveOptions, type UpdateEngineOptions } from './options.js';
import type { ConnectorSpec } from './spec.js';

/** The connectors with plug-ins (matching, numbering, balance and period rules) on top of their spec, by id. */
const PLUG_INS: ReadonlyMap<string, Connector> = new Map(
  [KN_PERSON, KN_ORGANISATION, KN_SALES_RELATION_ORG, KN_PURCHASE_RELATION_ORG, KN_SUBJECT, FI_ENTRIES].map(
    (plugIn) => [plugIn.spec.id, plugIn],
  ),
);

/**
 * The connector of an environment's spec (AFAS's catalogued one, or recorded metainfo, with the
 * seed's free fields): the plug-in where the simulator has one for the id, merged onto the spec,
 * else the generic connector that validates and stores.
 */
export function connectorFor(spec: ConnectorSpec): Connector {
  const plugIn = PLUG_INS.get(spec.id);
  return plugIn ? { ...plugIn, spec: withBase(spec, plugIn.spec) } : cataloguedConnector(spec);
}

/** Every UpdateConnector AFAS documents, in catalog order; plug-ins where the simulator has them. */
export const CONNECTORS: readonly Connector[] = catalogIds().map((id) =>
  connectorFor(catalogSpec(id) as ConnectorSpec),
);

/** The documented sub-record paths (`POST /connectors/{Id}/{Sub}`) of a connector. */
const subRecords = (id: string): string[] => {
  const entry = CATALOG.connectors[id];
  return entry ? subRecordEndpoints(entry, id) : [];
};

/** Refuses a DELETE URL whose @key list is not one AFAS documents for the connector. */
function checkDeleteKeys(connector: Connector, rest: readonly string[]): void {
  const entry = CATALOG.connectors[connector.spec.id];
  if (!entry || connector.nestedDelete || PLUG_INS.has(connector.spec.id)) return;
  const documented = deleteKeys(entry);
  const sent = (rest[1] ?? '')
    .split(',')
    .map((key) => key.trim().replace(/^@/, ''))
    .sort()
    .join(',');
  if (documented.some((keys) => [...keys].sort().join(',') === sent)) return;
  const paths = entry.endpoints.filter(([method]) => method === 'DELETE').map(([, path]) => path);
  throw badDeletePath(
    paths.length === 0
      ? {
          nl: `AFAS documenteert geen DELETE voor ${connector.spec.id}.`,
          en: `AFAS documents no DELETE for ${connector.spec.id}.`,
        }
      : {
          nl: `gebruik ${paths.join(' of ')}.`,
          en: `use ${paths.join(' or ')}.`,
        },
  );
}

/** Default actions: POST inserts, PUT updates, POST on /Conn/Sub updates the root and inserts Sub (reference §3.1). */
function modeOf(request: UpdateRequest, connector: Connector): Mode {
  const sub = request.rest[0];
  if (request.rest.length > 1) {
    throw badShape({
      nl: `onverwacht pad /${request.rest.join('/')}.`,
      en: `unexpected path /${request.rest.join('/')}.`,
    });
  }
  if (sub !== undefined && !connector.spec.objects.some((object) => object.name === sub)) {
    throw unknownObject(sub, connector.spec.name);
  }
  if (sub !== undefined && !subRecords(connector.spec.id).includes(sub)) {
    throw badShape({
      nl: `AFAS documenteert geen POST /connectors/${connector.spec.id}/${sub}.`,
      en: `AFAS documents no POST /connectors/${connector.spec.id}/${sub}.`,
    });
  }
  if (request.method === 'PUT') return { root: 'update', child: () => 'update' };
  if (sub === undefined) return { root: 'insert', child: () => 'insert' };
  return { root: 'update', child: (name) => (name === sub ? 'insert' : 'update') };
}

/** What a request ran with: the request, its connector and the engine's options. */
interface Run {
  request: UpdateRequest;
  connector: Connector;
  options: ResolvedOptions;
}

function respond({ request, connector, options }: Run, results: Record<string, string>[]): UpdateResponse {
  if (results.length === 0) return { status: 200 };
  if (request.method === 'PUT' && options.putResponse === 'empty200') return { status: 200 };
  const picked =
    options.multiElementResults === 'array' && results.length > 1
      ? results
      : options.multiElementResults === 'first'
        ? results[0]
        : results[results.length - 1];
  return { status: 201, body: { results: { [connector.spec.name]: picked } } };
}

function run(request: UpdateRequest, connector: Connector, options: ResolvedOptions): UpdateResponse {
  const ctx = new UpdateContext({ ...request, options });
  if (request.method === 'DELETE') {
    const target = parseDeletePath(request.rest, connector.spec);
    checkDeleteKeys(connector, request.rest);
    if (target.sub && !connector.nestedDelete?.includes(target.sub.name)) {
      throw badDeletePath({
        nl: `verwijderen van '${target.sub.name}' via de URL wordt niet ondersteund.`,
        en: `deleting '${target.sub.name}' through the URL is not supported.`,
      });
    }
    request.db.transaction(() => connector.remove(ctx, target));
    return { status: 200 };
  }
  const mode = modeOf(request, connector);
  const raw = normalizeBody(request.body, connector.spec.name);
  if (raw.length === 0) {
    throw badShape({
      nl: `'${connector.spec.name}.Element' is leeg.`,
      en: `'${connector.spec.name}.Element' is empty.`,
    });
  }
  const validate = {
    language: request.language,
    singleLineTexts: options.singleLineError,
    openReferences: options.openReferences,
  };
  const elements = raw.map((element) => validateElement(element, connector.spec, validate));
  const results = request.db.transaction(() => {
    const all: Record<string, string>[] = [];
    for (const element of elements) {
      const result = connector.apply(ctx, element, mode);
      if (result) all.push(result);
    }
    return all;
  });
  return respond({ request, connector, options }, results);
}

/**
 * Creates the UpdateConnector engine the HTTP layer calls (see `update-engine.ts`), over
 * `connectors` (an environment's set; default every catalogued connector).
 */
export function createUpdateEngine(
  options?: UpdateEngineOptions,
  connectors: readonly Connector[] = CONNECTORS,
): UpdateEngine {
  const resolved = resolveOptions(options);
  const byId = new Map(connectors.map((connector) => [connector.spec.id, connector]));
  return {
    connectors: () => connectors.map(({ spec }) => ({ id: spec.id, description: spec.description })),
    metainfo(connector, language) {
      const found = byId.get(connector);
      return found ? metainfoOf(found.spec, language) : undefined;
    },
    execute(request) {
      const connector = byId.get(request.connector);
      if (!connector) throw unsupportedConnector();
      try {
        return run(request, connector, resolved);
      } catch (error) {
        if (error instanceof ProfitFault) throw error;
        throw Object.assign(
          new ProfitFault(
            { nl: 'Er is een onverwachte fout opgetreden.', en: 'An unexpected error has occurred.' },
            { errorNumber: ERROR_NUMBERS.unexpected },
          ),
          { cause: error },
        );
      }
    },
  };
}
