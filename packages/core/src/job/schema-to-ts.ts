/**
 * Turns the job schema (the subset of JSON Schema it uses) into TypeScript declarations, so the
 * types and `schemas/job.schema.json` come from one source. Output is already biome-formatted.
 */

type Schema = { readonly [key: string]: unknown };

const pascal = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

function resolve(root: Schema, ref: string): Schema {
  let node: unknown = root;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Schema)[part];
  if (!node) throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

function comment(schema: Schema, indent: string): string {
  const text = typeof schema.description === 'string' ? schema.description : '';
  if (!text) return '';
  const fallback = schema.default === undefined ? '' : ` Default: ${JSON.stringify(schema.default)}.`;
  return `${indent}/** ${text.replaceAll('*/', '*\\/')}${fallback} */\n`;
}

function typeOf(root: Schema, schema: Schema, indent: string): string {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const parts = ref.split('/');
    if (parts.length === 3) return pascal(parts[2] as string);
    return typeOf(root, resolve(root, ref), indent);
  }
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  if (Array.isArray(schema.anyOf)) {
    return (schema.anyOf as Schema[]).map((branch) => typeOf(root, branch, indent)).join(' | ');
  }
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => typeOf(root, { type: t }, indent)).join(' | ');
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `${wrap(typeOf(root, schema.items as Schema, indent))}[]`;
    case 'object':
      return objectType(root, schema, indent);
    default:
      return 'unknown';
  }
}

const literal = (value: unknown): string =>
  typeof value === 'string' && !/['\\]/.test(value) ? `'${value}'` : JSON.stringify(value);

const wrap = (type: string): string => (type.includes(' ') ? `(${type})` : type);

function objectType(root: Schema, schema: Schema, indent: string): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const inner = `${indent}  `;
  let body = '';
  for (const [name, property] of Object.entries(properties)) {
    const optional = required.has(name) ? '' : '?';
    const type = typeOf(root, property, inner);
    const line = `${inner}${name}${optional}: ${type};`;
    // Past the formatter's 110 columns a flat union is written one member per line, as biome does.
    const wrapped =
      line.length > 110 && !type.includes('{')
        ? `${inner}${name}${optional}:\n${type
            .split(' | ')
            .map((member) => `${inner}  | ${member}`)
            .join('\n')};`
        : line;
    body += `${comment(property, inner)}${wrapped}\n`;
  }
  const extra = schema.additionalProperties;
  if (extra && typeof extra === 'object') {
    body += `${inner}[key: string]: ${typeOf(root, extra as Schema, inner)};\n`;
  }
  return body ? `{\n${body}${indent}}` : 'Record<string, never>';
}

/** TypeScript source declaring `Job` and one type per schema definition. */
export function schemaToTs(root: Schema, rootName: string, header: string): string {
  let out = `${header}\n`;
  out += `${comment(root, '')}export interface ${rootName} ${objectType(root, root, '')}\n`;
  const definitions = (root.definitions ?? {}) as Record<string, Schema>;
  for (const [name, definition] of Object.entries(definitions)) {
    const type = typeOf(root, definition, '');
    const keyword = type.startsWith('{') ? `interface ${pascal(name)} ` : `type ${pascal(name)} = `;
    out += `\n${comment(definition, '')}export ${keyword}${type}${type.startsWith('{') ? '' : ';'}\n`;
  }
  return out;
}
