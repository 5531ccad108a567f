import { readFileSync } from 'node:fs';
import type { UpdateMetainfo } from '../../src/metainfo/update-metainfo.js';

/**
 * Update metainfo recorded from the simulator (record-metainfo.ts), shaped as reference §2.3:
 * FiEntries, KnPerson and KnSubject in nl-nl and fr-fr.
 */
export function recordedMetainfo(connector: string, language: string): UpdateMetainfo {
  const file = new URL(`./fixtures/metainfo/${connector}.${language}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as UpdateMetainfo;
}
