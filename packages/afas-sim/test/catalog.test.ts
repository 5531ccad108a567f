import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, type FactField, type FactObject, type FactsFile } from '../src/catalog/build.js';
import { CATALOG } from '../src/catalog/index.js';
import { type Simulator, startSimulator, steppingClock } from '../src/index.js';
import type { UpdateFieldMeta, UpdateMetainfo, UpdateObjectMeta } from '../src/update-engine.js';
import { call } from './helpers/http.js';

/** AFAS's facts, beside the repository (CI has shared/ next to the clone). */
const FACTS = fileURLToPath(
  new URL('../../../../shared/reference/afas-oas/update-connectors.json', import.meta.url),
);
const present = existsSync(FACTS);
const facts = present ? (JSON.parse(readFileSync(FACTS, 'utf8')) as FactsFile) : undefined;
if (!present) {
  console.warn(
    `catalog tests skipped: AFAS's facts file ${FACTS} is absent (CI provides shared/ beside the clone)`,
  );
}

const DATA_TYPES: Record<string, UpdateFieldMeta['dataType']> = {
  integer: 'int',
  number: 'decimal',
  boolean: 'boolean',
  string: 'string',
  'string:date': 'date',
  'string:date-time': 'date',
  'string:byte': 'blob',
};
const dataTypeOf = (field: FactField): UpdateFieldMeta['dataType'] =>
  DATA_TYPES[`${field.type}:${field.format}`] ?? DATA_TYPES[field.type] ?? 'string';

/** Every difference between a metainfo object and the facts' body tree, as `path: what`. */
function differences(
  meta: UpdateObjectMeta,
  fact: FactObject,
  language: 'nl' | 'en',
  path: string,
): string[] {
  const out: string[] = [];
  const factFields = Object.entries(fact.fields ?? {});
  const metaIds = meta.fields.map((field) => field.fieldId);
  if (JSON.stringify(metaIds) !== JSON.stringify(factFields.map(([id]) => id))) {
    out.push(`${path}: field set ${metaIds.join(',')} != ${factFields.map(([id]) => id).join(',')}`);
  }
  for (const [id, field] of factFields) {
    const got = meta.fields.find((candidate) => candidate.fieldId === id);
    if (!got) continue;
    const at = `${path}.${id}`;
    if (got.dataType !== dataTypeOf(field))
      out.push(`${at}: dataType ${got.dataType} != ${dataTypeOf(field)}`);
    if (got.length !== (field.maxLength ?? 0)) out.push(`${at}: length ${got.length} != ${field.maxLength}`);
    if (got.mandatory !== (field.required ?? false)) out.push(`${at}: mandatory ${got.mandatory}`);
    const label = language === 'nl' ? (field.label_nl ?? field.label) : field.label;
    if (got.label !== label) out.push(`${at}: label ${got.label} != ${label}`);
    const codes = language === 'nl' ? (field.codes_nl ?? field.codes) : field.codes;
    const expected = field.enum
      ? field.enum.map((code) => ({ id: code, description: codes?.[code] ?? '' }))
      : null;
    if (JSON.stringify(got.values) !== JSON.stringify(expected)) out.push(`${at}: values differ`);
  }
  const factObjects = Object.entries(fact.objects ?? {});
  const metaNames = meta.objects.map((object) => object.name);
  if (JSON.stringify(metaNames) !== JSON.stringify(factObjects.map(([name]) => name))) {
    out.push(`${path}: objects ${metaNames.join(',')} != ${factObjects.map(([name]) => name).join(',')}`);
  }
  for (const [name, child] of factObjects) {
    const got = meta.objects.find((candidate) => candidate.name === name);
    if (got) out.push(...differences(got, child, language, `${path}/${name}`));
  }
  return out;
}

describe.skipIf(!present)('UpdateConnector catalog', () => {
  it('is up to date with the facts (npx tsx scripts/generate-catalog.ts)', () => {
    expect(JSON.stringify(buildCatalog(facts as FactsFile)) === JSON.stringify(CATALOG)).toBe(true);
  });

  describe('GET /metainfo/update/{id} over HTTP', () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startSimulator({ clock: steppingClock('2024-03-01T09:00:00') });
    });
    afterAll(async () => {
      await sim.close();
    });

    it('lists every catalogued UpdateConnector in the demo App Connector', async () => {
      const reply = await call(sim, '/metainfo');
      const ids = (reply.json as { updateConnectors: { id: string }[] }).updateConnectors.map((c) => c.id);
      expect(ids).toEqual(Object.keys((facts as FactsFile).connectors).sort());
      expect(ids).toHaveLength(169);
    });

    it.each([
      ['nl-nl', 'nl'],
      ['en-us', 'en'],
    ] as const)(
      'answers AFAS fields, types, lengths, required flags and codes for all 169 in %s',
      async (header, language) => {
        const all: string[] = [];
        let fields = 0;
        for (const [id, fact] of Object.entries((facts as FactsFile).connectors)) {
          const reply = await call(sim, `/metainfo/update/${id}`, { headers: { 'accept-language': header } });
          if (reply.status !== 200) {
            all.push(`${id}: HTTP ${reply.status}`);
            continue;
          }
          const meta = reply.json as UpdateMetainfo;
          expect(meta.id).toBe(id);
          expect(meta.name).toBe(fact.root ?? id);
          const tree = (fact.POST ?? fact.PUT) as FactObject;
          all.push(...differences(meta, tree, language, id));
          const count = (object: UpdateObjectMeta): number =>
            object.fields.length + object.objects.reduce((sum, child) => sum + count(child), 0);
          fields += count(meta);
        }
        expect(all).toEqual([]);
        expect(fields).toBeGreaterThan(8000);
      },
    );
  });
});
