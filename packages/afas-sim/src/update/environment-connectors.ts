import { catalogSpec } from '../catalog/index.js';
import type { RecordedMetainfo } from '../recorded.js';
import type { Connector } from './connector.js';
import { type SeedCustomField, withCustomFields } from './custom-fields.js';
import { CONNECTORS, connectorFor } from './engine.js';
import { recordedSpec } from './recorded-spec.js';
import type { ConnectorSpec } from './spec.js';

/** What makes an environment's UpdateConnectors its own: recorded metainfo and the seed's free fields. */
export interface EnvironmentConnectorsOptions {
  /** The environment's recorded metainfo; default AFAS's catalog. */
  recorded?: RecordedMetainfo | undefined;
  /** Free fields by connector id. */
  customFields?: Record<string, SeedCustomField[]> | undefined;
}

/** The spec an environment starts from for a connector: the recorded one, else the catalogued one. */
export function baseSpec(id: string, recorded: RecordedMetainfo | undefined): ConnectorSpec | undefined {
  if (!recorded) return catalogSpec(id);
  const documents = recorded.update[id];
  return documents ? recordedSpec(id, documents) : undefined;
}

/**
 * The UpdateConnectors of an environment: every recorded one (in the order `/metainfo` listed
 * them) or every catalogued one, with the seed's free fields, plug-ins where the id has one.
 * Without a recording or free fields this is the shared catalog set (built once at load).
 */
export function environmentConnectors(options: EnvironmentConnectorsOptions): readonly Connector[] {
  const { recorded } = options;
  const custom = options.customFields ?? {};
  if (!recorded && Object.keys(custom).length === 0) return CONNECTORS;
  const build = (id: string): Connector | undefined => {
    const spec = baseSpec(id, recorded);
    const fields = custom[id];
    return spec && connectorFor(fields ? withCustomFields(spec, fields) : spec);
  };
  if (recorded) {
    return recorded.environment.updateConnectors
      .map(({ id }) => build(id))
      .filter((connector) => connector !== undefined);
  }
  return CONNECTORS.map((connector) =>
    custom[connector.spec.id] ? (build(connector.spec.id) ?? connector) : connector,
  );
}
