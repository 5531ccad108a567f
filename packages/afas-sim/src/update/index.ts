export type { SeedCustomField } from './custom-fields.js';
export { CONNECTORS, createUpdateEngine } from './engine.js';
export type { UpdateEngineOptions } from './options.js';
export { seedReferenceData } from './reference-seed.js';
