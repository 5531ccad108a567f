import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Clock, systemClock } from './clock.js';
import type { SimulatorState } from './context.js';
import { createControl, type SimulatorControl } from './control.js';
import { Environment } from './environment.js';
import { SimulatorOptionsError } from './errors.js';
import { FaultInjector, type FaultPlan, loadFaultPlan } from './faults.js';
import { type FidelityOptions, resolveFidelity } from './fidelity.js';
import { createHandler } from './handler.js';
import { loadSeed, type Seed } from './seed.js';
import { StatsRecorder } from './stats.js';
import type { UpdateEngineOptions } from './update/index.js';
import type { UpdateEngine } from './update-engine.js';

export interface SimulatorOptions {
  /** TCP port; default 0 (a free port, as tests should use). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Seed object or path of a YAML/JSON seed file; default `seeds/demo.yaml`. */
  seed?: Seed | string;
  /** Clock for journal times and fault windows (Amsterdam local time); default the system clock. */
  clock?: Clock;
  /** Fault plan object or path of a YAML/JSON file; default no faults. */
  faults?: FaultPlan | string;
  /** Switches for behaviour the public evidence leaves open; defaults follow the reference. */
  fidelity?: FidelityOptions;
  /** Options of the built-in UpdateConnector engine (results shape, numbering, …); default its defaults. */
  update?: UpdateEngineOptions;
  /** Replaces the built-in UpdateConnector engine in every environment (e.g. a stub in tests); default `createUpdateEngine(update)` over each environment's connectors. */
  updateEngine?: UpdateEngine;
  /** Receives unexpected internal errors (answered as Profit's "unexpected error"); default writes to stderr. */
  onError?: (error: unknown) => void;
}

/** A running simulator. */
export interface Simulator {
  /** `http://host:port` of the server. */
  readonly url: string;
  readonly port: number;
  /** `{url}/{envId}/ProfitRestServices` for an environment; default the seed's first environment. */
  baseUrl(envId?: string): string;
  /** Control API: reset, journal, stats, faults (also served under `/__sim/`). */
  readonly control: SimulatorControl;
  /** Stops listening and closes every connection; safe to call more than once. */
  close(): Promise<void>;
}

/** Starts an AFAS Profit REST simulator on node:http (reference §1-§6). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SimulatorOptionsError(`Expected \`port\` to be an integer 0-65535, got \`${options.port}\``);
  }
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const seed = loadSeed(options.seed);
  const engine = { engine: options.updateEngine, update: options.update };
  const environments = new Map(seed.environments.map((env) => [env.id, new Environment(env, clock, engine)]));
  const state: SimulatorState = {
    environments,
    faults: new FaultInjector(options.faults === undefined ? undefined : loadFaultPlan(options.faults)),
    stats: new StatsRecorder(),
    fidelity: resolveFidelity(options.fidelity),
    clock,
    onError:
      options.onError ?? ((error) => process.stderr.write(`afas-sim: internal error: ${String(error)}\n`)),
  };
  const control = createControl(state);
  // Query strings far past Profit's 2049 characters must still reach the handler to get its 404.
  const server: Server = createServer({ maxHeaderSize: 1024 * 1024 }, createHandler(state, control));
  server.keepAliveTimeout = 5000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new SimulatorOptionsError(
          `Cannot listen on ${host}:${port}: ${error.code ?? error.message}; choose another port (0 picks a free one) or host`,
        ),
      ),
    );
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      server.on('error', state.onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const firstEnv = seed.environments[0]?.id as string;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    control,
    baseUrl: (envId = firstEnv) => `${url}/${envId}/ProfitRestServices`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
