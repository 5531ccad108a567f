/**
 * Writes docs/job-reference.md, the reference of the job language (import, AFAS-to-AFAS and
 * extract jobs) and of job test files, generated from their schemas (packages/core/src/job/job-schema.ts and
 * packages/core/src/job-test/test-file-schema.ts): every option with its type, default and
 * description. Run: npx tsx scripts/generate-docs.ts. A test fails when the committed file drifts.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { jobSchema } from '../packages/core/src/job/job-schema.js';
import { jobTestSchema } from '../packages/core/src/job-test/test-file-schema.js';

/** Absolute path of the committed reference. */
export const REFERENCE_FILE = fileURLToPath(new URL('../docs/job-reference.md', import.meta.url));

type Schema = {
  $ref?: string;
  type?: string | readonly string[];
  enum?: readonly unknown[];
  anyOf?: readonly Schema[];
  items?: Schema;
  properties?: Readonly<Record<string, Schema>>;
  additionalProperties?: boolean | Schema;
  required?: readonly string[];
  description?: string;
  default?: unknown;
  minProperties?: number;
  maxProperties?: number;
};

interface Section {
  anchor: string;
  title: string;
  schema: Schema;
}

/** Renders the tables of one schema, sections in the order they are first reached. */
class SchemaDoc {
  readonly #root: Schema;
  readonly #prefix: string;
  readonly sections: Section[] = [];
  readonly #byRef = new Map<string, string>();

  constructor(root: Schema, prefix: string) {
    this.#root = root;
    this.#prefix = prefix;
  }

  resolve(ref: string): Schema {
    let node: unknown = this.#root;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[part];
    if (!node) throw new Error(`unresolved $ref ${ref}`);
    return node as Schema;
  }

  /** Adds a section for an object schema and returns its anchor (once per $ref). */
  section(title: string, schema: Schema, ref?: string): string {
    const known = ref ? this.#byRef.get(ref) : undefined;
    if (known) return known;
    const anchor = `${this.#prefix}-${title
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/-+$/, '')
      .toLowerCase()}`;
    if (ref) this.#byRef.set(ref, anchor);
    this.sections.push({ anchor, title, schema });
    return anchor;
  }

  /** The type of a schema as table text; object schemas become sections linked by name. */
  type(schema: Schema, path: string): string {
    if (schema.$ref) {
      const target = this.resolve(schema.$ref);
      if (target.properties && Object.keys(target.properties).length > 0) {
        const name = schema.$ref.split('/').at(-1) ?? path;
        return `[${name}](#${this.section(path, target, schema.$ref)})`;
      }
      return this.type(target, path);
    }
    if (schema.anyOf) return schema.anyOf.map((branch) => this.type(branch, path)).join(' or ');
    if (schema.enum) return `one of ${schema.enum.map((value) => code(value)).join(', ')}`;
    const types = [schema.type ?? []].flat();
    if (types.length === 0) return 'any JSON value';
    return types
      .map((type) => {
        if (type === 'array')
          return `list of ${schema.items ? this.type(schema.items, `${path}[]`) : 'values'}`;
        if (type !== 'object') return type;
        if (schema.properties && Object.keys(schema.properties).length > 0) {
          return `[object](#${this.section(path, schema)})`;
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          return `map of name -> ${this.type(schema.additionalProperties, `${path}.<name>`)}`;
        }
        return 'object';
      })
      .join(' or ');
  }

  /** One table per section, sections added while rendering are rendered too. */
  render(): string {
    const out: string[] = [];
    for (let i = 0; i < this.sections.length; i++) {
      const { anchor, title, schema } = this.sections[i] as Section;
      out.push(`<a id="${anchor}"></a>`, '', `### \`${title}\``, '');
      if (schema.description) out.push(clean(schema.description), '');
      const rows: string[][] = [['Key', 'Type', 'Default', 'Description']];
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (key === '$schema') continue;
        const required = schema.required?.includes(key) ?? false;
        const path = title === '(top level)' ? key : `${title}.${key}`;
        const type = this.type(property, path);
        const fallback = required
          ? '**required**'
          : property.default === undefined
            ? '–'
            : code(property.default);
        const description =
          property.description ?? (property.$ref ? this.resolve(property.$ref).description : '');
        rows.push([`\`${key}\``, type, fallback, clean(description ?? '')]);
      }
      out.push(...table(rows), '');
    }
    return out.join('\n');
  }
}

const code = (value: unknown): string =>
  `\`${typeof value === 'string' && value !== '' ? value : JSON.stringify(value)}\``.replace(/\|/g, '\\|');
/** A Markdown table with its columns padded to one width, as the formatter (biome) writes it. */
function table(rows: readonly string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(3, ...rows.map((row) => [...(row[i] ?? '')].length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join(' | ')} |`;
  const [head, ...body] = rows;
  return [line(head ?? []), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)];
}

const clean = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** An environment reference as the job language writes it. */
const env = (name: string): string => `$${'{'}${name}}`;

/** The text of docs/job-reference.md. */
export function renderJobReference(): string {
  const job = new SchemaDoc(jobSchema as unknown as Schema, 'job');
  job.section('(top level)', jobSchema as unknown as Schema);
  const jobTables = job.render();
  // An extract's target is not reached from the job's root: its own section, from file_output.
  const extract = new SchemaDoc(jobSchema as unknown as Schema, 'extract');
  extract.section('target', jobSchema.definitions.file_output as unknown as Schema);
  const extractTables = extract.render();
  const test = new SchemaDoc(jobTestSchema as unknown as Schema, 'test');
  test.section('(top level)', jobTestSchema as unknown as Schema);
  const testTables = test.render();
  return [
    '# Job reference',
    '',
    '<!-- Generated by scripts/generate-docs.ts from the job and job-test schemas. Do not edit:',
    '     change the schema, then run `npx tsx scripts/generate-docs.ts`. A test fails when this file drifts. -->',
    '',
    'Every key of a job file, an extract job file and a job test file, with its type, its default and',
    'what it does. Editors check each file as you type when its first line names its schema:',
    '`# yaml-language-server: $schema=../../schemas/job.schema.json` (an extract:',
    '`extract-job.schema.json`, a test file: `job-test.schema.json`). `koppel validate jobs/**/*.yaml`',
    'reports every problem of every file with its file:line:col. How values are mapped is explained in',
    '[mapping.md](mapping.md); running jobs in [operations.md](operations.md).',
    '',
    `Strings may use \`${env('NAME')}\` (environment variable) and \`${env('NAME:-default')}\`. Paths are relative to`,
    'the file that names them.',
    '',
    '## Job file',
    '',
    jobTables,
    '## Extract job file (`target: { file }`)',
    '',
    'An extract reads `source.get_connector` into a file (`koppel extract`). Its keys are those of a job',
    'file, except that `target` is the file below and `key` is optional (an incremental extract skips',
    'the rows it already delivered by it). Schema: `schemas/extract-job.schema.json`.',
    '',
    extractTables,
    '## Job test file (`*.test.yaml`)',
    '',
    `Run them with \`koppel test\`; see [testing.md](testing.md). Schema: \`schemas/job-test.schema.json\`.`,
    '',
    testTables,
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n*$/, '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync(REFERENCE_FILE, renderJobReference());
  process.stdout.write(`wrote ${REFERENCE_FILE}\n`);
}
