import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { CATALOG } from './catalog/index.js';
import type { Row } from './db.js';
import { DEMO_TOKEN } from './demo.js';
import { SeedError } from './errors.js';
import { builtinTable } from './get-connectors.js';
import { LANGUAGES, type Language, type Texts } from './language.js';
import { type RecordedMetainfo, readRecordedMetainfo, recordedEnvironmentId } from './recorded.js';
import { TABLES, type TableName } from './schema.js';
import { customFieldProblems, type SeedCustomField } from './update/custom-fields.js';
import { baseSpec } from './update/environment-connectors.js';

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
  /** UpdateConnector ids enabled in this App Connector, or `all` for every one of the environment (the 169 catalogued, or the recorded ones). */
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
  /**
   * Metainfo recorded by `koppel metainfo pull --out DIR`: the folder (relative to the seed file)
   * or its loaded contents. The environment's UpdateConnectors and GetConnectors and their metainfo
   * are then the recording's instead of the catalog's and the built-in tables'; default none.
   */
  metainfo?: string | RecordedMetainfo;
  /** Free fields the environment adds to UpdateConnectors, by connector id (`KnPerson: [{ id: U1234ABCD, length: 20 }]`). */
  customFields?: Record<string, SeedCustomField[]>;
  /** Rows of recorded GetConnectors that read no simulator table, by GetConnector id (keys = its field ids). */
  rows?: Record<string, Row[]>;
}

export interface Seed {
  environments: SeedEnvironment[];
}

/** Options of `loadSeed`. */
export interface LoadSeedOptions {
  /** A recorded metainfo folder (relative to the working directory) for every environment that names none (`koppel sim --seed F --metainfo DIR`). */
  metainfo?: string;
}

/** The seed used when none is given: `seeds/demo.yaml`. */
export const DEMO_SEED_PATH = fileURLToPath(new URL('../seeds/demo.yaml', import.meta.url));

/**
 * Loads a seed from an object or a YAML/JSON file path and validates it (every problem at once).
 * A recorded `metainfo` folder is read here (relative to the seed file; to the working directory
 * for an object), so the seed returned holds the recording itself.
 */
export function loadSeed(seed: Seed | string = DEMO_SEED_PATH, options: LoadSeedOptions = {}): Seed {
  let parsed: unknown = seed;
  if (typeof seed === 'string') {
    try {
      parsed = parseYaml(readFileSync(seed, 'utf8'));
    } catch (error) {
      throw new SeedError(seed, [(error as Error).message], { cause: error });
    }
  }
  const source = typeof seed === 'string' ? seed : 'object';
  const base = typeof seed === 'string' ? dirname(seed) : process.cwd();
  const fallback = options.metainfo === undefined ? undefined : resolve(options.metainfo);
  const loaded = withRecordings(parsed, base, fallback);
  validateSeed(loaded, source);
  return loaded;
}

/** The seed with every environment's `metainfo` folder read (the input itself when none names one). */
function withRecordings(seed: unknown, base: string, fallback: string | undefined): unknown {
  const environments = (seed as Seed | undefined)?.environments;
  if (!Array.isArray(environments)) return seed;
  if (fallback === undefined && !environments.some((env) => typeof env?.metainfo === 'string')) return seed;
  return {
    ...(seed as Seed),
    environments: environments.map((env) => {
      const folder = env?.metainfo ?? fallback;
      return typeof folder === 'string'
        ? { ...env, metainfo: readRecordedMetainfo(resolve(base, folder)) }
        : env;
    }),
  };
}

/**
 * A seed that serves a recorded environment as it is: one environment with the recording's id,
 * envid, App Connector (name and group as recorded, every recorded UpdateConnector and
 * GetConnector) and default language, reached with the demo token (`DEMO_TOKEN`; a recording
 * never holds a token). GetConnectors answer no rows.
 */
export function recordedSeed(dir: string): Seed {
  const recorded = readRecordedMetainfo(dir);
  const info = recorded.environment;
  const id = recordedEnvironmentId(info);
  const name = info.appName ?? 'Koppel';
  // `info.group` reads "{group} ({user})".
  const [, group = info.group, user = `${id}.KOPPEL`] = /^(.*) \(([^()]*)\)$/.exec(info.group ?? '') ?? [];
  return loadSeed({
    environments: [
      {
        id,
        envCode: info.environmentId ?? `T${id}AA`,
        defaultLanguage: info.languages[0] as Language,
        tokens: [{ data: DEMO_TOKEN, user, appConnector: name }],
        appConnectors: [
          {
            name,
            ...(group ? { group } : {}),
            updateConnectors: 'all',
            getConnectors: info.getConnectors.map((connector) => connector.id),
            specialConnectors: ['AppConnectorVersion'],
          },
        ],
        metainfo: recorded,
      },
    ],
  });
}

/** The UpdateConnector ids an environment has: the recorded ones, else every catalogued one. */
function environmentUpdateIds(env: SeedEnvironment): string[] {
  const recorded = env.metainfo;
  if (recorded && typeof recorded !== 'string') return Object.keys(recorded.update);
  return Object.keys(CATALOG.connectors);
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
    const recorded = typeof env?.metainfo === 'object' ? env.metainfo : undefined;
    const updateIds = new Set(env ? environmentUpdateIds(env) : []);
    (env?.appConnectors ?? []).forEach((app, a) => {
      const updates = app.updateConnectors;
      if (updates !== undefined && updates !== 'all' && !Array.isArray(updates)) {
        problems.push(`${at}.appConnectors[${a}].updateConnectors: expected a list of ids or all`);
      }
      for (const id of Array.isArray(updates) ? updates : []) {
        if (!updateIds.has(id)) {
          problems.push(
            `${at}.appConnectors[${a}].updateConnectors: ${JSON.stringify(id)} is not an UpdateConnector ${recorded ? 'the recording has' : 'AFAS documents'}`,
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
    for (const [id, fields] of Object.entries(env?.customFields ?? {})) {
      problems.push(...customFieldProblems(baseSpec(id, recorded), fields, `${at}.customFields.${id}`));
    }
    for (const [id, rows] of Object.entries(env?.rows ?? {})) {
      const fields = recorded ? Object.values(recorded.get[id] ?? {})[0]?.fields : undefined;
      if (!fields || builtinTable(id)) {
        problems.push(
          `${at}.rows.${id}: not a recorded GetConnector without a simulator table (seed built-in ones through tables)`,
        );
        continue;
      }
      const known = new Set(fields.map((field) => field.id));
      (Array.isArray(rows) ? rows : []).forEach((row, r) => {
        for (const key of Object.keys(row ?? {})) {
          if (!known.has(key)) problems.push(`${at}.rows.${id}[${r}].${key}: not a field of ${id}`);
        }
      });
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
