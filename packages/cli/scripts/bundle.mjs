// Bundles the CLI into dist/bin.js and one chunk per command (issue 17: start-up). tsc has already
// written dist/ (the library entry and its types); this replaces dist/bin.js with a bundle of the
// CLI, @koppel/core, @koppel/afas, @koppel/runner, yaml and commander, so `koppel validate` reads
// a handful of files instead of ~200 modules. Each command's dynamic import stays a chunk of its
// own, loaded only when that command runs. Packages that are native, heavy or resolve files at run
// time stay ordinary imports (the CLI's package.json lists them): BullMQ, Redis, LMDB, express,
// bull-board, the simulator (reads its seeds beside itself), and the two core loads through
// createRequire (jsonata, iconv-lite). Source maps beside each chunk; KOPPEL_DEBUG=1 turns them on.
import { readdir, readFile, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = fileURLToPath(new URL('../', import.meta.url));
const dist = `${cli}dist/`;

const EXTERNAL = [
  '@koppel/afas-sim',
  '@bull-board/*',
  'bullmq',
  'express',
  'iconv-lite',
  'ioredis',
  'jsonata',
  'lmdb',
];

/**
 * The CLI's own modules find files beside their compiled copy (`new URL('../package.json',
 * import.meta.url)`, the demo jobs, the job schema): in the bundle, `import.meta.url` is that of
 * the chunk (dist/), so each one's is replaced by the URL of its dist/ file as tsc writes it.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(plugin) {
    plugin.onLoad({ filter: /[\\/]packages[\\/]cli[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const compiled = `./${relative(`${cli}src`, args.path).replaceAll('\\', '/').replace(/\.ts$/, '.js')}`;
      return {
        contents: source.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(compiled)}, import.meta.url).href`,
        ),
        loader: 'ts',
      };
    });
  },
};

// Chunks of an earlier bundle (tsc's own files have no hash in their name).
for (const name of await readdir(dist))
  if (/-[A-Z0-9]{8}\.js(\.map)?$/.test(name)) await rm(`${dist}${name}`, { force: true });

await build({
  absWorkingDir: cli,
  stdin: {
    // The entry only turns source maps on when asked, then loads the CLI (bin.ts turns the compile
    // cache on first, so it covers every chunk after it).
    contents: [
      '#!/usr/bin/env node',
      'if (process.env.KOPPEL_DEBUG) process.setSourceMapsEnabled(true);',
      "await import('./src/bin.ts');",
    ].join('\n'),
    resolveDir: cli,
    sourcefile: 'entry.js',
    loader: 'js',
  },
  outdir: 'dist',
  entryNames: 'bin',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.15',
  tsconfig: 'tsconfig.build.json',
  external: EXTERNAL,
  plugins: [ownImportMetaUrl],
  // Error classes name themselves after their class (`this.name = new.target.name`).
  keepNames: true,
  // Whitespace and syntax only (names stay): ~5 ms less CPU for `koppel validate` on Node 22.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  // commander and yaml are CommonJS: their `require('node:events')` needs a real require.
  banner: {
    js: "import { createRequire as __koppelRequire } from 'node:module';\nconst require = __koppelRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
