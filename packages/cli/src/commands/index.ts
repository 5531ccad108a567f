import type { Command } from 'commander';

/** A command registers itself on the program; `setExitCode` lets it report 0/1/2 without throwing. */
export type RegisterCommand = (program: Command, setExitCode: (code: number) => void) => void;

/**
 * One koppel command as `koppel --help` lists it. `load` imports the command's module (and with
 * it @koppel/core, the runner, BullMQ, the simulator…) only when that command is the one run, so
 * start-up costs what commander costs. The description here is the command's only one.
 */
export interface CommandEntry {
  name: string;
  description: string;
  load(): Promise<RegisterCommand>;
}

/** Every koppel command, sorted by name (one entry each); each lives in its own file beside this one. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'dashboard',
    description: 'Serve bull-board (queues, jobs) and a runs page for the Redis deployment.',
    load: async () => (await import('./dashboard.js')).registerDashboard,
  },
  {
    name: 'demo',
    description: 'Run the demo jobs against an embedded AFAS simulator and show the reports.',
    load: async () => (await import('./demo.js')).registerDemo,
  },
  {
    name: 'extract',
    description:
      'Read a GetConnector into a file (target: { file }), or into an UpdateConnector of another environment.',
    load: async () => (await import('./extract.js')).registerExtract,
  },
  {
    name: 'guess',
    description:
      'Print a job stub for a CSV file: delimiter, encoding and column types (int, decimal, date, boolean, string).',
    load: async () => (await import('./guess.js')).registerGuess,
  },
  {
    name: 'init',
    description:
      'Write a new job for an UpdateConnector from a sample CSV: columns matched to fields, mandatory fields left as TODOs.',
    load: async () => (await import('./init.js')).registerInit,
  },
  {
    name: 'metainfo',
    description:
      "Record an environment's metainfo into a folder (`koppel metainfo pull --out DIR`) for `koppel sim --metainfo` and `koppel validate --metainfo`; never the token.",
    load: async () => (await import('./metainfo.js')).registerMetainfo,
  },
  {
    name: 'plan',
    description: 'Show the exact requests a run would send and the records it would reject; writes nothing.',
    load: async () => (await import('./plan.js')).registerPlan,
  },
  {
    name: 'preview',
    description:
      "Print the first records of a job's source as Koppel decodes them (encoding, dialect, values, lines).",
    load: async () => (await import('./preview.js')).registerPreview,
  },
  {
    name: 'run',
    description:
      'Run a job: post every record to AFAS once, with retries, rejects and a report. Run it again to resume.',
    load: async () => (await import('./run.js')).registerRun,
  },
  {
    name: 'runs',
    description:
      'List the local runs (<state dir>/runs), and with --redis those on Redis (or show one with `koppel runs show ID`).',
    load: async () => (await import('./runs.js')).registerRuns,
  },
  {
    name: 'schedule',
    description: 'Submit a job on a cron schedule (workers fire it; overlapping runs are skipped).',
    load: async () => (await import('./schedule.js')).registerSchedule,
  },
  {
    name: 'sim',
    description:
      'Run a local AFAS Profit REST simulator (metainfo, GetConnectors, UpdateConnectors, faults); --metainfo DIR serves a recorded environment.',
    load: async () => (await import('./sim.js')).registerSim,
  },
  {
    name: 'state',
    description:
      'Show, set or clear the named state (incremental watermark) of a job; forget delivery records.',
    load: async () => (await import('./state.js')).registerState,
  },
  {
    name: 'status',
    description: 'Show runs submitted to Redis, or one run (counts are live while workers run it).',
    load: async () => (await import('./status.js')).registerStatus,
  },
  {
    name: 'submit',
    description: 'Enqueue a run of a job on Redis for `koppel worker` processes (submit again to resume).',
    load: async () => (await import('./submit.js')).registerSubmit,
  },
  {
    name: 'test',
    description:
      'Run job tests (*.test.yaml): input rows and the exact requests and rejects they must produce; sends nothing.',
    load: async () => (await import('./test.js')).registerTest,
  },
  {
    name: 'validate',
    description: 'Check a job: schema, mapping and (unless --offline) fields and codes against metainfo.',
    load: async () => (await import('./validate.js')).registerValidate,
  },
  {
    name: 'worker',
    description: 'Process chunks of submitted runs (any number of processes, on any machine sharing Redis).',
    load: async () => (await import('./worker.js')).registerWorker,
  },
];
