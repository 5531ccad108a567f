// Copies the job schemas (generated at the repository root, schemas/) into dist/schemas, so the
// packed CLI carries them and `koppel init` can point a new job at the installed copy.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';

const from = new URL('../../../schemas/', import.meta.url);
const to = new URL('../dist/schemas/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from).filter((file) => file.endsWith('.schema.json'))) {
  copyFileSync(new URL(name, from), new URL(name, to));
}
