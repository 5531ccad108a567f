/**
 * The one source of truth for the shape of a job file. `scripts/generate-schema.ts` writes
 * `schemas/job.schema.json` and `job-types.generated.ts` from it; a test fails when either drifts.
 * Every option carries a description (with units) and, when optional, its default.
 */

const language = {
  type: 'string',
  enum: ['nl-nl', 'nl-be', 'en-us', 'fr-fr', 'de-de'],
  description: 'Accept-Language sent to AFAS; drives labels, messages and the code values of coded fields.',
  default: 'nl-nl',
} as const;

const encoding = {
  type: 'string',
  enum: ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'iso-8859-1', 'iso-8859-15'],
  description:
    'Text encoding of the file; auto: a BOM, else decided from every byte of the file (valid UTF-8, or a single-byte encoding only when Windows-1252, ISO-8859-1 and ISO-8859-15 read it the same), else refused naming the candidates.',
  default: 'auto',
} as const;

const invalidBytes = {
  type: 'string',
  enum: ['error', 'replace'],
  description:
    'Bytes invalid in the encoding: stop before anything is sent, with file:line:col and byte offset (error), or read them as U+FFFD (replace; needs a declared encoding).',
  default: 'error',
} as const;

const allowEmpty = {
  type: 'boolean',
  description:
    'Accept an input without records (0 bytes, a CSV header only, an empty array) as 0 records; otherwise the run stops with an error.',
  default: false,
} as const;

const gzip = {
  description: 'Gunzip the file: true, false, or auto by its magic bytes.',
  anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['auto'] }],
  default: 'auto',
} as const;

const path = { type: 'string', description: 'Path of the input file, relative to the job file.' } as const;

const decimalSeparator = {
  type: 'string',
  enum: ['.', ','],
  description:
    'Decimal separator of decimal values in this source (`,` for 12,50); without `thousands`, the other character is accepted as a thousands separator in groups of three, but a single group without decimals (1,234 with `.`) is refused as ambiguous.',
  default: '.',
} as const;

const thousandsSeparator = {
  type: 'string',
  enum: ['auto', '.', ',', ' ', "'", 'none'],
  description:
    'Thousands separator of decimal values: only this mark is accepted, in groups of three (a space also accepts a no-break space); none: no grouping; auto: the other mark than `decimal`, a space or a no-break space, but a single group without decimals (1,234 with decimal `.`) is refused as ambiguous.',
  default: 'auto',
} as const;

/** The `$id` of the job schema. */
export const JOB_SCHEMA_ID = 'https://koppel.dev/schemas/job.schema.json';
/** The `$id` of one connection (as a connections file holds it). */
export const CONNECTION_SCHEMA_ID = 'https://koppel.dev/schemas/connection.schema.json';

export const jobSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: JOB_SCHEMA_ID,
  title: 'Koppel job',
  description: 'A Koppel job: read records from a file, map them to AFAS Profit UpdateConnector payloads.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'name', 'connection', 'source', 'key', 'target'],
  properties: {
    $schema: { type: 'string', description: 'JSON Schema of this file, for editors.', default: '' },
    version: {
      type: 'integer',
      enum: [1],
      description: 'Version of the job language; always 1.',
      default: 1,
    },
    name: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9._-]*$',
      description: 'Name of the job (lower case, digits, `.`, `_`, `-`); names its ledger and state.',
    },
    description: { type: 'string', description: 'What the job does, for people.', default: '' },
    connection: {
      description:
        'The AFAS environment: a name from the connections file (koppel.yaml, ~/.koppel/connections.yaml or KOPPEL_CONNECTIONS) or the connection itself.',
      anyOf: [{ type: 'string', minLength: 1 }, { $ref: '#/definitions/connection' }],
    },
    source: { $ref: '#/definitions/source' },
    key: {
      type: 'string',
      minLength: 1,
      description:
        'Template of the stable record key, e.g. "{entry_no}"; with group_by it is taken from the first row of a document.',
    },
    target: { $ref: '#/definitions/target' },
    run: { $ref: '#/definitions/run' },
    verify: { $ref: '#/definitions/verify' },
    output: { $ref: '#/definitions/output' },
    incremental: { $ref: '#/definitions/incremental' },
    delivery: { $ref: '#/definitions/delivery' },
    state_dir: {
      type: 'string',
      description:
        'Directory of local state (delivery records, runs, watermarks), relative to the job file; empty: --state-dir, KOPPEL_STATE_DIR or the per-user state directory.',
      default: '',
    },
  },
  definitions: {
    delivery: {
      type: 'object',
      description:
        'What was delivered to this AFAS environment is remembered across runs, folders and job files, per UpdateConnector and delivery scope.',
      additionalProperties: false,
      properties: {
        scope: {
          type: 'string',
          pattern: '^([A-Za-z0-9][A-Za-z0-9._:/-]*)?$',
          description:
            'Name under which deliveries are remembered; jobs naming the same scope share them. Empty: the job name.',
          default: '',
        },
        mode: {
          type: 'string',
          enum: ['auto', 'once', 'changed', 'run'],
          description:
            'once: a key is sent at most once (inserts, e.g. FiEntries); changed: sent again when its payload changed (updates, MatchPer/MatchOga upserts); run: de-duplicated within a run and its resumes only; auto: by the method — changed for update and MatchPer/MatchOga, else once.',
          default: 'auto',
        },
      },
    },
    connection: {
      type: 'object',
      description: 'An AFAS Profit environment and how to authenticate to it.',
      additionalProperties: false,
      properties: {
        environment: {
          type: ['string', 'integer'],
          description: 'Environment number (e.g. 12345); the base URL is derived from it and `type`.',
        },
        type: {
          type: 'string',
          enum: ['production', 'test', 'accept', 'cursus'],
          description: 'Environment type: production (rest), test (resttest), accept (restaccept) or cursus.',
          default: 'production',
        },
        url: {
          type: 'string',
          description: 'Base URL ending in /ProfitRestServices; overrides environment and type (simulator).',
          default: '',
        },
        token: {
          type: 'string',
          description:
            'AfasToken: 64 hex characters, the token XML or its base64; prefer an environment variable or token_file to keep it out of the job.',
          default: '',
        },
        token_file: {
          type: 'string',
          description:
            'File holding the token, relative to the file that names it; surrounding whitespace is ignored.',
          default: '',
        },
        language,
        integration_id: {
          type: 'string',
          description: 'IntegrationId header for partner integrations (subscription_project).',
          default: '',
        },
      },
    },
    source: {
      type: 'object',
      description: 'Where the records come from: exactly one of csv, json, jsonl or get_connector (AFAS).',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: {
        csv: { $ref: '#/definitions/csv' },
        json: { $ref: '#/definitions/json' },
        jsonl: { $ref: '#/definitions/jsonl' },
        get_connector: { $ref: '#/definitions/get_connector' },
      },
    },
    csv: {
      type: 'object',
      description: 'A delimited text file, streamed.',
      additionalProperties: false,
      required: ['path'],
      properties: {
        path,
        encoding,
        invalid_bytes: invalidBytes,
        gzip,
        allow_empty: allowEmpty,
        delimiter: {
          type: 'string',
          minLength: 1,
          description: 'Field separator, or auto to detect `;`, `,`, tab or `|` from the first records.',
          default: 'auto',
        },
        quote: {
          type: 'string',
          maxLength: 1,
          description: 'Quote character; empty turns quoting off.',
          default: '"',
        },
        escape: {
          type: 'string',
          maxLength: 1,
          description: 'Character escaping a quote inside a quoted field; default the quote itself ("").',
          default: '"',
        },
        header: {
          description:
            'true: the first record is the header; false: columns are column_1, column_2, …; a list declares the column names (no header row).',
          anyOf: [
            { type: 'boolean' },
            { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
          ],
          default: true,
        },
        skip_lines: {
          type: 'integer',
          minimum: 0,
          description: 'Physical lines to skip before the header (or first record), e.g. a title line.',
          default: 0,
        },
        comment: {
          type: 'string',
          description: 'Lines starting with this text are skipped; empty: none.',
          default: '',
        },
        trim: {
          type: 'boolean',
          description: 'Remove spaces and tabs around every field and header name while reading.',
          default: false,
        },
        null_strings: {
          type: 'array',
          items: { type: 'string' },
          description: 'Field values read as null (missing), e.g. ["NULL"].',
          default: [],
        },
        ragged: {
          type: 'string',
          enum: ['error', 'pad', 'truncate'],
          description:
            'A row with a different number of fields than the header: error, pad (missing fields become null) or truncate.',
          default: 'error',
        },
        max_field_size: {
          type: 'integer',
          minimum: 1,
          description:
            'Largest field allowed, in characters; a longer one (often an unclosed quote) is an error.',
          default: 1048576,
        },
        relax_quotes: {
          type: 'boolean',
          description: 'Accept a quote inside an unquoted field (5" disk) as a literal character.',
          default: false,
        },
        decimal: decimalSeparator,
        thousands: thousandsSeparator,
      },
    },
    json: {
      type: 'object',
      description: 'A JSON document holding an array of record objects, streamed.',
      additionalProperties: false,
      required: ['path'],
      properties: {
        path,
        encoding,
        invalid_bytes: invalidBytes,
        gzip,
        allow_empty: allowEmpty,
        records: {
          type: 'string',
          description: 'JSON Pointer (RFC 6901) of the array of records, e.g. /data/items; empty: the root.',
          default: '',
        },
        decimal: decimalSeparator,
        thousands: thousandsSeparator,
      },
    },
    jsonl: {
      type: 'object',
      description: 'A file with one JSON object per line (blank lines skipped).',
      additionalProperties: false,
      required: ['path'],
      properties: {
        path,
        encoding,
        invalid_bytes: invalidBytes,
        gzip,
        allow_empty: allowEmpty,
        decimal: decimalSeparator,
        thousands: thousandsSeparator,
      },
    },
    get_connector: {
      type: 'object',
      description:
        'An AFAS GetConnector read page by page (always sorted); dates come as Amsterdam local time with their offset.',
      additionalProperties: false,
      required: ['id', 'sort'],
      properties: {
        id: { type: 'string', minLength: 1, description: 'GetConnector id, e.g. Profit_Debtor.' },
        connection: {
          description:
            "Environment to read from (a connection name or the connection itself); empty: the job's connection.",
          anyOf: [{ type: 'string' }, { $ref: '#/definitions/connection' }],
          default: '',
        },
        filter: {
          type: 'array',
          description:
            'OR-ed groups of AND-ed conditions, e.g. [[{field: DebtorId, op: ">=", value: "1000"}]]; long filters move to filterjson or are split.',
          items: { type: 'array', items: { $ref: '#/definitions/get_condition' } },
          default: [],
        },
        sort: {
          type: 'array',
          description:
            'Sort fields (`-Field` descending); the first one pages by key (> last key) and slices parallel reads.',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
        },
        columns: {
          type: 'array',
          description: 'Columns to keep, in this order; empty: every column of get metainfo.',
          items: { type: 'string', minLength: 1 },
          default: [],
        },
        limit: {
          type: 'integer',
          minimum: 0,
          description: 'Rows to read at most; 0: all.',
          default: 0,
        },
        parallel: {
          type: 'integer',
          minimum: 1,
          maximum: 8,
          description:
            'Key ranges of the first sort field read in parallel (within the 8 requests per environment).',
          default: 1,
        },
        page_size: {
          type: 'integer',
          minimum: 0,
          description: 'Rows per request (take); 0: 150000 / columns, at most 10000.',
          default: 0,
        },
        paging: {
          type: 'string',
          enum: ['key', 'skip'],
          description:
            'key: each page filters on the first sort field past the last row (no skip, safe while rows change); skip: skip/take.',
          default: 'key',
        },
        max_skip: {
          type: 'integer',
          minimum: 0,
          description:
            'Largest skip of paging: skip before the read stops with advice (AFAS slows down past it).',
          default: 100000,
        },
      },
    },
    get_condition: {
      type: 'object',
      description: 'One filter condition: field op value.',
      additionalProperties: false,
      required: ['field', 'op'],
      properties: {
        field: { type: 'string', minLength: 1, description: 'GetConnector field id.' },
        op: {
          description:
            'Operator by name (eq, gte, lte, gt, lt, contains, neq, empty, not_empty, starts_with, not_contains, not_starts_with, ends_with, not_ends_with, quick), symbol (=, >=, <=, >, <, !=) or AFAS number 1-15.',
          anyOf: [
            {
              type: 'string',
              enum: [
                'eq',
                'gte',
                'lte',
                'gt',
                'lt',
                'contains',
                'neq',
                'empty',
                'not_empty',
                'starts_with',
                'not_contains',
                'not_starts_with',
                'ends_with',
                'not_ends_with',
                'quick',
                '=',
                '>=',
                '<=',
                '>',
                '<',
                '!=',
                '<>',
              ],
            },
            { type: 'integer', minimum: 1, maximum: 15 },
          ],
        },
        value: {
          type: ['string', 'number', 'boolean', 'null'],
          description:
            'Value compared with; datetimes as Amsterdam local YYYY-MM-DDTHH:mm:ss (no Z); ignored by empty/not_empty.',
          default: '',
        },
      },
    },
    incremental: {
      type: 'object',
      description:
        'Read only rows changed since the last run: a watermark on a datetime field kept in .koppel/state/<job>.json.',
      additionalProperties: false,
      required: ['field'],
      properties: {
        field: {
          type: 'string',
          minLength: 1,
          description: 'Datetime field of the GetConnector that changes with the row, e.g. ModifiedDate.',
        },
        lookback: {
          type: 'string',
          pattern: '^\\d+(ms|s|m|h|d)$',
          description:
            'Window re-read before the watermark (late commits, clock skew), e.g. 10m; rows already delivered in it are skipped.',
          default: '0s',
        },
      },
    },
    file_output: {
      type: 'object',
      description:
        'The target of an extract job (`koppel extract`): a CSV, JSONL or JSON file, written atomically.',
      additionalProperties: false,
      required: ['file'],
      properties: {
        file: { type: 'string', minLength: 1, description: 'Output path, relative to the job file.' },
        format: {
          type: 'string',
          enum: ['auto', 'csv', 'jsonl', 'json'],
          description: 'File format; auto: by the extension (.csv, .jsonl, .json).',
          default: 'auto',
        },
        delimiter: { type: 'string', minLength: 1, description: 'CSV field separator.', default: ',' },
        bom: {
          type: 'boolean',
          description: 'Start the file with a UTF-8 byte order mark (Excel).',
          default: false,
        },
        report: {
          type: 'string',
          description: 'Path of the JSON run report (rows, seconds, rows/s); empty: <file>.report.json.',
          default: '',
        },
      },
    },
    target: {
      type: 'object',
      description: 'The UpdateConnector that receives the records and how each payload is built.',
      additionalProperties: false,
      required: ['update_connector', 'element'],
      properties: {
        update_connector: {
          type: 'string',
          minLength: 1,
          description: 'UpdateConnector id (e.g. FiEntries); the JSON root name comes from its metainfo.',
        },
        method: {
          type: 'string',
          enum: ['insert', 'update', 'delete', 'insert_sub'],
          description:
            'insert (POST), update (PUT), delete (DELETE by key) or insert_sub (POST /Connector/SubObject).',
          default: 'insert',
        },
        sub_object: {
          type: 'string',
          description: 'The sub-object inserted by method insert_sub, e.g. KnBasicAddressAdr.',
          default: '',
        },
        group_by: {
          description:
            'Column(s) whose value gathers CONTIGUOUS rows into one document; the lines become sub-elements.',
          anyOf: [
            { type: 'string', minLength: 1 },
            { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
          ],
        },
        element: { $ref: '#/definitions/element' },
        checks: {
          type: 'array',
          description:
            'Document checks run before sending; balanced: debit (AmDe) = credit (AmCr) per document.',
          items: { type: 'string', enum: ['balanced'] },
          default: [],
        },
      },
    },
    element: {
      type: 'object',
      description: 'One element of the payload: its fields and sub-objects.',
      additionalProperties: false,
      required: ['fields'],
      properties: {
        fields: {
          type: 'object',
          description: 'Field id (as in metainfo) -> value: a column name, a constant or the full form.',
          additionalProperties: { $ref: '#/definitions/value' },
        },
        objects: {
          type: 'object',
          description: 'Sub-object name (as in metainfo) -> its element.',
          additionalProperties: { $ref: '#/definitions/object' },
          default: {},
        },
        action: {
          type: 'string',
          enum: ['insert', 'update', 'delete'],
          description:
            'Sent as Fields.@Action; only needed to insert or delete a sub-element during an update.',
        },
      },
    },
    object: {
      type: 'object',
      description: 'A sub-object: one element from the first row, or one per grouped row with each: row.',
      additionalProperties: false,
      required: ['fields'],
      properties: {
        each: {
          type: 'string',
          enum: ['row'],
          description: 'row: one sub-element per row of the document; absent: one sub-element.',
        },
        optional: {
          type: 'boolean',
          description:
            'Leave the sub-object out of the payload when every value it reads (column, template, expr, also in its sub-objects) is empty: missing, null or empty after trim; constants and defaults do not count.',
          default: false,
        },
        fields: { $ref: '#/definitions/element/properties/fields' },
        objects: { $ref: '#/definitions/element/properties/objects' },
        action: { $ref: '#/definitions/element/properties/action' },
      },
    },
    value: {
      description: 'A string names a column; a number or boolean is a constant; an object is the full form.',
      anyOf: [
        { type: 'string' },
        { type: 'number' },
        { type: 'boolean' },
        { $ref: '#/definitions/valueSpec' },
      ],
    },
    valueSpec: {
      type: 'object',
      description:
        'The full form of a value: exactly one of column, const, template or expr, then conversions.',
      additionalProperties: false,
      properties: {
        column: { type: 'string', minLength: 1, description: 'Source column (or JSON field) to read.' },
        const: {
          type: ['string', 'number', 'boolean'],
          description: 'A constant value.',
        },
        template: {
          type: 'string',
          description:
            'Text with {column} placeholders, e.g. "{voucher_no} {description}"; {{ and }} escape braces.',
        },
        expr: {
          type: 'string',
          description: 'A JSONata expression over the record (slower than the other forms).',
        },
        type: {
          type: 'string',
          enum: ['string', 'int', 'decimal', 'date', 'datetime', 'boolean'],
          description: 'Conversion of the value; defaults to the field type in metainfo, else string.',
        },
        date: {
          type: 'string',
          description:
            'Input pattern of a date or datetime, e.g. dd-MM-yyyy, d-M-yyyy, dd.MM.yyyy, yyyyMMdd, dd/MM/yyyy HH:mm; iso; excel for Excel serial day numbers (45292 = 2024-01-01; a fraction is the time of day). Days that do not exist are rejected.',
          default: 'yyyy-MM-dd',
        },
        decimal: decimalSeparator,
        thousands: thousandsSeparator,
        trim: {
          type: 'boolean',
          description: 'Strip surrounding whitespace before converting.',
          default: true,
        },
        default: {
          type: ['string', 'number', 'boolean'],
          description: 'Used when the value is missing or empty (after trim).',
        },
        required: {
          type: 'boolean',
          description: 'Reject the record when the value is missing or empty.',
          default: false,
        },
        max_length: {
          type: 'integer',
          minimum: 1,
          description:
            'Maximum length in characters (grapheme clusters, never split); defaults to metainfo length.',
        },
        on_overflow: {
          type: 'string',
          enum: ['reject', 'truncate'],
          description: 'What to do with a value longer than max_length.',
          default: 'reject',
        },
        codes: { $ref: '#/definitions/codes' },
      },
    },
    codes: {
      description:
        'Source value -> code; or language -> (source value -> code); or {by: description} to look codes up by their description in metainfo.',
      type: 'object',
      additionalProperties: {
        anyOf: [
          { type: 'string' },
          { type: 'number' },
          { type: 'boolean' },
          { $ref: '#/definitions/codeMap' },
        ],
      },
    },
    codeMap: {
      type: 'object',
      description: 'Source value -> code for one language.',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    verify: {
      type: 'object',
      description:
        'How to settle a record left uncertain by a lost response: look it up through a GetConnector before resending.',
      additionalProperties: false,
      required: ['get_connector', 'filter'],
      properties: {
        get_connector: {
          type: 'string',
          minLength: 1,
          description: 'GetConnector id to look the record up in.',
        },
        filter: {
          type: 'object',
          minProperties: 1,
          description:
            'GetConnector field -> template over the source columns, e.g. { VoucherNo: "{voucher_no}" }.',
          additionalProperties: { type: 'string', minLength: 1 },
        },
        result: {
          type: 'object',
          description: 'Result key -> GetConnector field copied to the results; empty: every column.',
          additionalProperties: { type: 'string' },
          default: {},
        },
        delay: {
          type: 'number',
          minimum: 0,
          description:
            'Seconds after a record was sent before its first lookup (a resumed run waits for it too); later lookups at 2x and 4x this.',
          default: 5,
        },
        rounds: {
          type: 'integer',
          minimum: 1,
          maximum: 10,
          description:
            'Lookups (at delay, 2x delay, 4x delay, ...) before an uncertain record is sent again; it is sent again only when all came back empty.',
          default: 3,
        },
      },
    },
    output: {
      type: 'object',
      description: 'Where the results, rejects and run report go, relative to the job file.',
      additionalProperties: false,
      properties: {
        dir: {
          type: 'string',
          description: 'Directory of the three files; empty: .koppel/runs/<run>.',
          default: '',
        },
        results: {
          type: 'string',
          description: 'Results file (source key -> keys AFAS returned).',
          default: '',
        },
        rejects: {
          type: 'string',
          description: "Rejects file in the input's format plus an error column.",
          default: '',
        },
        report: {
          type: 'string',
          description: 'Run report (counts, control totals, timings) as JSON.',
          default: '',
        },
      },
    },
    run: {
      type: 'object',
      description: 'How the job runs.',
      additionalProperties: false,
      properties: {
        concurrency: {
          type: 'integer',
          minimum: 1,
          maximum: 8,
          description:
            'Requests in flight per AFAS environment, across every koppel process on this machine; at most 8, the parallel calls AFAS allows per environment (more fail or slow every client of it).',
          default: 8,
        },
        batch: {
          description: 'Elements per request: a number or auto (by count, bytes < 75 MB and latency).',
          anyOf: [
            { type: 'integer', minimum: 1 },
            { type: 'string', enum: ['auto'] },
          ],
          default: 'auto',
        },
        on_invalid: {
          type: 'string',
          enum: ['stop', 'reject'],
          description:
            'What a run does when its pre-flight (the whole input read, decoded and mapped once before the first request) finds invalid records: stop sends nothing and prints a summary per kind of problem (duplicate keys, unbalanced documents, dates that do not parse, unknown codes, ...); reject rejects those records (rejects file) and sends the rest. Input that cannot be read (bad bytes, a missing column) always stops.',
          default: 'stop',
        },
        timeouts: {
          type: 'object',
          description:
            'Timeouts per phase of each AFAS request, in milliseconds; the error names the phase that ran out. A write whose first-byte or whole-request timeout ran out is uncertain (AFAS may still commit it); a connect timeout sent nothing. KOPPEL_CONNECT_TIMEOUT_MS, KOPPEL_FIRST_BYTE_TIMEOUT_MS, KOPPEL_READ_FIRST_BYTE_TIMEOUT_MS and KOPPEL_REQUEST_TIMEOUT_MS override these.',
          additionalProperties: false,
          properties: {
            connect_ms: {
              type: 'integer',
              minimum: 1,
              description: 'Opening the connection (TCP and TLS).',
              default: 10000,
            },
            first_byte_ms: {
              type: 'integer',
              minimum: 1,
              description: 'From a write being sent to the first byte of its answer.',
              default: 60000,
            },
            read_first_byte_ms: {
              type: 'integer',
              minimum: 1,
              description: 'The same for reads (verify lookups, GetConnectors).',
              default: 30000,
            },
            total_ms: {
              type: 'integer',
              minimum: 1,
              description:
                'The whole request, from leaving the in-flight queue to the last byte of the answer.',
              default: 120000,
            },
          },
        },
        retry: {
          type: 'object',
          description: 'Retries of requests that are worth retrying.',
          additionalProperties: false,
          properties: {
            max_attempts: {
              type: 'integer',
              minimum: 1,
              description: 'Attempts per request, the first included.',
              default: 8,
            },
            base_delay_ms: {
              type: 'integer',
              minimum: 0,
              description: 'First backoff step in milliseconds (doubles per attempt, with jitter).',
              default: 500,
            },
            max_delay_ms: {
              type: 'integer',
              minimum: 0,
              description: 'Longest backoff between attempts, in milliseconds.',
              default: 30000,
            },
            retry_on: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              description:
                'Regular expressions (case-insensitive); an AFAS 500 whose message matches is retried with backoff.',
              default: [],
            },
            reject_on: {
              type: 'array',
              items: { type: 'string', minLength: 1 },
              description:
                'Regular expressions (case-insensitive); an AFAS 500 whose message matches rejects the record.',
              default: [],
            },
          },
        },
      },
    },
  },
} as const;

/** The connection definition as a schema of its own, for entries of a connections file. */
export function connectionSchema(): object {
  return {
    ...jobSchema.definitions.connection,
    $id: CONNECTION_SCHEMA_ID,
    definitions: jobSchema.definitions,
  };
}
