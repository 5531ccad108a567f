import { MetainfoError } from '../job/errors.js';
import type { MetainfoProvider, UpdateMetainfo } from './update-metainfo.js';

/** Serves recorded metainfo documents keyed `Connector/language` (e.g. `FiEntries/nl-nl`). */
export function staticMetainfoProvider(
  documents: Readonly<Record<string, UpdateMetainfo>>,
): MetainfoProvider {
  return {
    async update(connectorId, language) {
      const found = documents[`${connectorId}/${language}`];
      if (!found) {
        throw new MetainfoError(
          `no recorded metainfo for ${connectorId} in ${language}; have ${Object.keys(documents).join(', ')}`,
        );
      }
      return found;
    },
  };
}
