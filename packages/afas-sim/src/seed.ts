import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { CATALOG } from './catalog/index.js';
import type { Row } from './db.js';
import { SeedError } from './errors.js';
import { LANGUAGES, type Language, type Texts } from './language.js';
import { TABLES, type TableName } from './schema.js';

/** Special connectors an App Connector can enable (reference §6). */
export const SPECIAL_CONNECTORS = [
  'AppConnectorVersion',
  'AppConnectorSubject',
  'AppConnectorImage',
  'AppConnectorReport',
] as const;
export type SpecialConnector = (typeof SPECIAL_CONNECTORS)[number];

/** A classic token: `<token><version>1</version><data>HEX</data></token>`. */
export interface SeedToken {
  /** The 64 hex characters inside `<data>`. */
  data: string;
  /** The Profit user the token belongs to, e.g. `12345.KOPPEL`. */
  user: string;
  /** Name of the App Connector the token was issued for. */
  appConnector: string;
}

export interface SeedAppConnector {
  /** Shown as `info.appName` in `/metainfo`. */
  name: string;
  /** Authorisation group shown in `info.group`; default `AuthorizationGroup 101`. */
  group?: string;
  /** UpdateConnector ids enabled in this App Connector, or `all` for every catalogued one (169). */
  updateConnectors?: string[] | 'all';
  /** GetConnector ids enabled in this App Connector. */
  getConnectors?: string[];
  /** GetConnectors that are listed but blocked by AFAS (answer 500 "blocked"). */
  blockedGetConnectors?: string[];
  /** Special connectors enabled (AppConnectorVersion, AppConnectorSubject, …). */
  specialConnectors?: SpecialConnector[];
  /** When set, only these client IP addresses are allowed; anything else gets 403. */
  allowedIps?: string[];
}

export interface SeedOAuthClient {
  clientId: string;
  clientSecret: string;
  user: string;
  appConnector: string;
  /** Lifetime of issued access tokens in seconds; default 3600 (0 issues already-expired tokens). */
  expiresIn?: number;
}

/** One OTP registration: `/otpvalidation` with these values returns `token`. */
export interface SeedOtp {
  apiKey: string;
  apiToken: string;
  userId: string;
  /** The one-time code the user "received". */
  code: string;
  /** The 64-hex token data handed out on success (must be one of `tokens`). */
  token: string;
}

/** A GetConnector defined by the seed over one of the simulator tables. */
export interface SeedGetConnector {
  id: string;
  description?: string | Texts;
  table: TableName;
  /** Column ids to expose, in order; default every column of the table. */
  columns?: string[];
}

export interface SeedEnvironment {
  /** Numeric environment id used in URLs, e.g. `12345`. */
  id: string;
  /** Environment code reported as `info.envid`, e.g. `T12345AA`. */
  envCode: string;
  /** Language used without (or with an unknown) Accept-Language; default `nl-nl`. */
  defaultLanguage?: Language;
  /** Reported by `/profitversion`; default `22.22.5`. */
  profitVersion?: string;
  tokens?: SeedToken[];
  appConnectors?: SeedAppConnector[];
  oauthClients?: SeedOAuthClient[];
  otp?: SeedOtp[];
  getConnectors?: SeedGetConnector[];
  /** Rows per table; column names as in `schema.ts`. */
  tables?: Partial<Record<TableName, Row[]>>;
  /** Deterministically generated read-only rows per table (e.g. `bench_rows: 1000000`). */
  generate?: Partial<Record<TableName, number>>;
}

export interface Seed {
  environments: SeedEnvironment[];
}

/** The seed used when none is given: `seeds/demo.yaml`. */
export const DEMO_SEED_PATH = fileURLToPath(new URL('../seeds/demo.yaml', import.meta.url));

/** Loads a seed from an object or a YAML/JSON file path and validates it (every problem at once). */
export function loadSeed(seed: Seed | string = DEMO_SEED_PATH): Seed {
  if (typeof seed !== 'string') {
    validateSeed(seed, 'object');
    return seed;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(seed, 'utf8'));
  } catch (error) {
    throw new SeedError(seed, [(error as Error).message], { cause: error });
  }
  validateSeed(parsed, seed);
  return parsed;
}

/** The UpdateConnector ids an App Connector enables (`all` = every catalogued one). */
export function updateConnectorsOf(app: SeedAppConnector): string[] {
  const updates = app.updateConnectors;
  return updates === 'all' ? Object.keys(CATALOG.connectors) : (updates ?? []);
}

const isHex64 = (value: unknown): boolean => typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value);

function validateSeed(seed: unknown, source: string): asserts seed is Seed {
  const problems: string[] = [];
  const environments = (seed as Seed | undefined)?.environments;
  if (!Array.isArray(environments) || environments.length === 0) {
    throw new SeedError(source, ['environments: expected a non-empty list']);
  }
  environments.forEach((env, e) => {
    const at = `environments[${e}]`;
    if (typeof env?.id !== 'string' || !/^\d+$/.test(env.id)) {
      problems.push(`${at}.id: expected a numeric string such as "12345", got ${JSON.stringify(env?.id)}`);
    }
    if (typeof env?.envCode !== 'string')
      problems.push(`${at}.envCode: expected a string such as "T12345AA"`);
    if (env?.defaultLanguage && !(LANGUAGES as readonly string[]).includes(env.defaultLanguage)) {
      problems.push(
        `${at}.defaultLanguage: expected one of ${LANGUAGES.join(', ')}, got ${env.defaultLanguage}`,
      );
    }
    const apps = new Set((env?.appConnectors ?? []).map((app) => app.name));
    (env?.tokens ?? []).forEach((token, t) => {
      if (!isHex64(token.data)) problems.push(`${at}.tokens[${t}].data: expected 64 hex characters`);
      if (!apps.has(token.appConnector)) {
        problems.push(
          `${at}.tokens[${t}].appConnector: no App Connector named ${JSON.stringify(token.appConnector)}`,
        );
      }
    });
    (env?.oauthClients ?? []).forEach((client, c) => {
      if (!apps.has(client.appConnector)) {
        problems.push(
          `${at}.oauthClients[${c}].appConnector: no App Connector named ${JSON.stringify(client.appConnector)}`,
        );
      }
    });
    (env?.appConnectors ?? []).forEach((app, a) => {
      const updates = app.updateConnectors;
      if (updates !== undefined && updates !== 'all' && !Array.isArray(updates)) {
        problems.push(`${at}.appConnectors[${a}].updateConnectors: expected a list of ids or all`);
      }
      for (const id of Array.isArray(updates) ? updates : []) {
        if (!CATALOG.connectors[id]) {
          problems.push(
            `${at}.appConnectors[${a}].updateConnectors: ${JSON.stringify(id)} is not an UpdateConnector AFAS documents`,
          );
        }
      }
      for (const special of app.specialConnectors ?? []) {
        if (!(SPECIAL_CONNECTORS as readonly string[]).includes(special)) {
          problems.push(
            `${at}.appConnectors[${a}].specialConnectors: unknown ${special}, expected one of ${SPECIAL_CONNECTORS.join(', ')}`,
          );
        }
      }
    });
    for (const [table, rows] of Object.entries(env?.tables ?? {})) {
      const columns = TABLES[table as TableName];
      if (!columns) {
        problems.push(
          `${at}.tables.${table}: unknown table, expected one of ${Object.keys(TABLES).join(', ')}`,
        );
        continue;
      }
      const known = new Set(columns.map((column) => column.id));
      (rows ?? []).forEach((row, r) => {
        for (const key of Object.keys(row ?? {})) {
          if (!known.has(key)) problems.push(`${at}.tables.${table}[${r}].${key}: unknown column`);
        }
      });
    }
    for (const [table, count] of Object.entries(env?.generate ?? {})) {
      if (!TABLES[table as TableName]) problems.push(`${at}.generate.${table}: unknown table`);
      if (!Number.isInteger(count) || (count as number) < 0) {
        problems.push(`${at}.generate.${table}: expected a whole number >= 0, got ${JSON.stringify(count)}`);
      }
    }
    (env?.getConnectors ?? []).forEach((conn, g) => {
      const columns = TABLES[conn.table];
      if (!columns)
        problems.push(`${at}.getConnectors[${g}].table: unknown table ${JSON.stringify(conn.table)}`);
      for (const column of conn.columns ?? []) {
        if (columns && !columns.some((c) => c.id === column)) {
          problems.push(`${at}.getConnectors[${g}].columns: unknown column ${column} of ${conn.table}`);
        }
      }
    });
  });
  if (problems.length > 0) throw new SeedError(source, problems);
}
