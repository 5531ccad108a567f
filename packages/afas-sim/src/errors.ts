/** A problem in a seed file or object, with the path of every offending value. */
export class SeedError extends Error {
  readonly code = 'KOPPEL_SIM_SEED';
  readonly problems: string[];

  constructor(source: string, problems: string[], options?: { cause?: unknown }) {
    super(`Invalid simulator seed ${source}: ${problems.join('; ')}`, options);
    this.name = 'SeedError';
    this.problems = problems;
  }
}

/** A problem in a fault plan (file, object or `PUT /__sim/faults` body). */
export class FaultPlanError extends Error {
  readonly code = 'KOPPEL_SIM_FAULTS';
  readonly problems: string[];

  constructor(source: string, problems: string[], options?: { cause?: unknown }) {
    super(`Invalid simulator fault plan ${source}: ${problems.join('; ')}`, options);
    this.name = 'FaultPlanError';
    this.problems = problems;
  }
}

/** Invalid `startSimulator` options, detected before any I/O. */
export class SimulatorOptionsError extends Error {
  readonly code = 'KOPPEL_SIM_OPTIONS';

  constructor(message: string) {
    super(message);
    this.name = 'SimulatorOptionsError';
  }
}
