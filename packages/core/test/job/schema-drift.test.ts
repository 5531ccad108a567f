import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILES } from '../../src/job/generate.js';
import { jobSchema } from '../../src/job/job-schema.js';

type Node = { [key: string]: unknown };

/** Every named option (a property of an object schema), with its path. */
function options(node: Node, path: string, out: [string, Node, boolean][]): [string, Node, boolean][] {
  const required = new Set((node.required ?? []) as string[]);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, Node>)) {
    out.push([`${path}.${name}`, child, required.has(name)]);
    options(child, `${path}.${name}`, out);
  }
  return out;
}

describe('job schema', () => {
  it.each(GENERATED_FILES.map(([file, text]) => ({ file, text })))(
    '$file is what the generator writes (run npx tsx scripts/generate-schema.ts)',
    ({ file, text }) => {
      expect(readFileSync(file, 'utf8')).toBe(text());
    },
  );

  it('describes every option', () => {
    const all = options(jobSchema as unknown as Node, 'job', []);
    for (const [name, definition] of Object.entries(jobSchema.definitions)) {
      options(definition as unknown as Node, name, all);
    }
    const undocumented = all
      .filter(([, node]) => typeof node.description !== 'string' && typeof node.$ref !== 'string')
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it('gives a default for every optional scalar option', () => {
    const all: [string, Node, boolean][] = [];
    for (const [name, definition] of Object.entries(jobSchema.definitions)) {
      options(definition as unknown as Node, name, all);
    }
    // Options whose absence means something no default value can say (inherit from metainfo, one-of forms).
    const noDefault = new Set([
      'connection.environment',
      'target.group_by',
      'element.action',
      'object.each',
      'object.fields',
      'object.objects',
      'object.action',
      'valueSpec.column',
      'valueSpec.const',
      'valueSpec.template',
      'valueSpec.expr',
      'valueSpec.type',
      'valueSpec.default',
      'valueSpec.max_length',
      'valueSpec.codes',
      'run.retry',
      'run.timeouts',
    ]);
    const missing = all
      .filter(([path, node, required]) => !required && node.default === undefined && !noDefault.has(path))
      .filter(([, node]) => typeof node.$ref !== 'string')
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });
});
