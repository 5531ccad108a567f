import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAuthorization } from './auth.js';
import type { Clock } from './clock.js';
import type { Environment, Principal } from './environment.js';
import { ANSWER_FAULTS, answerFault, commitsFirst, type FaultInjector, type FaultRule } from './faults.js';
import type { Fidelity } from './fidelity.js';
import { type Language, parseLanguage } from './language.js';
import { faults as messages } from './messages.js';
import type { ProfitFault } from './profit-fault.js';
import { maintenanceBody, send, sendFault } from './respond.js';
import type { StatsRecorder } from './stats.js';

/** Everything a running simulator shares between requests. */
export interface SimulatorState {
  environments: Map<string, Environment>;
  faults: FaultInjector;
  stats: StatsRecorder;
  fidelity: Fidelity;
  clock: Clock;
  /** Called with unexpected internal errors (they are answered as Profit's "unexpected error"). */
  onError: (error: unknown) => void;
}

/** One request under `/ProfitRestServices`. */
export interface RequestContext {
  state: SimulatorState;
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Decoded path segments after `ProfitRestServices`. */
  segments: string[];
  /** Query parameters by lower-cased name (first value wins). */
  params: Map<string, string>;
  /** Environment id from a `/{envId}/ProfitRestServices` prefix. */
  envId: string | undefined;
  /** What the stats count this request under; routes fill it in. */
  label: { environment: string; connector: string };
  language: Language;
}

export interface Authenticated {
  env: Environment;
  principal: Principal;
}

export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

export function fail(ctx: RequestContext, fault: ProfitFault): void {
  sendFault(ctx.res, fault, {
    language: ctx.language,
    profitErrorHeader: ctx.state.fidelity.profitErrorHeader,
  });
}

/** The environment a request addresses by path prefix, else the one whose credentials it carries. */
export function environmentKey(
  state: SimulatorState,
  envId: string | undefined,
  authorization: string | undefined,
): string {
  if (envId !== undefined) return envId;
  const credentials = parseAuthorization(authorization);
  for (const env of state.environments.values()) {
    if (credentials.kind === 'token' && env.hasToken(credentials.data)) return env.id;
    if (credentials.kind === 'bearer' && env.hasAccessToken(credentials.token)) return env.id;
  }
  return '-';
}

const remoteIp = (req: IncomingMessage): string => (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');

/**
 * Checks the Authorization header (reference §1.3-§1.4, §5): 401 with an empty body for a missing
 * or unknown token, 500 (or 401) for a plain-text token, 403 for an IP restriction. Sends the
 * answer itself and returns undefined when the request may not proceed.
 */
export function authenticate(ctx: RequestContext): Authenticated | undefined {
  const { state } = ctx;
  const credentials = parseAuthorization(ctx.req.headers.authorization);
  const unauthorized = (): undefined => {
    send(ctx.res, 401);
    return undefined;
  };
  if (credentials.kind === 'plain') {
    const status = state.fidelity.plainTextTokenStatus;
    if (status === 401) return unauthorized();
    fail(ctx, messages.plainTextToken(status));
    return undefined;
  }
  if (credentials.kind !== 'token' && credentials.kind !== 'bearer') return unauthorized();
  const candidates =
    ctx.envId === undefined
      ? [...state.environments.values()]
      : [state.environments.get(ctx.envId)].filter((e) => e !== undefined);
  for (const env of candidates) {
    const principal =
      credentials.kind === 'token' ? env.byToken(credentials.data) : env.byAccessToken(credentials.token);
    if (principal === 'expired') return unauthorized();
    if (!principal) continue;
    ctx.label.environment = env.id;
    ctx.language = parseLanguage(ctx.req.headers['accept-language']) ?? env.defaultLanguage;
    const allowed = principal.appConnector.allowedIps;
    if (allowed && !allowed.includes(remoteIp(ctx.req))) {
      send(ctx.res, 403);
      return undefined;
    }
    return { env, principal };
  }
  return unauthorized();
}

/** Result of the faults applied before a request is processed. */
export interface PreFaults {
  /** A response was sent or the socket destroyed: stop. */
  handled: boolean;
  /** A commit-then-delay rule to apply after processing. */
  afterCommit?: FaultRule;
}

/** Applies maintenance, reset, latency and lock faults (in that order) before processing. */
export async function applyFaults(ctx: RequestContext, elements = 0): Promise<PreFaults> {
  const rules = ctx.state.faults.select({
    environment: ctx.label.environment,
    connector: ctx.label.connector,
    method: ctx.method,
    now: () => ctx.state.clock.now(),
  });
  const early = rules.find((r) => ANSWER_FAULTS.has(r.kind) && !commitsFirst(r));
  if (early?.kind === 'slowFirstByte') await sleep(early.ms ?? 5000);
  else if (early) {
    await answerFault(ctx, early);
    return { handled: true };
  }
  const maintenance = rules.find((r) => r.kind === 'maintenance');
  if (maintenance) {
    const retryAfter = maintenance.retryAfter ?? 7200;
    const headers: Record<string, string> = maintenance.retryAfterHeader
      ? { 'Retry-After': String(retryAfter) }
      : {};
    send(ctx.res, 503, {
      body: maintenance.body === false ? undefined : maintenanceBody(retryAfter),
      headers,
    });
    return { handled: true };
  }
  if (rules.some((r) => r.kind === 'reset')) {
    ctx.req.socket.destroy();
    return { handled: true };
  }
  for (const rule of rules.filter((r) => r.kind === 'latency')) {
    await sleep((rule.ms ?? 0) + (rule.perElementMs ?? 0) * elements);
  }
  const lock = rules.find((r) => r.kind === 'locked' || r.kind === 'rowLock');
  if (lock) {
    fail(
      ctx,
      lock.kind === 'locked' ? messages.bookingLayoutLocked() : messages.rowLocked(lock.user ?? 'AFAS'),
    );
    return { handled: true };
  }
  const afterCommit = rules.find(
    (r) => r.kind === 'commitThenDelay' || (ANSWER_FAULTS.has(r.kind) && commitsFirst(r)),
  );
  return { handled: false, afterCommit };
}

/** Sends a processed response, late or never when a commit-then-delay fault fired. */
export async function respondAfterCommit(
  ctx: RequestContext,
  rule: FaultRule | undefined,
  respond: () => void,
): Promise<void> {
  if (rule && rule.kind !== 'commitThenDelay') return answerFault(ctx, rule, respond);
  if (rule) {
    await sleep(rule.ms ?? 5000);
    if (rule.destroy) {
      ctx.req.socket.destroy();
      return;
    }
  }
  respond();
}
