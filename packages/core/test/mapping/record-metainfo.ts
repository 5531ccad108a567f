/**
 * Records update metainfo from the simulator into fixtures/metainfo/<Connector>.<language>.json,
 * so mapping tests also run against a fixed copy. Run: npx tsx packages/core/test/mapping/record-metainfo.ts
 */
import { writeFileSync } from 'node:fs';
import { startSimulator } from '@koppel/afas-sim';
import { afasMetainfoProvider } from '../../../afas/src/index.js';

const TOKEN = 'cbf5071c07a22081e969fb9dddae0789b5f67b65674c465c8134e9f12fdb3e77';
const sim = await startSimulator();
try {
  const provider = afasMetainfoProvider(
    Object.defineProperty({ baseUrl: sim.baseUrl(), language: 'nl-nl' as const }, 'token', {
      value: TOKEN,
    }) as never,
  );
  for (const connector of ['FiEntries', 'KnPerson', 'KnSubject']) {
    for (const language of ['nl-nl', 'fr-fr'] as const) {
      const metainfo = await provider.update(connector, language);
      const file = new URL(`./fixtures/metainfo/${connector}.${language}.json`, import.meta.url);
      writeFileSync(file, `${JSON.stringify(metainfo, null, 2)}\n`);
    }
  }
} finally {
  await sim.close();
}
