/**
 * The shape of a job test file (`<job>.test.yaml` beside the job). Like the job schema, every
 * option carries a description and, when optional, its default; docs/job-reference.md lists them.
 */

const scalar = { type: ['string', 'number', 'boolean', 'null'] } as const;

export const jobTestSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://koppel.dev/schemas/job-test.schema.json',
  title: 'Koppel job test',
  description:
    'Unit tests of one job: input records and the exact requests and rejects they must produce, without sending anything.',
  type: 'object',
  additionalProperties: false,
  required: ['cases'],
  properties: {
    $schema: { type: 'string', description: 'JSON Schema of this file, for editors.', default: '' },
    job: {
      type: 'string',
      minLength: 1,
      description:
        'The job file under test, relative to this file; default the file with the same name without `.test` (persons.test.yaml -> persons.yaml).',
      default: '<name>.yaml',
    },
    metainfo: {
      type: 'string',
      minLength: 1,
      description:
        'Recorded update metainfo, relative to this file; {connector} and {language} are filled in. `koppel test --record` writes it; `--sim` ignores it.',
      default: 'fixtures/{connector}.{language}.json',
    },
    language: {
      type: 'string',
      enum: ['nl-nl', 'nl-be', 'en-us', 'fr-fr', 'de-de'],
      description:
        "Language of the metainfo and code tables for every case; default the job connection's language.",
    },
    cases: {
      type: 'array',
      minItems: 1,
      description: 'The test cases, run in order.',
      items: { $ref: '#/definitions/case' },
    },
  },
  definitions: {
    case: {
      type: 'object',
      description: 'One test case: input records (rows or file) and what they must produce (expect).',
      additionalProperties: false,
      required: ['name', 'expect'],
      properties: {
        name: { type: 'string', minLength: 1, description: 'What the case shows, printed in the summary.' },
        language: {
          $ref: '#/properties/language',
          description:
            'Language of this case (e.g. fr-fr to test a French code table); default the file language.',
        },
        rows: {
          type: 'array',
          description:
            'Input records written inline: column -> value. Values are read as the job source would give them (text for CSV).',
          items: { type: 'object', additionalProperties: scalar },
        },
        file: {
          type: 'string',
          minLength: 1,
          description:
            "An input file read with the job's source options (delimiter, encoding, decimal, …), relative to this file.",
        },
        expect: { $ref: '#/definitions/expect' },
      },
    },
    expect: {
      type: 'object',
      description:
        'The exact outcome: every request and every reject, in input order; a list left out must be empty.',
      additionalProperties: false,
      properties: {
        match: {
          type: 'string',
          enum: ['exact', 'partial'],
          description:
            'exact: every request and every field; partial: only the fields the expected bodies name (arrays by index; the number of requests still counts).',
          default: 'exact',
        },
        requests: {
          type: 'array',
          description: 'The requests a run would send, in order.',
          items: { $ref: '#/definitions/request' },
          default: [],
        },
        rejects: {
          type: 'array',
          description: 'The records that would be rejected before sending, in order.',
          items: { $ref: '#/definitions/reject' },
          default: [],
        },
      },
    },
    request: {
      type: 'object',
      description: 'One request: method, path after the base URL, and the JSON body (absent for DELETE).',
      additionalProperties: false,
      required: ['method', 'path'],
      properties: {
        method: { type: 'string', enum: ['POST', 'PUT', 'DELETE'], description: 'HTTP method.' },
        path: { type: 'string', description: 'Path after /ProfitRestServices, e.g. /connectors/KnPerson.' },
        body: { description: 'The exact JSON body; numbers compare by value (1210.00 equals 1210).' },
      },
    },
    reject: {
      type: 'object',
      description: 'One rejected record: its key, and a part of (message) or the whole (exact) message.',
      additionalProperties: false,
      required: ['key'],
      properties: {
        key: {
          type: 'string',
          description: 'The record key (the job `key` template), or file:line when it has none.',
        },
        message: { type: 'string', description: 'Text the reject message must contain.' },
        exact: { type: 'string', description: 'The whole reject message (instead of message).' },
      },
    },
  },
} as const;
