/**
 * Every shipped job and job test file under jobs/ names a JSON Schema in its first line
 * (`# yaml-language-server: $schema=…`), and matches it as an editor sees it: the file as written
 * (before ${VAR} interpolation), checked by a real JSON-schema validator (ajv) against the
 * committed file in schemas/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { Ajv as AjvType } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

// ajv and yaml are dependencies of @koppel/core, not of the repository root.
const requireCore = createRequire(join(ROOT, 'packages/core/package.json'));
const { Ajv } = requireCore('ajv') as { Ajv: typeof AjvType };
const { parse } = requireCore('yaml') as typeof import('yaml');
/** A part of a schema, as far as the reference test reads it. */
interface Part {
  properties?: Record<string, unknown>;
  definitions?: Record<string, Part>;
}

const SCHEMA_LINE = /^# yaml-language-server: \$schema=(\S+)(?: .*)?$/;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

/** Shipped jobs (they have `version:`) and job test files (`*.test.yaml`); simulator seeds are neither. */
const shipped = yamlFiles(join(ROOT, 'jobs'))
  .filter((file) => /\.test\.ya?ml$/.test(file) || /^version: /m.test(readFileSync(file, 'utf8')))
  .sort();

describe('shipped jobs match the schema they name', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const schemas = readdirSync(join(ROOT, 'schemas')).filter((name) => name.endsWith('.schema.json'));
  for (const name of schemas)
    ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8')), name);

  it('publishes the job, extract job and job test schemas, each a valid JSON Schema', () => {
    expect(schemas.sort()).toEqual(['extract-job.schema.json', 'job-test.schema.json', 'job.schema.json']);
    for (const name of schemas) expect(ajv.getSchema(name), name).toBeTypeOf('function');
  });

  it('checks the file as written: a variable where a fixed value goes, but not a wrong value', () => {
    const validate = ajv.getSchema('job.schema.json');
    const job = parse(readFileSync(join(ROOT, 'jobs/demo/entries.yaml'), 'utf8')) as {
      connection: Record<string, unknown>;
    };
    expect(
      validate?.({ ...job, connection: { ...job.connection, language: '\u0024{AFAS_LANGUAGE:-fr-fr}' } }),
    ).toBe(true);
    expect(validate?.({ ...job, connection: { ...job.connection, language: 'nl' } })).toBe(false);
    const extract = ajv.getSchema('extract-job.schema.json');
    expect(extract?.(job)).toBe(false);
    const { key: _key, ...keyless } = job as Record<string, unknown>;
    expect(extract?.({ ...keyless, target: { file: 'out.csv', bom: true } })).toBe(true);
    expect(extract?.({ ...keyless, target: { file: 'out.csv', bomb: true } })).toBe(false);
  });

  it('docs/job-reference.md has a row for every key of every part of the job and test schemas', () => {
    const reference = readFileSync(join(ROOT, 'docs/job-reference.md'), 'utf8');
    const missing: string[] = [];
    for (const name of ['job.schema.json', 'job-test.schema.json']) {
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8')) as Part;
      for (const [part, node] of [[name, schema] as const, ...Object.entries(schema.definitions ?? {})]) {
        for (const key of Object.keys(node.properties ?? {})) {
          if (
            key !== '$schema' &&
            !new RegExp(`^\\| \`${key.replace(/\$/g, '\\$')}\` +\\|`, 'm').test(reference)
          )
            missing.push(`${part}.${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds the shipped jobs and test files', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(14);
    expect(shipped.filter((file) => file.endsWith('.test.yaml')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(shipped.map((file) => [relative(ROOT, file), file] as const))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const named = SCHEMA_LINE.exec(text.split('\n')[0] ?? '')?.[1];
    expect(named, 'the first line names the schema').toBeDefined();
    const schemaFile = resolve(dirname(file), named ?? '');
    expect(dirname(schemaFile)).toBe(join(ROOT, 'schemas'));
    const expected = file.endsWith('.test.yaml')
      ? 'job-test.schema.json'
      : /^target:\n(?:\s+#.*\n)*\s+file:/m.test(text)
        ? 'extract-job.schema.json'
        : 'job.schema.json';
    expect(relative(join(ROOT, 'schemas'), schemaFile)).toBe(expected);
    const validate = ajv.getSchema(expected);
    if (!validate) throw new Error(`schemas/${expected} is not published`);
    const valid = validate(parse(text));
    const problems = valid
      ? []
      : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
    expect(problems).toEqual([]);
  });
});
