import type { Row } from '../../db.js';
import { CIVIL_STATUSES, COUNTRIES, GENDERS, MATCH_PER, NATIONALITIES } from '../codes.js';
import type { Connector, DeleteTarget } from '../connector.js';
import type { UpdateContext } from '../context.js';
import { type Element, has, str } from '../element.js';
import { genderRequired, mod11 } from '../messages.js';
import { type ConnectorSpec, f, type ObjectSpec } from '../spec.js';
import { addressSpec, applyAddresses } from './address.js';
import { BANK_ACCOUNT, checkBankAccounts } from './bank-account.js';
import {
  deleteBcCo,
  RELATION_NUMBERING,
  relationResults,
  relationTable,
  WORK_EMAIL,
  WORK_MOBILE,
  WORK_PHONE,
} from './relation.js';

export const PERSON_FIELDS = [
  f({
    id: 'MatchPer',
    dataType: 'string',
    length: 1,
    label: ['Persoon vergelijken op', 'Match person on', 'Comparer la personne sur'],
    values: MATCH_PER,
  }),
  ...RELATION_NUMBERING,
  f({ id: 'CaNm', dataType: 'string', length: 50, label: ['Roepnaam', 'Name used', 'Nom usuel'] }),
  f({ id: 'FiNm', dataType: 'string', length: 50, label: ['Voornaam', 'First name', 'Prénom'] }),
  f({ id: 'In', dataType: 'string', length: 15, label: ['Voorletters', 'Initials', 'Initiales'] }),
  f({ id: 'Is', dataType: 'string', length: 15, label: ['Voorvoegsel', 'Prefix', 'Préfixe'] }),
  f({
    id: 'LaNm',
    dataType: 'string',
    length: 80,
    label: ['Achternaam', 'Last name', 'Nom'],
    mandatory: true,
  }),
  f({
    id: 'SpNm',
    dataType: 'boolean',
    length: 1,
    label: ['Geboortenaam apart vastleggen', 'Record birth name separately', 'Nom de naissance séparé'],
  }),
  f({
    id: 'NmBi',
    dataType: 'string',
    length: 80,
    label: ['Geboortenaam', 'Birth name', 'Nom de naissance'],
  }),
  f({
    id: 'IsBi',
    dataType: 'string',
    length: 15,
    label: ['Voorvoegsel geboortenaam', 'Birth name prefix', 'Préfixe du nom de naissance'],
  }),
  f({ id: 'ViGe', dataType: 'string', length: 1, label: ['Geslacht', 'Gender', 'Sexe'], values: GENDERS }),
  f({
    id: 'PsNa',
    dataType: 'string',
    length: 3,
    label: ['Nationaliteit', 'Nationality', 'Nationalité'],
    values: NATIONALITIES,
  }),
  f({
    id: 'DaBi',
    dataType: 'date',
    length: 10,
    label: ['Geboortedatum', 'Date of birth', 'Date de naissance'],
  }),
  f({
    id: 'CoBi',
    dataType: 'string',
    length: 3,
    label: ['Geboorteland', 'Country of birth', 'Pays de naissance'],
    values: COUNTRIES,
  }),
  f({
    id: 'RsBi',
    dataType: 'string',
    length: 50,
    label: ['Geboorteplaats', 'Place of birth', 'Lieu de naissance'],
  }),
  f({
    id: 'SoSe',
    dataType: 'string',
    length: 9,
    label: ['BSN', 'Social security number', 'Numéro de sécurité sociale'],
  }),
  f({
    id: 'ViCs',
    dataType: 'string',
    length: 2,
    label: ['Burgerlijke staat', 'Civil status', 'État civil'],
    values: CIVIL_STATUSES,
  }),
  f({
    id: 'DaMa',
    dataType: 'date',
    length: 10,
    label: ['Datum huwelijk', 'Wedding date', 'Date du mariage'],
  }),
  WORK_EMAIL,
  WORK_PHONE,
  WORK_MOBILE,
  f({
    id: 'EmA2',
    dataType: 'string',
    length: 255,
    label: ['E-mail privé', 'Private e-mail', 'E-mail privé'],
  }),
];

export const PERSON_OBJECT: ObjectSpec = {
  name: 'KnPerson',
  fields: PERSON_FIELDS,
  objects: [addressSpec('KnBasicAddressAdr'), addressSpec('KnBasicAddressPad'), BANK_ACCOUNT],
};

const COLUMNS = {
  BcCo: 'BcCo',
  SeNm: 'SearchName',
  In: 'Initials',
  FiNm: 'FirstName',
  Is: 'Prefix',
  LaNm: 'LastName',
  ViGe: 'Gender',
  DaBi: 'BirthDate',
  PsNa: 'Nationality',
  SoSe: 'SocialSecurityNumber',
  EmAd: 'Email',
  MbNr: 'Mobile',
  TeNr: 'Phone',
};

/** The row columns each MatchPer code compares (reference §3.4); 0 and 1 are single keys. */
const MATCH_COLUMNS: Record<string, string[]> = {
  '0': ['BcCo'],
  '1': ['SoSe'],
  '2': ['LaNm', 'Is', 'In', 'ViGe'],
  '3': ['LaNm', 'Is', 'In', 'ViGe', 'EmAd'],
  '4': ['LaNm', 'Is', 'In', 'ViGe', 'MbNr'],
  '5': ['LaNm', 'Is', 'In', 'ViGe', 'TeNr'],
  '6': ['LaNm', 'Is', 'In', 'ViGe', 'DaBi'],
};

/** Persons whose columns equal the element's values for the match profile (a key field without value matches nothing). */
function matches(ctx: UpdateContext, element: Element, code: string): Row[] {
  const ids = MATCH_COLUMNS[code] ?? [];
  if (code <= '1' && !has(element, ids[0] ?? '')) return [];
  if (code === '0') return ctx.lookup('persons', 'BcCo', str(element, 'BcCo') ?? null);
  return ctx.find('persons', (row) =>
    ids.every(
      (id) => (row[COLUMNS[id as keyof typeof COLUMNS]] ?? null) === (element.values.get(id) ?? null),
    ),
  );
}

/** BSN 11-test: 9 digits, sum of digit × (9..2) minus the last digit divisible by 11. */
export function passesMod11(value: string): boolean {
  const digits = value.padStart(9, '0');
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  return (sum - Number(digits[8])) % 11 === 0;
}

const PERSONS = relationTable({
  table: 'persons',
  columns: COLUMNS,
  matchField: 'MatchPer',
  alwaysNew: '7',
  kind: { nl: 'persoon', en: 'person' },
  matches,
  check(element) {
    if (has(element, 'SoSe') && !passesMod11(str(element, 'SoSe') ?? '')) throw mod11();
  },
  checkNew(element) {
    if (!has(element, 'ViGe')) throw genderRequired();
  },
  applyChildren(ctx, element, owner) {
    applyAddresses(ctx, element, owner);
    checkBankAccounts(element, owner.mode);
  },
});

/** Inserts, updates or deletes a person element (root or nested); returns its row. */
export const applyPerson = PERSONS.apply;

export const KN_PERSON: Connector = {
  spec: {
    ...PERSON_OBJECT,
    id: 'KnPerson',
    description: { nl: 'Persoon', en: 'Person', fr: 'Personne' },
  } satisfies ConnectorSpec,
  apply: (ctx, element, mode) => relationResults(applyPerson(ctx, element, mode)),
  remove(ctx, target: DeleteTarget) {
    PERSONS.remove(ctx, deleteBcCo(target));
  },
};
