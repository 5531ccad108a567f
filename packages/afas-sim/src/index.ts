export { afasTokenHeader, tokenXml } from './auth.js';
export { type Clock, steppingClock, systemClock } from './clock.js';
export type { JournalFilter, SimJournalEntry, SimulatorControl } from './control.js';
export type { JournalEntry, Row, SimDatabase, Value } from './db.js';
export { DEMO_ENVIRONMENT, DEMO_TOKEN } from './demo.js';
export { FaultPlanError, SeedError, SimulatorOptionsError } from './errors.js';
export { FAULT_KINDS, type FaultKind, type FaultPlan, type FaultRule, loadFaultPlan } from './faults.js';
export type { FidelityOptions } from './fidelity.js';
export { LANGUAGES, type Language } from './language.js';
export { ERROR_NUMBERS, ProfitFault } from './profit-fault.js';
export {
  type GetFieldMetainfo,
  type GetMetainfo,
  type RecordedEnvironmentFile,
  type RecordedMetainfo,
  readRecordedMetainfo,
} from './recorded.js';
export {
  DEMO_SEED_PATH,
  type LoadSeedOptions,
  loadSeed,
  recordedSeed,
  type Seed,
  type SeedAppConnector,
  type SeedEnvironment,
  type SeedGetConnector,
  type SeedOAuthClient,
  type SeedOtp,
  type SeedToken,
  SPECIAL_CONNECTORS,
  type SpecialConnector,
} from './seed.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './simulator.js';
export type { RequestCount, SimulatorStats } from './stats.js';
export { createUpdateEngine, type SeedCustomField, type UpdateEngineOptions } from './update/index.js';
export type { UpdateEngine, UpdateMetainfo, UpdateRequest, UpdateResponse } from './update-engine.js';
