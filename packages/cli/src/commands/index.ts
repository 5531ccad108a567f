import type { Command } from 'commander';
import { registerDashboard } from './dashboard.js';
import { registerDemo } from './demo.js';
import { registerExtract } from './extract.js';
import { registerGuess } from './guess.js';
import { registerInit } from './init.js';
import { registerPlan } from './plan.js';
import { registerPreview } from './preview.js';
import { registerRun } from './run.js';
import { registerRuns } from './runs.js';
import { registerSchedule } from './schedule.js';
import { registerSim } from './sim.js';
import { registerState } from './state.js';
import { registerStatus } from './status.js';
import { registerSubmit } from './submit.js';
import { registerTest } from './test.js';
import { registerValidate } from './validate.js';
import { registerWorker } from './worker.js';

/** A command registers itself on the program; `setExitCode` lets it report 0/1/2 without throwing. */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

/**
 * Every koppel command. Add one line per command (keep the list sorted); each command lives in
 * its own file beside this one.
 */
export const commands: RegisterCommand[] = [
  // commands: keep one per line
  registerDashboard,
  registerDemo,
  registerExtract,
  registerGuess,
  registerInit,
  registerPlan,
  registerPreview,
  registerRun,
  registerRuns,
  registerSchedule,
  registerSim,
  registerState,
  registerStatus,
  registerSubmit,
  registerTest,
  registerValidate,
  registerWorker,
];
