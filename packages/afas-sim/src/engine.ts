import { faults } from './messages.js';
import type { UpdateEngine } from './update-engine.js';

/** An engine that implements no UpdateConnector: every update answers "not supported". */
export const nullUpdateEngine: UpdateEngine = {
  connectors: () => [],
  metainfo: () => undefined,
  execute: () => {
    throw faults.updateConnectorDenied();
  },
};
