import { expect } from 'vitest';
import { steppingClock } from '../../src/clock.js';
import { SimDatabase } from '../../src/db.js';
import type { Language } from '../../src/language.js';
import { ProfitFault } from '../../src/profit-fault.js';
import { createUpdateEngine, seedReferenceData, type UpdateEngineOptions } from '../../src/update/index.js';
import type { UpdateRequest } from '../../src/update-engine.js';

/** What an engine call may add to connector, method and body. */
export interface ExecExtra {
  /** Path segments after the connector name (DELETE keys); default none. */
  rest?: string[];
  /** The Accept-Language of the request; default `nl-nl`. */
  language?: Language;
}

/**
 * An update engine without HTTP over a fresh database seeded with the reference data, on a
 * stepping clock that starts at 2024-03-01T09:00:00.
 */
export function bench(options?: UpdateEngineOptions) {
  const db = new SimDatabase(steppingClock('2024-03-01T09:00:00'));
  seedReferenceData(db);
  const engine = createUpdateEngine(options);
  const exec = (connector: string, method: UpdateRequest['method'], body: unknown, extra: ExecExtra = {}) =>
    engine.execute({
      connector,
      method,
      body,
      rest: extra.rest ?? [],
      language: extra.language ?? 'nl-nl',
      db,
    });
  return { db, exec };
}

/** Runs `run`, asserts that it throws a ProfitFault and returns that fault. */
export function faultOf(run: () => unknown): ProfitFault {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProfitFault);
  return caught as ProfitFault;
}
