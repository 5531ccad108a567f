/**
 * Starts the simulator in its own process (so it does not share a CPU with the client being
 * measured) and prints its base URL; the fault plan comes as JSON in argv[2]. With
 * SIM_ENVIRONMENTS=N it serves N copies of the demo environment (ids 12345, 12346, …), each with
 * its own data and in-flight gauge.
 */
import { loadSeed, startSimulator } from '@koppel/afas-sim';

const faults = JSON.parse(process.argv[2] ?? '{"rules":[]}');
const copies = Number(process.env.SIM_ENVIRONMENTS ?? 1);
const demo = loadSeed();
const first = demo.environments[0];
const seed =
  copies > 1 && first
    ? {
        ...demo,
        environments: Array.from({ length: copies }, (_, i) => ({
          ...first,
          id: String(Number(first.id) + i),
          envCode: `T${Number(first.id) + i}AA`,
        })),
      }
    : demo;
const sim = await startSimulator({ port: 0, faults, seed, update: { multiElementResults: 'array' } });
process.stdout.write(`${sim.baseUrl()}\n`);
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
