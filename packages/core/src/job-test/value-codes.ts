import { ISO_TO_AFAS_COUNTRY } from '../mapping/iso-country.js';
import type { UpdateFieldMeta } from '../metainfo/update-metainfo.js';
import { accountKindCodes } from './account-kind.js';

const COUNTRY_FIELDS = new Set(['CoId', 'CoBi', 'CoLw']);
const fold = (text: string): string => text.trim().toLowerCase();

/**
 * The `codes:` a column's sampled values need for a field, or undefined when they are already
 * its codes (or nothing fits): `{ by: iso-country }` for ISO country codes that AFAS writes
 * otherwise (BE -> B), `{ by: description }` for a coded field whose values are its descriptions
 * (Man, Vrouw), or an explicit map for account kinds (`{ G: "1", D: "2", C: "3" }`).
 */
export function codesFor(field: UpdateFieldMeta, values: readonly string[] | undefined): string | undefined {
  if (!values || values.length === 0) return undefined;
  if (COUNTRY_FIELDS.has(field.fieldId)) {
    const iso = values.every(
      (value) => /^[A-Za-z]{2}$/.test(value) && ISO_TO_AFAS_COUNTRY[value.toUpperCase()],
    );
    const differs = values.some((value) => ISO_TO_AFAS_COUNTRY[value.toUpperCase()] !== value);
    return iso && differs ? '{ by: iso-country }' : undefined;
  }
  const codes = field.values;
  if (!codes?.length) return undefined;
  const ids = new Set(codes.map((code) => code.id));
  if (values.every((value) => ids.has(value))) return undefined;
  const kinds = field.fieldId === 'VaAs' ? accountKindCodes(values) : undefined;
  if (kinds) {
    const pairs = Object.entries(kinds)
      .sort(([, a], [, b]) => a.localeCompare(b))
      .map(([value, code]) => `${JSON.stringify(value)}: "${code}"`);
    return `{ ${pairs.join(', ')} }`;
  }
  const descriptions = new Set(codes.map((code) => fold(code.description)));
  return values.every((value) => ids.has(value) || descriptions.has(fold(value)))
    ? '{ by: description }'
    : undefined;
}

/**
 * False when a coded field's sampled values are neither its codes nor its descriptions nor a
 * mapping `codesFor` writes ("BV" for a legal form coded 30): every such record would be
 * rejected, so the column is only a suggestion. True for fields without a code list.
 */
export function valuesFit(field: UpdateFieldMeta, values: readonly string[] | undefined): boolean {
  const codes = field.values;
  if (!codes?.length || !values?.length) return true;
  const ids = new Set(codes.map((code) => code.id));
  return values.every((value) => ids.has(value)) || codesFor(field, values) !== undefined;
}
