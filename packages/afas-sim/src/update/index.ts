export { CONNECTORS, createUpdateEngine } from './engine.js';
export type { UpdateEngineOptions } from './options.js';
