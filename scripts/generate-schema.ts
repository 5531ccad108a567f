/**
 * Writes schemas/job.schema.json, packages/core/src/job/job-types.generated.ts and the precompiled
 * validators (job-validator.generated.ts: job, connection, an extract's file target, test file)
 * from the sources of truth, packages/core/src/job/job-schema.ts and
 * packages/core/src/job-test/test-file-schema.ts. Run: npx tsx scripts/generate-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { GENERATED_FILES } from '../packages/core/src/job/generate.js';

for (const [file, text] of GENERATED_FILES) {
  writeFileSync(file, text());
  process.stdout.write(`wrote ${file}\n`);
}
