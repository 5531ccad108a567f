#!/usr/bin/env node
// The installed `koppel` command. It lives outside dist/ so that `pnpm install` on a fresh clone
// can link it before anything is built; it runs the compiled CLI, or says how to build it.
import { existsSync } from 'node:fs';
import zlib from 'node:zlib';

const compiled = new URL('../dist/bin.js', import.meta.url);
if (typeof zlib.crc32 !== 'function') {
  // The ledger checksums its lines with zlib.crc32 (Node 20.15+ and 22.2+).
  process.stderr.write(
    `koppel: Node ${process.version} is too old; koppel needs Node 20.15 or later (22 or 24 recommended)\n`,
  );
  process.exitCode = 1;
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write(
    'koppel: the CLI is not built yet; run `npx -y pnpm@10.34.8 build` (or the demo) in the Koppel checkout first\n',
  );
  process.exitCode = 1;
}
