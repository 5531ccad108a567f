/**
 * Regenerates packages/afas-sim/src/catalog/catalog.generated.ts from AFAS's published
 * UpdateConnector facts (../shared/reference/afas-oas/update-connectors.json, beside the repo).
 * Usage: npx tsx scripts/generate-catalog.ts [facts.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, type FactsFile, renderCatalogModule } from '../packages/afas-sim/src/catalog/build.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const factsPath = resolve(
  process.argv[2] ?? resolve(root, '../shared/reference/afas-oas/update-connectors.json'),
);
const out = resolve(root, 'packages/afas-sim/src/catalog/catalog.generated.ts');

let facts: FactsFile;
try {
  facts = JSON.parse(readFileSync(factsPath, 'utf8')) as FactsFile;
} catch (error) {
  process.stderr.write(`generate-catalog: cannot read ${factsPath}: ${(error as Error).message}\n`);
  process.exit(1);
}
const catalog = buildCatalog(facts);
writeFileSync(out, renderCatalogModule(catalog));
process.stdout.write(
  `generate-catalog: ${Object.keys(catalog.connectors).length} connectors, ${catalog.codeLists.length} code lists -> ${out}\n`,
);
