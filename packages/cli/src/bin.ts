#!/usr/bin/env node
import module from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { renderError } from './render-error.js';

// Node 22.1+ keeps the compiled code of every module it loads (the CLI, @koppel/*, yaml, commander)
// in a cache folder (os.tmpdir()/node-compile-cache unless NODE_COMPILE_CACHE names one), so a
// second `koppel validate` skips compiling them. Node 20 has no such cache and starts as before;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. It applies to the modules loaded after this call,
// which is why main.js is imported below and not at the top.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// `koppel run` keeps a live heap of ~55 MB whatever the input size, but V8's default heap growth
// lets garbage pile up to ~3.5x that before a full GC. Growing the heap by 20% a GC keeps the peak
// RSS near the live heap (more, cheaper full GCs; no hard limit, so no out-of-memory for a large
// job). V8 reads the factor at every GC, so it applies from here on; NODE_OPTIONS may override it.
if (!`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`.includes('--heap-growing-percent'))
  setFlagsFromString('--heap-growing-percent=20');
// `koppel run` also keeps V8's young generation at its start-up size (1 MB) instead of letting it
// grow to 32 MB: ~40 MB less peak RSS at the same records/s (bench/run-memory.ts, bench/README.md).
if (process.argv[2] === 'run' && !`${process.env.NODE_OPTIONS} ${process.execArgv}`.includes('semi-space'))
  setFlagsFromString('--semi-space-growth-factor=1');

// A failure outside a command's own flow (a socket error event, a promise nobody awaited) goes the
// same way as any other: one line, never a raw stack trace, unless KOPPEL_DEBUG is set.
const fatal = (error: unknown): void => {
  process.stderr.write(`${renderError(error).text}\n`);
  process.exit(1);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

const { main } = await import('./main.js');
process.exitCode = await main(process.argv);
