/**
 * Writes schemas/job.schema.json, packages/core/src/job/job-types.generated.ts and the precompiled
 * validators (job-validator.generated.ts) from the one source of truth,
 * packages/core/src/job/job-schema.ts. Run: npx tsx scripts/generate-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { GENERATED_FILES } from '../packages/core/src/job/generate.js';

for (const [file, text] of GENERATED_FILES) {
  writeFileSync(file, text());
  process.stdout.write(`wrote ${file}\n`);
}
