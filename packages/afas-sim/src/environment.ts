import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import { SimDatabase } from './db.js';
import { type GetConnectorDef, getConnectorDefs } from './get-connectors.js';
import { SortCache } from './get-query.js';
import type { Language } from './language.js';
import { type GeneratedRows, generateRows, type RowSource, rowSource } from './row-source.js';
import { columnsOf, type TableName } from './schema.js';
import type { SeedAppConnector, SeedEnvironment, SeedToken } from './seed.js';
import { environmentConnectors } from './update/environment-connectors.js';
import { createUpdateEngine, type UpdateEngineOptions } from './update/index.js';
import type { UpdateEngine } from './update-engine.js';

/** Who a request acts as: the token's user and App Connector. */
export interface Principal {
  user: string;
  appConnector: SeedAppConnector;
}

interface AccessToken extends Principal {
  /** Date.now() after which the token is rejected. */
  expiresAt: number;
}

/** How an environment gets its UpdateConnector engine. */
export interface EnvironmentOptions {
  /** One engine for every environment (`startSimulator({ updateEngine })`); default a built-in engine over the environment's connectors. */
  engine?: UpdateEngine | undefined;
  /** Options of the built-in engine. */
  update?: UpdateEngineOptions | undefined;
}

/**
 * One simulated Profit environment: its database, credentials, App Connectors, GetConnectors and
 * UpdateConnectors (the catalog's, or its recorded metainfo, with the seed's free fields).
 */
export class Environment {
  readonly id: string;
  readonly seed: SeedEnvironment;
  readonly db: SimDatabase;
  readonly getConnectors: Map<string, GetConnectorDef>;
  readonly engine: UpdateEngine;
  readonly sortCache = new SortCache();
  readonly #generated = new Map<string, GeneratedRows>();
  readonly #tokens: Map<string, SeedToken>;
  readonly #accessTokens = new Map<string, AccessToken>();
  /** Journal entries per table seen so far, so a write to one table keeps other tables' sort caches. */
  readonly #writes = new Map<string, number>();
  #scanned = 0;
  #allUpdateIds: string[] | undefined;

  constructor(seed: SeedEnvironment, clock: Clock, options: EnvironmentOptions = {}) {
    this.id = seed.id;
    this.seed = seed;
    this.db = new SimDatabase(clock);
    const recorded = typeof seed.metainfo === 'object' ? seed.metainfo : undefined;
    this.getConnectors = getConnectorDefs(seed.getConnectors, recorded);
    this.engine =
      options.engine ??
      createUpdateEngine(
        options.update,
        environmentConnectors({ recorded, customFields: seed.customFields }),
      );
    this.#tokens = new Map((seed.tokens ?? []).map((t) => [t.data.toLowerCase(), t]));
    for (const [table, count] of Object.entries(seed.generate ?? {}) as [TableName, number][]) {
      this.#generated.set(table, generateRows(columnsOf(table), count));
    }
    this.reset();
  }

  get defaultLanguage(): Language {
    return this.seed.defaultLanguage ?? 'nl-nl';
  }

  get profitVersion(): string {
    return this.seed.profitVersion ?? '22.22.5';
  }

  /** Tables back to the seed; journal, counters, sort caches and OAuth access tokens cleared. */
  reset(): void {
    this.db.clear();
    this.sortCache.clear();
    this.#writes.clear();
    this.#scanned = 0;
    this.#accessTokens.clear();
    for (const [table, rows] of Object.entries(this.seed.tables ?? {})) {
      this.db.seed(
        table,
        (rows ?? []).map((row) => ({ ...row })),
      );
    }
    for (const [id, rows] of Object.entries(this.seed.rows ?? {})) {
      this.db.seed(
        `get:${id}`,
        rows.map((row) => ({ ...row })),
      );
    }
  }

  /** The UpdateConnector ids an App Connector enables (`all` = every one the environment's engine has). */
  updateConnectorIds(app: SeedAppConnector): readonly string[] {
    const updates = app.updateConnectors;
    if (updates !== 'all') return updates ?? [];
    this.#allUpdateIds ??= this.engine.connectors().map((connector) => connector.id);
    return this.#allUpdateIds;
  }

  /** The rows a GetConnector over `table` reads: generated rows, then stored rows. */
  source(table: GetConnectorDef['table']): RowSource {
    return rowSource(this.db, table, {
      generated: this.#generated.get(table),
      version: this.#version(table),
    });
  }

  #version(table: string): number {
    const journal = this.db.journal();
    if (journal.length < this.#scanned) {
      this.#writes.clear();
      this.#scanned = 0;
    }
    for (; this.#scanned < journal.length; this.#scanned++) {
      const written = (journal[this.#scanned] as { table: string }).table;
      this.#writes.set(written, (this.#writes.get(written) ?? 0) + 1);
    }
    return this.#writes.get(table) ?? 0;
  }

  appConnector(name: string): SeedAppConnector | undefined {
    return this.seed.appConnectors?.find((app) => app.name === name);
  }

  /** The principal of a classic token's 64-hex data, if the token belongs to this environment. */
  byToken(data: string): Principal | undefined {
    const token = this.#tokens.get(data.toLowerCase());
    const app = token && this.appConnector(token.appConnector);
    return token && app ? { user: token.user, appConnector: app } : undefined;
  }

  hasToken(data: string): boolean {
    return this.#tokens.has(data.toLowerCase());
  }

  /** Issues an OAuth access token (client credentials) or returns undefined for unknown credentials. */
  issueAccessToken(clientId: string, clientSecret: string): { token: string; expiresIn: number } | undefined {
    const client = this.seed.oauthClients?.find(
      (c) => c.clientId === clientId && c.clientSecret === clientSecret,
    );
    const app = client && this.appConnector(client.appConnector);
    if (!client || !app) return undefined;
    const token = randomBytes(32).toString('hex');
    const expiresIn = client.expiresIn ?? 3600;
    this.#accessTokens.set(token, {
      user: client.user,
      appConnector: app,
      expiresAt: Date.now() + expiresIn * 1000,
    });
    return { token, expiresIn };
  }

  /** The principal of a Bearer token: undefined when unknown, `expired` when past its lifetime. */
  byAccessToken(token: string): Principal | 'expired' | undefined {
    const hit = this.#accessTokens.get(token);
    if (!hit) return undefined;
    if (Date.now() >= hit.expiresAt) return 'expired';
    return { user: hit.user, appConnector: hit.appConnector };
  }

  hasAccessToken(token: string): boolean {
    return this.#accessTokens.has(token);
  }
}
