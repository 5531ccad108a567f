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
  f('MatchPer', 'string', 1, ['Persoon vergelijken op', 'Match person on', 'Comparer la personne sur'], {
    values: MATCH_PER,
  }),
  ...RELATION_NUMBERING,
  f('CaNm', 'string', 50, ['Roepnaam', 'Name used', 'Nom usuel']),
  f('FiNm', 'string', 50, ['Voornaam', 'First name', 'Prénom']),
  f('In', 'string', 15, ['Voorletters', 'Initials', 'Initiales']),
  f('Is', 'string', 15, ['Voorvoegsel', 'Prefix', 'Préfixe']),
  f('LaNm', 'string', 80, ['Achternaam', 'Last name', 'Nom'], { mandatory: true }),
  f('SpNm', 'boolean', 1, [
    'Geboortenaam apart vastleggen',
    'Record birth name separately',
    'Nom de naissance séparé',
  ]),
  f('NmBi', 'string', 80, ['Geboortenaam', 'Birth name', 'Nom de naissance']),
  f('IsBi', 'string', 15, ['Voorvoegsel geboortenaam', 'Birth name prefix', 'Préfixe du nom de naissance']),
  f('ViGe', 'string', 1, ['Geslacht', 'Gender', 'Sexe'], { values: GENDERS }),
  f('PsNa', 'string', 3, ['Nationaliteit', 'Nationality', 'Nationalité'], { values: NATIONALITIES }),
  f('DaBi', 'date', 10, ['Geboortedatum', 'Date of birth', 'Date de naissance']),
  f('CoBi', 'string', 3, ['Geboorteland', 'Country of birth', 'Pays de naissance'], { values: COUNTRIES }),
  f('RsBi', 'string', 50, ['Geboorteplaats', 'Place of birth', 'Lieu de naissance']),
  f('SoSe', 'string', 9, ['BSN', 'Social security number', 'Numéro de sécurité sociale']),
  f('ViCs', 'string', 2, ['Burgerlijke staat', 'Civil status', 'État civil'], { values: CIVIL_STATUSES }),
  f('DaMa', 'date', 10, ['Datum huwelijk', 'Wedding date', 'Date du mariage']),
  WORK_EMAIL,
  WORK_PHONE,
  WORK_MOBILE,
  f('EmA2', 'string', 255, ['E-mail privé', 'Private e-mail', 'E-mail privé']),
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
    applyAddresses(ctx, element, owner.bcId, owner.mode);
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
