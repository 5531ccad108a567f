import { type AuthStrategy, resolveAuth } from './auth.js';
import { classify } from './classify.js';
import {
  type AuthOptions,
  type ConnectionOptions,
  type ResolvedConnection,
  resolveConnection,
} from './connection-options.js';
import { AfasOptionsError, AfasResponseError } from './errors.js';
import type { Filter } from './filter.js';
import { toWireFilter } from './filter.js';
import {
  type GetOptions,
  type GetPage,
  type GetReader,
  getPage,
  type PagedOptions,
  pages,
  rows,
} from './get-connector.js';
import { buildGetQuery, type GetQuery, planFilter } from './get-query.js';
import {
  type HttpMethod,
  type HttpResult,
  type PendingRequest,
  type RequestSpec,
  Transport,
} from './http.js';
import type { AppMetainfo, GetMetainfo, UpdateMetainfo } from './metainfo-types.js';
import { type SliceOptions, sliced } from './slices.js';
import type { Row } from './typed-row.js';
import { buildUpdateBody, type ElementSpec, type UpdateBody } from './update-payload.js';
import { checkUpdateAnswer, type UpdateAnswer, type UpdateResults } from './update-results.js';
import { connectorPath, type DeleteLevel, deletePath } from './update-url.js';

/** Options of an AfasClient. */
export interface AfasClientOptions extends ConnectionOptions {
  /** Token (any pasted form), OAuth client credentials, or a custom AuthStrategy. */
  auth: AuthOptions;
  /** Extra attempts for GET requests that fail with a retryable error (503, lock, network); default 2. */
  readRetries?: number;
  /** Base delay of the GET retry backoff in milliseconds; default 500. */
  retryBaseDelayMs?: number;
  /** Longest wait before a GET retry in milliseconds; a longer 503 retry_after is thrown instead; default 30000. */
  maxRetryDelayMs?: number;
}

/** Body of an UpdateConnector call: element specs (the root comes from update metainfo) or a ready body. */
export type UpdateInput = { element: ElementSpec | ElementSpec[] } | { body: UpdateBody };

/** Per-call options of writes. */
export interface WriteOptions {
  /** Abort signal; aborting after the request was sent leaves the outcome uncertain. */
  signal?: AbortSignal;
}

/** One UpdateConnector request as planned elsewhere (e.g. core's `buildRequest`). */
export interface UpdateRequest {
  method: 'POST' | 'PUT' | 'DELETE';
  /** Path relative to the base URL, e.g. `/connectors/FiEntries`. */
  path: string;
  /** JSON text body; undefined for DELETE. */
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Options of `delete`. */
export interface DeleteOptions extends WriteOptions {
  /** Element segment after the connector; default the root name from update metainfo. */
  element?: string;
  /** Prefix key names with `@`; default true. */
  at?: boolean;
  /** Nested levels, e.g. `[{ element: 'FiEntries', keys: { EnNo: 70001 } }]`. */
  nested?: DeleteLevel[];
}

/** A file returned by the subject, file, image or report connector. */
export interface AfasFile {
  filename?: string;
  mimetype: string;
  data: Buffer;
}

/** Image sizes of the image connector. */
export type ImageSize = 'original' | 'thumbnail' | 'medium';
const IMAGE_FORMAT: Record<ImageSize, number> = { original: 0, thumbnail: 1, medium: 2 };

function nonNegativeInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw new AfasOptionsError(`Expected \`${name}\` to be an integer >= 0, got ${value}.`);
  return value;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const seg = encodeURIComponent;

/** A typed client of one AFAS Profit environment. */
export class AfasClient implements GetReader {
  readonly connection: ResolvedConnection;
  readonly #transport: Transport;
  readonly #readRetries: number;
  readonly #retryBaseDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #cache = new Map<string, Promise<unknown>>();

  constructor(options: AfasClientOptions) {
    this.connection = resolveConnection(options);
    const auth: AuthStrategy = resolveAuth(options.auth);
    this.#readRetries = nonNegativeInt('readRetries', options.readRetries, 2);
    this.#retryBaseDelayMs = nonNegativeInt('retryBaseDelayMs', options.retryBaseDelayMs, 500);
    this.#maxRetryDelayMs = nonNegativeInt('maxRetryDelayMs', options.maxRetryDelayMs, 30_000);
    this.#transport = new Transport(this.connection, auth);
  }

  /** The REST base URL, e.g. `https://12345.rest.afas.online/ProfitRestServices`. */
  get baseUrl(): string {
    return this.connection.baseUrl;
  }

  /** Send a request (no retries); non-2xx throws ProfitError. The body is not checked. */
  request(
    method: HttpMethod,
    path: string,
    options: { body?: string; signal?: AbortSignal; timeouts?: RequestSpec['timeouts'] } = {},
  ): Promise<HttpResult> {
    return this.#transport.request({
      method,
      path,
      body: options.body,
      signal: options.signal,
      timeouts: options.timeouts,
    });
  }

  /**
   * Send one UpdateConnector request (no retries) and check the answer: 200/201 with an empty body
   * or AFAS's `results` JSON, else AfasUnverifiedAnswerError (see `checkUpdateAnswer`).
   */
  async write(request: UpdateRequest): Promise<UpdateAnswer> {
    const result = await this.#transport.request({
      method: request.method,
      path: request.path,
      body: request.body,
      signal: request.signal,
    });
    return checkUpdateAnswer({ ...result, method: request.method, url: this.baseUrl + request.path });
  }

  /** Requests of this client in flight now, with their phase and when it times out (for progress lines). */
  pending(): PendingRequest[] {
    return this.#transport.pending();
  }

  async #getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { text } = await this.#transport.request({ method: 'GET', path, signal });
        try {
          return JSON.parse(text) as T;
        } catch (error) {
          throw new AfasResponseError(
            `Expected JSON from GET ${path}, got ${text.length} characters of non-JSON.`,
            { cause: error },
          );
        }
      } catch (error) {
        if (attempt > this.#readRetries || signal?.aborted) throw error;
        const verdict = classify(error, { method: 'GET', attempt });
        if (verdict.action !== 'retry' && verdict.action !== 'wait') throw error;
        const delay =
          verdict.action === 'wait' && verdict.delayMs !== undefined
            ? verdict.delayMs
            : Math.floor(Math.random() * this.#retryBaseDelayMs * 2 ** (attempt - 1));
        if (delay > this.#maxRetryDelayMs) throw error;
        await sleep(delay, signal);
      }
    }
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let entry = this.#cache.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = load();
      entry.catch(() => this.#cache.delete(key));
      this.#cache.set(key, entry);
    }
    return entry;
  }

  /** `GET /metainfo`: the connectors of the App Connector (cached). */
  metainfo(signal?: AbortSignal): Promise<AppMetainfo> {
    return this.#cached('app', () => this.#getJson<AppMetainfo>('/metainfo', signal));
  }

  /** `GET /metainfo/get/{id}`: the columns of a GetConnector (cached). */
  getMetainfo(connector: string, signal?: AbortSignal): Promise<GetMetainfo> {
    return this.#cached(`get:${connector}`, () =>
      this.#getJson<GetMetainfo>(`/metainfo/get/${seg(connector)}`, signal),
    );
  }

  /** `GET /metainfo/update/{id}`: fields, objects and code tables of an UpdateConnector (cached). */
  updateMetainfo(connector: string, signal?: AbortSignal): Promise<UpdateMetainfo> {
    return this.#cached(`update:${connector}`, () =>
      this.#getJson<UpdateMetainfo>(`/metainfo/update/${seg(connector)}`, signal),
    );
  }

  /** The JSON root object of an UpdateConnector (FiEntries -> FiEntryPar), from update metainfo. */
  async rootName(connector: string, signal?: AbortSignal): Promise<string> {
    const meta = await this.updateMetainfo(connector, signal);
    if (typeof meta.name !== 'string' || meta.name === '') {
      throw new AfasResponseError(
        `Expected update metainfo of ${connector} to have a name (the root object), got none.`,
      );
    }
    return meta.name;
  }

  /** One raw GetConnector request (no splitting). */
  async fetchPage(connector: string, query: GetQuery, signal?: AbortSignal): Promise<GetPage> {
    const body = await this.#getJson<Partial<GetPage>>(
      `/connectors/${seg(connector)}${buildGetQuery(query)}`,
      signal,
    );
    if (!Array.isArray(body?.rows)) {
      throw new AfasResponseError(
        `Expected { rows: [...] } from GetConnector ${connector}, got ${typeof body}.`,
      );
    }
    return { skip: body.skip ?? query.skip ?? 0, take: body.take ?? query.take ?? 100, rows: body.rows };
  }

  /** One GetConnector call with skip/take (a too-long filter moves to filterjson or is split). */
  get<R extends Row = Row>(connector: string, options: GetOptions = {}): Promise<GetPage<R>> {
    return getPage(this, connector, options) as Promise<GetPage<R>>;
  }

  /** Every page of a sorted read (`orderBy` required; take sized so columns x take <= 150,000). */
  pages<R extends Row = Row>(connector: string, options: PagedOptions): AsyncGenerator<R[]> {
    return pages(this, connector, options) as AsyncGenerator<R[]>;
  }

  /** Every row of a sorted read: `for await (const row of client.rows(...))`. */
  rows<R extends Row = Row>(connector: string, options: PagedOptions): AsyncGenerator<R> {
    return rows(this, connector, options) as AsyncGenerator<R>;
  }

  /** Every row, read in parallel key ranges of a unique int/string key, yielded in key order. */
  slices<R extends Row = Row>(connector: string, options: SliceOptions): AsyncGenerator<R> {
    return sliced(this, connector, options) as AsyncGenerator<R>;
  }

  async #body(connector: string, input: UpdateInput, signal?: AbortSignal): Promise<string> {
    if ('body' in input) return JSON.stringify(input.body);
    return JSON.stringify(buildUpdateBody(await this.rootName(connector, signal), input.element));
  }

  async #write(request: UpdateRequest): Promise<UpdateResults | null> {
    return (await this.write(request)).results;
  }

  /** POST (insert); returns the keys AFAS generated, e.g. `{ FiEntryPar: { UnId: '1', EnNo: '54605' } }`, or null. */
  async insert(
    connector: string,
    input: UpdateInput,
    options: WriteOptions = {},
  ): Promise<UpdateResults | null> {
    const body = await this.#body(connector, input, options.signal);
    return this.#write({ method: 'POST', path: connectorPath(connector), body, signal: options.signal });
  }

  /** PUT (update); returns parsed results or null. */
  async update(
    connector: string,
    input: UpdateInput,
    options: WriteOptions = {},
  ): Promise<UpdateResults | null> {
    const body = await this.#body(connector, input, options.signal);
    return this.#write({ method: 'PUT', path: connectorPath(connector), body, signal: options.signal });
  }

  /** POST `/connectors/{connector}/{subObject}`: update the main object, insert the sub-object (`input.signal` optional). */
  async insertSub(
    connector: string,
    subObject: string,
    input: UpdateInput & WriteOptions,
  ): Promise<UpdateResults | null> {
    const path = connectorPath(connector, subObject);
    const body = await this.#body(connector, input, input.signal);
    return this.#write({ method: 'POST', path, body, signal: input.signal });
  }

  /** DELETE `/connectors/{connector}/{Element}/@K1,@K2/v1,v2[/…]`; the element defaults to the root name. */
  async delete(
    connector: string,
    keys: Record<string, string | number>,
    options: DeleteOptions = {},
  ): Promise<UpdateResults | null> {
    const element = options.element ?? (await this.rootName(connector, options.signal));
    const levels: DeleteLevel[] = [{ element, keys, at: options.at ?? true }, ...(options.nested ?? [])];
    return this.#write({ method: 'DELETE', path: deletePath(connector, levels), signal: options.signal });
  }

  /** `GET /profitversion`, e.g. `22.22.5`. */
  async profitVersion(signal?: AbortSignal): Promise<string> {
    const body = await this.#getJson<{ version?: unknown }>('/profitversion', signal);
    if (typeof body?.version !== 'string')
      throw new AfasResponseError('Expected { version } from /profitversion, got something else.');
    return body.version;
  }

  async #file(path: string, signal?: AbortSignal): Promise<AfasFile> {
    const body = await this.#getJson<{ filename?: unknown; mimetype?: unknown; filedata?: unknown }>(
      path,
      signal,
    );
    if (typeof body?.filedata !== 'string') {
      throw new AfasResponseError(`Expected { filedata } from GET ${path.split('?')[0]}, got none.`);
    }
    const file: AfasFile = {
      mimetype: typeof body.mimetype === 'string' ? body.mimetype : 'application/octet-stream',
      data: Buffer.from(body.filedata, 'base64'),
    };
    if (typeof body.filename === 'string') file.filename = body.filename;
    return file;
  }

  /** A dossier attachment: `GET /subjectconnector/{subjectId}/{fileId}`. */
  subjectFile(subjectId: string | number, fileId: string, signal?: AbortSignal): Promise<AfasFile> {
    return this.#file(`/subjectconnector/${seg(String(subjectId))}/${seg(fileId)}`, signal);
  }

  /** A file by id and its original name (percent-encoded): `GET /fileconnector/{fileId}/{fileName}`. */
  file(fileId: string, fileName: string, signal?: AbortSignal): Promise<AfasFile> {
    return this.#file(`/fileconnector/${seg(fileId)}/${seg(fileName)}`, signal);
  }

  /** An image: `GET /imageconnector/{id}?format=0|1|2` (original, thumbnail <= 64x64, medium <= 1000x1000). */
  image(
    imageId: string | number,
    size: ImageSize | 0 | 1 | 2 = 'original',
    signal?: AbortSignal,
  ): Promise<AfasFile> {
    const format =
      typeof size === 'number' && [0, 1, 2].includes(size) ? size : IMAGE_FORMAT[size as ImageSize];
    if (format === undefined)
      throw new AfasOptionsError(
        `Expected image size original, thumbnail or medium, got ${JSON.stringify(size)}.`,
      );
    return this.#file(`/imageconnector/${seg(String(imageId))}?format=${format}`, signal);
  }

  /** A report as a file (usually PDF): `GET /reportconnector/{guid}` with optional filters on report fields. */
  report(reportId: string, filter?: Filter, signal?: AbortSignal): Promise<AfasFile> {
    const wire = toWireFilter(filter);
    const part = planFilter(wire).parts;
    if (part.length > 1)
      throw new AfasOptionsError(
        'Expected a report filter that fits in one URL, got one that needs splitting.',
      );
    const query = buildGetQuery({ filter: wire, mode: part[0]?.mode });
    return this.#file(`/reportconnector/${seg(reportId)}${query}`, signal);
  }

  /** Forget cached metainfo (idempotent). */
  close(): void {
    this.#cache.clear();
  }
}

/** Create a client; options are validated before any I/O. */
export function createAfasClient(options: AfasClientOptions): AfasClient {
  return new AfasClient(options);
}
