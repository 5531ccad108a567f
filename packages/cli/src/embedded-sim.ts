import type { Simulator, SimulatorOptions } from '@koppel/afas-sim';

/** An embedded simulator and the demo token it accepts. */
export interface EmbeddedSimulator {
  simulator: Simulator;
  token: string;
}

/**
 * Starts the AFAS simulator in this process (`--sim`, `koppel demo`). The simulator is imported
 * here, on first use, so the commands that do not start one never load it.
 */
export async function startEmbeddedSimulator(
  options: SimulatorOptions = { port: 0 },
): Promise<EmbeddedSimulator> {
  const { DEMO_TOKEN, startSimulator } = await import('@koppel/afas-sim');
  return { simulator: await startSimulator(options), token: DEMO_TOKEN };
}
