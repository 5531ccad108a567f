/**
 * Writes schemas/job.schema.json and packages/core/src/job/job-types.generated.ts from the one
 * source of truth, packages/core/src/job/job-schema.ts. Run: npx tsx scripts/generate-schema.ts
 */
import { writeFileSync } from 'node:fs';
import {
  generatedSchemaJson,
  generatedTypes,
  SCHEMA_FILE,
  TYPES_FILE,
} from '../packages/core/src/job/generate.js';

writeFileSync(SCHEMA_FILE, generatedSchemaJson());
writeFileSync(TYPES_FILE, generatedTypes());
process.stdout.write(`wrote ${SCHEMA_FILE} and ${TYPES_FILE}\n`);
