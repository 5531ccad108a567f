#!/usr/bin/env node
import { main } from './main.js';
import { renderError } from './render-error.js';

// A failure outside a command's own flow (a socket error event, a promise nobody awaited) goes the
// same way as any other: one line, never a raw stack trace, unless KOPPEL_DEBUG is set.
const fatal = (error: unknown): void => {
  process.stderr.write(`${renderError(error).text}\n`);
  process.exit(1);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

process.exitCode = await main(process.argv);
