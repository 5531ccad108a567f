import { CATALOG, codeList } from '../catalog/index.js';
import { CURRENCIES } from './codes.js';

/**
 * Fields whose values Profit checks against its country table (`CoId` of addresses and bank
 * accounts, `CoBi`/`LwNa` country of birth). AFAS publishes no list for them; its nationality
 * field `KnPerson.PsNa` lists the same vehicle-registration style codes (NL, B, D, F, GB, USA, …).
 */
export const COUNTRY_FIELDS: ReadonlySet<string> = new Set(['CoId', 'CoBi', 'LwNa']);

function countryCodes(): Set<string> {
  const psNa = CATALOG.connectors.KnPerson?.POST?.fields.find((field) => field[0] === 'PsNa');
  const codes = (psNa ? (codeList(psNa[6]) ?? []) : []).map((value) => value.id);
  // A country field holds at most 3 characters; '000' is "unknown", not a country.
  return new Set(codes.filter((code) => code.length <= 3 && code !== '000'));
}

/** AFAS's country codes (from the facts' nationality list): NL, B, D, F, GB, USA, P, E, … */
export const AFAS_COUNTRIES: ReadonlySet<string> = countryCodes();

/** The simulator's currency table (`CuId`): EUR, USD, GBP, CHF. AFAS publishes no list; Profit uses ISO 4217 codes. */
export const CURRENCY_CODES: ReadonlySet<string> = new Set(CURRENCIES.map((currency) => currency.id));

/** Field id -> the values Profit's table behind it holds (checked unless `openReferences`). */
const TABLES = new Map<string, ReadonlySet<string>>([
  ...[...COUNTRY_FIELDS].map((id): [string, ReadonlySet<string>] => [id, AFAS_COUNTRIES]),
  ['CuId', CURRENCY_CODES],
]);

/** False when a reference field holds a value its table does not have; true for any other field. */
export function referenceExists(fieldId: string, value: string): boolean {
  const table = TABLES.get(fieldId);
  return !table || table.has(value);
}
