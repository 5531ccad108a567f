import type { UpdateFieldMeta, UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import type { ColumnGuess } from '../sources/infer-column.js';
import { type ColumnMatch, fold } from './match-columns.js';

/** Street, number and suffix in one column ("Stationsweg 4", "Oudegracht 88 bis", "Laan 3-A"). */
export const STREET_AND_NUMBER = /^(.*?\D)\s+(\d+)\s*[-/]?\s*(\S{0,6})$/;

/** One address column split into street (Ad), house number (HmNr) and suffix (HmAd). */
export interface AddressSplit {
  column: string;
  objectPath: string[];
  fields: { Ad: UpdateFieldMeta; HmNr: UpdateFieldMeta; HmAd: UpdateFieldMeta | undefined };
}

const ADDRESS = new Set([
  'adres',
  'address',
  'straatenhuisnummer',
  'straathuisnummer',
  'bezoekadres',
  'vestigingsadres',
  'straatadres',
  'streetaddress',
  'addressline1',
  'address1',
  'adresregel1',
]);
const SURNAME = new Set(['naam', 'name']);

/** The object at `path` below `root`. */
function objectAt(root: UpdateObjectMeta, path: readonly string[]): UpdateObjectMeta | undefined {
  let object: UpdateObjectMeta | undefined = root;
  for (const name of path) object = object?.objects.find((child) => child.name === name);
  return object;
}

const field = (object: UpdateObjectMeta | undefined, id: string): UpdateFieldMeta | undefined =>
  object?.fields.find((candidate) => candidate.fieldId === id);

/**
 * Matches that only the other columns make sure of: an `Adres` column is the street when a house
 * number column sits beside it, else (when every sampled value is street + number) it is split;
 * a `Naam` column beside a first-name or initials column is the last name, unless a value starts
 * with a first name (then it is a full name, and stays unmapped).
 */
export function contextMatches(options: {
  columns: readonly ColumnGuess[];
  metainfo: UpdateObjectMeta;
  matches: readonly ColumnMatch[];
}): { matches: ColumnMatch[]; address: AddressSplit | undefined } {
  const { columns, metainfo, matches } = options;
  const taken = new Set(matches.map((match) => match.column));
  const free = columns.filter((column) => !taken.has(column.name));
  const found = (id: string): ColumnMatch | undefined => matches.find((m) => m.field.fieldId === id);
  const added: ColumnMatch[] = [];
  let address: AddressSplit | undefined;

  const place = found('ZpCd') ?? found('Rs') ?? found('HmNr');
  const addressColumn = free.find((column) => ADDRESS.has(fold(column.name)) && column.type === 'string');
  const addressObject = place && objectAt(metainfo, place.objectPath);
  const street = field(addressObject, 'Ad');
  if (place && addressColumn && street && !found('Ad')) {
    const values = addressColumn.values ?? [];
    if (found('HmNr') && values.every((value) => !/\d/.test(value))) {
      added.push({
        column: addressColumn.name,
        objectPath: place.objectPath,
        field: street,
        score: 0.9,
        sure: true,
        reason: 'the street beside a house number column',
      });
    } else if (
      !found('HmNr') &&
      values.length > 0 &&
      values.every((value) => STREET_AND_NUMBER.test(value))
    ) {
      const number = field(addressObject, 'HmNr');
      if (number) {
        address = {
          column: addressColumn.name,
          objectPath: place.objectPath,
          fields: { Ad: street, HmNr: number, HmAd: field(addressObject, 'HmAd') },
        };
      }
    }
  }

  const first = found('FiNm') ?? found('In');
  const person = first && objectAt(metainfo, first.objectPath);
  const lastName = field(person, 'LaNm');
  const surname = free.find((column) => SURNAME.has(fold(column.name)) && column.type === 'string');
  if (first && lastName && surname && !found('LaNm')) {
    const firstNames = columns.find((column) => column.name === first.column)?.values ?? [];
    const full = (surname.values ?? []).some((value) =>
      firstNames.some((name) => name.length > 1 && value.startsWith(`${name} `)),
    );
    if (!full) {
      added.push({
        column: surname.name,
        objectPath: first.objectPath,
        field: lastName,
        score: 0.9,
        sure: true,
        reason: `the name beside ${first.column}`,
      });
    }
  }
  return { matches: added, address };
}

const ref = (column: string): string => `\`${column.replace(/`/g, '')}\``;

/** The JSONata of street, number and suffix from one address column (the street alone when no number). */
export function addressExpressions(split: AddressSplit): { Ad: string; HmNr: string; HmAd: string } {
  const match = `$v := $type(${ref(split.column)}) = 'string' ? $trim(${ref(split.column)}) : ''; $m := $match($v, ${STREET_AND_NUMBER.toString()})`;
  return {
    Ad: `(${match}; $v = '' ? undefined : $m ? $m.groups[0] : $v)`,
    HmNr: `(${match}; $m.groups[1])`,
    HmAd: `(${match}; $m.groups[2])`,
  };
}
