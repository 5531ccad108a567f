/**
 * Starts bench/sim-process.ts (the simulator in a process of its own, so it does not share a CPU
 * with what a bench measures) and waits for its base URL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface SimProcess {
  /** `http://127.0.0.1:<port>/12345/ProfitRestServices`. */
  baseUrl: string;
  /** The simulator's process id (for its CPU time). */
  pid: number;
  stop(): void;
}

/** `faults`: the simulator's fault plan; `nodeFlags`: flags for the simulator's node (heap size). */
export async function spawnSimProcess(
  faults: object = { rules: [] },
  nodeFlags: string[] = [],
): Promise<SimProcess> {
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags,
      '--conditions=@koppel/source',
      '--import',
      'tsx',
      new URL('./sim-process.ts', import.meta.url).pathname,
      JSON.stringify(faults),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { baseUrl: chunk.toString().trim(), pid: child.pid as number, stop: () => child.kill('SIGTERM') };
}

/** The fault plan of the throughput benches: every FiEntries POST answers after `ms`. */
export const postLatency = (ms: number) => ({
  rules: [{ kind: 'latency', connector: 'FiEntries', method: 'POST', ms }],
});
