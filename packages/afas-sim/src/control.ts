import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './body.js';
import type { SimulatorState } from './context.js';
import type { JournalEntry, SimDatabase } from './db.js';
import { FaultPlanError } from './errors.js';
import { type FaultPlan, validateFaultPlan } from './faults.js';
import { sendJson } from './respond.js';
import type { SimulatorStats } from './stats.js';

/** A committed write plus the environment it was written in. */
export interface SimJournalEntry extends JournalEntry {
  environment: string;
}

export interface JournalFilter {
  environment?: string;
  connector?: string;
  table?: string;
}

/** The in-process control API; `/__sim/*` serves the same over HTTP. */
export interface SimulatorControl {
  /** Tables back to the seed, journal cleared, request counters and fault counters cleared. */
  reset(): void;
  /** Committed UpdateConnector writes, oldest first per environment. */
  journal(filter?: JournalFilter): SimJournalEntry[];
  /** Request counts, in-flight now/high-water mark per environment, IntegrationIds seen. */
  stats(): SimulatorStats;
  /** The current fault plan. */
  faults(): FaultPlan;
  /** Replaces the fault plan (validated) and restarts its counters and random generator. */
  setFaults(plan: FaultPlan): void;
  /** An environment's database (default the first environment), for direct assertions. */
  db(environment?: string): SimDatabase;
}

export function createControl(state: SimulatorState): SimulatorControl {
  const first = [...state.environments.keys()][0] as string;
  return {
    reset() {
      for (const env of state.environments.values()) env.reset();
      state.stats.reset();
      state.faults.reset();
    },
    journal(filter = {}) {
      const entries: SimJournalEntry[] = [];
      for (const env of state.environments.values()) {
        if (filter.environment !== undefined && filter.environment !== env.id) continue;
        for (const entry of env.db.journal()) {
          if (filter.connector !== undefined && entry.connector !== filter.connector) continue;
          if (filter.table !== undefined && entry.table !== filter.table) continue;
          entries.push({ environment: env.id, ...entry, row: { ...entry.row } });
        }
      }
      return entries;
    },
    stats: () => state.stats.snapshot(),
    faults: () => state.faults.plan(),
    setFaults: (plan) => state.faults.replace(plan),
    db(environment = first) {
      const env = state.environments.get(environment);
      if (!env)
        throw new Error(
          `Unknown simulator environment ${environment}; expected one of ${[...state.environments.keys()].join(', ')}`,
        );
      return env.db;
    },
  };
}

/** A request under `/__sim`, its URL already split into path and query. */
export interface ControlRequest {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  params: URLSearchParams;
}

/** Serves `/__sim/reset|journal|stats|faults` (no AFAS auth). */
export async function handleControl(
  control: SimulatorControl,
  { req, res, path, params }: ControlRequest,
): Promise<void> {
  const method = req.method ?? 'GET';
  const route = path.replace(/^\/__sim\/?/, '').replace(/\/$/, '');
  if (route === 'reset' && method === 'POST') {
    control.reset();
    sendJson(res, 200, { ok: true });
  } else if (route === 'journal' && method === 'GET') {
    const filter: JournalFilter = {};
    for (const key of ['environment', 'connector', 'table'] as const) {
      const value = params.get(key);
      if (value !== null) filter[key] = value;
    }
    sendJson(res, 200, { entries: control.journal(filter) });
  } else if (route === 'stats' && method === 'GET') {
    sendJson(res, 200, control.stats());
  } else if (route === 'faults' && method === 'GET') {
    sendJson(res, 200, control.faults());
  } else if (route === 'faults' && (method === 'PUT' || method === 'POST')) {
    const read = await readBody(req, 10 * 1024 * 1024);
    try {
      const plan: unknown = JSON.parse(read.ok ? read.bytes.toString('utf8') : '');
      validateFaultPlan(plan, 'PUT /__sim/faults');
      control.setFaults(plan);
      sendJson(res, 200, control.faults());
    } catch (error) {
      const problems = error instanceof FaultPlanError ? error.problems : ['body: expected JSON'];
      sendJson(res, 400, { error: 'invalid fault plan', problems });
    }
  } else {
    sendJson(res, 404, {
      error: `unknown control route ${method} ${path}; expected POST reset, GET journal|stats|faults, PUT faults`,
    });
  }
}
