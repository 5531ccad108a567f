import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { FaultPlanError } from './errors.js';
import { JSON_TYPE } from './respond.js';

/** What a fault does (README "Fault plan"). */
export const FAULT_KINDS = [
  'latency',
  'maintenance',
  'locked',
  'rowLock',
  'reset',
  'commitThenDelay',
  'garbage200',
  'htmlLogin200',
  'resultsMissing201',
  'gatewayError',
  'hang',
  'slowFirstByte',
  'slowBody',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One rule of a fault plan: which requests it matches, when it fires, and what it does. */
export interface FaultRule {
  kind: FaultKind;
  /** Connector id (or endpoint: `metainfo`, `profitversion`, `subjectconnector`, …) or `*`; default `*`. */
  connector?: string;
  /** HTTP method or `*`; default `*`. */
  method?: string;
  /** Environment id or `*`; default `*`. */
  environment?: string;
  /** Fire only on the n-th matching request (1-based). */
  nth?: number;
  /** Fire on matching requests number `from`..`to` (1-based, inclusive; `to` defaults to no end). */
  from?: number;
  to?: number;
  /** Fire with this probability (0..1), drawn from the plan's seeded random generator. */
  probability?: number;
  /** Fire at most this many times. */
  times?: number;
  /** Fire only while the simulator clock (Amsterdam local `YYYY-MM-DDTHH:mm:ss`) is in [from, to). */
  window?: { from: string; to: string };
  /** latency: fixed delay in ms; commitThenDelay: delay after the commit in ms. Default 0 / 5000. */
  ms?: number;
  /** latency: extra ms per `Element` in the request body; default 0. */
  perElementMs?: number;
  /** maintenance: `retry_after` in seconds; default 7200. */
  retryAfter?: number;
  /** maintenance: send the JSON body (default true; Profit "can" omit it). */
  body?: boolean;
  /** maintenance: also send a `Retry-After` header; default false (no evidence Profit does). */
  retryAfterHeader?: boolean;
  /** commitThenDelay: destroy the socket after the delay instead of answering; default false. */
  destroy?: boolean;
  /** rowLock: the user named in `Deze regel is geblokkeerd door gebruiker {user}.`; default `AFAS`. */
  user?: string;
  /**
   * Answer faults (garbage200, htmlLogin200, resultsMissing201, gatewayError, hang, slowFirstByte):
   * process (commit) the request before answering. Default false for garbage200, htmlLogin200 and
   * hang (a proxy answered, nothing reached Profit), true for the others.
   */
  commit?: boolean;
  /** gatewayError: the status of the gateway's HTML page, 500..599; default 504. */
  status?: number;
  /** garbage200: the body; default a few bytes of non-JSON. */
  text?: string;
}

/** Faults that replace or delay the answer (a proxy or gateway in front of Profit, a slow network). */
export const ANSWER_FAULTS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'garbage200',
  'htmlLogin200',
  'resultsMissing201',
  'gatewayError',
  'hang',
  'slowFirstByte',
  'slowBody',
]);

/** Whether an answer fault lets the request be processed (committed) before it acts. */
export function commitsFirst(rule: FaultRule): boolean {
  if (rule.kind === 'slowBody') return true;
  return rule.commit ?? !['garbage200', 'htmlLogin200', 'hang'].includes(rule.kind);
}

const HTML_TYPE = 'text/html; charset=utf-8';

const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form method="post" action="/login"><h1>Sign in to continue</h1><input name="username"><input name="password" type="password"><button>Sign in</button></form></body></html>';

const GATEWAY_TITLES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
};

function gatewayPage(status: number): string {
  const title = `${status} ${GATEWAY_TITLES[status] ?? 'Server Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Writes a whole answer of `type` without the common Profit headers (a fault looks like a proxy's). */
function write(res: ServerResponse, status: number, { type, body }: { type: string; body: string }): void {
  if (res.headersSent || res.destroyed) return;
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(payload.length) });
  res.end(payload);
}

/**
 * Acts out an answer fault. `respond` sends the simulator's real answer (after the commit); it is
 * undefined when the fault fires before processing. Resolves when the fault has answered (for
 * `hang`: when the client gave up and closed the socket, or the simulator closed).
 */
export async function answerFault(
  { req, res }: { req: IncomingMessage; res: ServerResponse },
  rule: FaultRule,
  respond?: () => void,
): Promise<void> {
  switch (rule.kind) {
    case 'garbage200':
      write(res, 200, { type: JSON_TYPE, body: rule.text ?? 'OK\u0000\u0001garbage{' });
      return;
    case 'htmlLogin200':
      write(res, 200, { type: HTML_TYPE, body: LOGIN_PAGE });
      return;
    case 'resultsMissing201':
      write(res, 201, { type: JSON_TYPE, body: '{}' });
      return;
    case 'gatewayError':
      if (rule.ms) await sleep(rule.ms);
      write(res, rule.status ?? 504, { type: HTML_TYPE, body: gatewayPage(rule.status ?? 504) });
      return;
    case 'hang':
      // Read and drop the rest of the request; never answer, until the client gives up.
      req.resume();
      if (!req.socket.destroyed) await new Promise((resolve) => req.socket.once('close', resolve));
      return;
    case 'slowFirstByte':
      await sleep(rule.ms ?? 5000);
      respond?.();
      return;
    case 'slowBody': {
      const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
      const ms = rule.ms ?? 5000;
      res.end = ((chunk?: unknown) => {
        const bytes =
          chunk === undefined || typeof chunk === 'function'
            ? Buffer.alloc(0)
            : Buffer.isBuffer(chunk)
              ? chunk
              : Buffer.from(String(chunk), 'utf8');
        const half = Math.ceil(bytes.length / 2);
        res.write(bytes.subarray(0, half));
        setTimeout(() => {
          if (!res.destroyed) end(bytes.subarray(half));
        }, ms);
        return res;
      }) as typeof res.end;
      respond?.();
      return;
    }
    default:
      respond?.();
  }
}

export interface FaultPlan {
  /** Seed of the random generator behind `probability`; default 1. Same seed + same requests = same faults. */
  seed?: number;
  rules: FaultRule[];
}

/** The request a fault plan is matched against. */
export interface FaultTarget {
  environment: string;
  connector: string;
  method: string;
  /** Simulator clock now (called only when a rule has a window). */
  now: () => string;
}

/** A small seeded PRNG (mulberry32), so `probability` faults replay identically. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const matches = (pattern: string | undefined, value: string): boolean =>
  pattern === undefined || pattern === '*' || pattern === value;

/** Decides, request by request, which fault rules fire. */
export class FaultInjector {
  #plan: FaultPlan = { rules: [] };
  #seen: number[] = [];
  #fired: number[] = [];
  #random: () => number = mulberry32(1);

  constructor(plan?: FaultPlan) {
    if (plan) this.replace(plan);
  }

  /** Replaces the plan and restarts every counter and the random generator. */
  replace(plan: FaultPlan): void {
    validateFaultPlan(plan, 'object');
    this.#plan = plan;
    this.reset();
  }

  plan(): FaultPlan {
    return this.#plan;
  }

  /** Restarts counters and the random generator, keeping the plan. */
  reset(): void {
    this.#seen = this.#plan.rules.map(() => 0);
    this.#fired = this.#plan.rules.map(() => 0);
    this.#random = mulberry32(this.#plan.seed ?? 1);
  }

  /** The rules that fire for this request (each matching rule counts the request once). */
  select(target: FaultTarget): FaultRule[] {
    const firing: FaultRule[] = [];
    this.#plan.rules.forEach((rule, r) => {
      if (!matches(rule.connector, target.connector)) return;
      if (!matches(rule.method?.toUpperCase(), target.method)) return;
      if (!matches(rule.environment, target.environment)) return;
      const count = (this.#seen[r] ?? 0) + 1;
      this.#seen[r] = count;
      if (rule.nth !== undefined && count !== rule.nth) return;
      if (rule.from !== undefined && (count < rule.from || count > (rule.to ?? Number.POSITIVE_INFINITY)))
        return;
      if (rule.window) {
        const now = target.now();
        if (!(now >= rule.window.from && now < rule.window.to)) return;
      }
      if (rule.times !== undefined && (this.#fired[r] ?? 0) >= rule.times) return;
      if (rule.probability !== undefined && !(this.#random() < rule.probability)) return;
      this.#fired[r] = (this.#fired[r] ?? 0) + 1;
      firing.push(rule);
    });
    return firing;
  }
}

const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 1;
const isMs = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Checks a plan and reports every problem with its path. */
export function validateFaultPlan(plan: unknown, source: string): asserts plan is FaultPlan {
  const problems: string[] = [];
  const p = plan as FaultPlan | null;
  if (!p || typeof p !== 'object' || !Array.isArray(p.rules)) {
    throw new FaultPlanError(source, ['rules: expected a list of fault rules']);
  }
  if (p.seed !== undefined && !Number.isInteger(p.seed))
    problems.push(`seed: expected an integer, got ${JSON.stringify(p.seed)}`);
  p.rules.forEach((rule, r) => {
    const at = `rules[${r}]`;
    if (!(FAULT_KINDS as readonly string[]).includes(rule?.kind)) {
      problems.push(
        `${at}.kind: expected one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(rule?.kind)}`,
      );
    }
    for (const key of ['nth', 'from', 'to', 'times'] as const) {
      if (rule?.[key] !== undefined && !isCount(rule[key]))
        problems.push(`${at}.${key}: expected a whole number >= 1, got ${JSON.stringify(rule[key])}`);
    }
    if (
      rule?.status !== undefined &&
      !(Number.isInteger(rule.status) && rule.status >= 500 && rule.status <= 599)
    )
      problems.push(`${at}.status: expected a 5xx status, got ${JSON.stringify(rule.status)}`);
    if (rule?.commit !== undefined && typeof rule.commit !== 'boolean')
      problems.push(`${at}.commit: expected true or false, got ${JSON.stringify(rule.commit)}`);
    if (rule?.text !== undefined && typeof rule.text !== 'string')
      problems.push(`${at}.text: expected a string, got ${JSON.stringify(rule.text)}`);
    for (const key of ['ms', 'perElementMs', 'retryAfter'] as const) {
      if (rule?.[key] !== undefined && !isMs(rule[key]))
        problems.push(`${at}.${key}: expected a number >= 0, got ${JSON.stringify(rule[key])}`);
    }
    if (rule?.probability !== undefined && !(isMs(rule.probability) && rule.probability <= 1)) {
      problems.push(
        `${at}.probability: expected a number from 0 to 1, got ${JSON.stringify(rule.probability)}`,
      );
    }
    if (
      rule?.window !== undefined &&
      (typeof rule.window?.from !== 'string' || typeof rule.window?.to !== 'string')
    ) {
      problems.push(`${at}.window: expected { from, to } as local datetimes YYYY-MM-DDTHH:mm:ss`);
    }
  });
  if (problems.length > 0) throw new FaultPlanError(source, problems);
}

/** Loads a fault plan from an object or a YAML/JSON file path. */
export function loadFaultPlan(plan: FaultPlan | string): FaultPlan {
  if (typeof plan !== 'string') {
    validateFaultPlan(plan, 'object');
    return plan;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(plan, 'utf8'));
  } catch (error) {
    throw new FaultPlanError(plan, [(error as Error).message], { cause: error });
  }
  validateFaultPlan(parsed, plan);
  return parsed;
}
