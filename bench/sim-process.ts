/**
 * Starts the simulator in its own process (so it does not share a CPU with the client being
 * measured) and prints its base URL; the fault plan comes as JSON in argv[2].
 */
import { startSimulator } from '@koppel/afas-sim';

const faults = JSON.parse(process.argv[2] ?? '{"rules":[]}');
const sim = await startSimulator({ port: 0, faults, update: { multiElementResults: 'array' } });
process.stdout.write(`${sim.baseUrl()}\n`);
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
