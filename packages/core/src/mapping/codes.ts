import type { Language } from '../job/connections.js';
import type { Codes } from '../job/job-types.generated.js';
import type { CodeValue } from '../metainfo/update-metainfo.js';
import { afasCountryOfIso } from './iso-country.js';

/** Maps a source value to a code; returns undefined when it cannot (the caller rejects the record). */
export type CodeLookup = (value: string) => string | undefined;

const LANGUAGE_KEY = /^[a-z]{2}-[a-z]{2}$/;
const fold = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** `codes: { nl-nl: {...}, fr-fr: {...} }`: every key a language and every value a map. */
export function isPerLanguage(codes: Codes): boolean {
  const entries = Object.entries(codes);
  return (
    entries.length > 0 && entries.every(([key, value]) => LANGUAGE_KEY.test(key) && typeof value === 'object')
  );
}

/** `codes: { by: description }` or `codes: { by: iso-country }`. */
export function isByDescription(codes: Codes): boolean {
  return Object.keys(codes).length === 1 && codes.by !== undefined;
}

/** Lists allowed values for a message: `M (Man), V (Vrouw)`, at most 20. */
export function describeValues(values: readonly CodeValue[]): string {
  const shown = values.slice(0, 20).map((value) => `${value.id} (${value.description})`);
  return values.length > 20 ? `${shown.join(', ')}, … ${values.length - 20} more` : shown.join(', ');
}

/**
 * Compiles a `codes:` option for one language. Plain maps translate values they know (exact
 * match, then case- and whitespace-insensitive) and pass others through for the metainfo check;
 * `by: description` looks the value up among the metainfo descriptions; `by: iso-country` converts
 * an ISO 3166-1 alpha-2 country code to AFAS's (BE -> B, DE -> D, US -> USA). Throws an Error with the
 * reason when the option cannot work (no map for the language, no values in metainfo). `values`
 * is the field's code list, null when metainfo lists none, undefined when there is no metainfo.
 */
export function compileCodes(
  codes: Codes,
  language: Language,
  values: readonly CodeValue[] | null | undefined,
): CodeLookup {
  if (isByDescription(codes)) {
    // ISO 3166-1 alpha-2 -> AFAS country code (NL, B, D, F, GB, USA, …); an unknown ISO code rejects the record.
    if (codes.by === 'iso-country') return afasCountryOfIso;
    if (codes.by !== 'description') {
      throw new Error(
        `codes: { by: ${String(codes.by)} } is not supported; write codes: { by: description } or codes: { by: iso-country }`,
      );
    }
    // Without metainfo (validate --offline) the descriptions are unknown: checked when it is there.
    if (values === undefined) return (value) => value;
    if (!values)
      throw new Error('codes: { by: description } needs a coded field, but metainfo lists no values');
    const byDescription = new Map(values.map((value) => [fold(value.description), value.id]));
    const ids = new Set(values.map((value) => value.id));
    return (value) => byDescription.get(fold(value)) ?? (ids.has(value) ? value : undefined);
  }
  let map: Record<string, unknown> = codes;
  if (isPerLanguage(codes)) {
    const forLanguage = codes[language];
    if (forLanguage === undefined) {
      throw new Error(
        `codes has no map for language ${language}; add \`${language}: {…}\` (has ${Object.keys(codes).join(', ')})`,
      );
    }
    map = forLanguage as Record<string, unknown>;
  }
  const exact = new Map<string, string>();
  const folded = new Map<string, string>();
  for (const [from, to] of Object.entries(map)) {
    if (typeof to === 'object') throw new Error(`codes value for \`${from}\` must be a code, not a map`);
    exact.set(from, String(to));
    folded.set(fold(from), String(to));
  }
  return (value) => exact.get(value) ?? folded.get(fold(value)) ?? value;
}
