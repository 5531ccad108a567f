import type { UpdateFieldMeta, UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import { accountKindCodes } from './account-kind.js';
import { COLUMN_SYNONYMS } from './column-synonyms.js';

/** A column matched to a field of an object (path of object names from the root). */
export interface ColumnMatch {
  column: string;
  /** Object names below the root, e.g. ['KnBasicAddressAdr']; [] for the root. */
  objectPath: string[];
  field: UpdateFieldMeta;
  /** 1 for an exact field id or label, 0.95 for a known export header, lower for a similar one. */
  score: number;
  /** Mapped in the job; false: only suggested in a comment (similar name, or values of another type). */
  sure: boolean;
  /** Why it matched: `field id`, `label`, `known header`, `similar label`, or the type conflict. */
  reason: string;
}

/** Matches at or above this score are mapped; lower ones (down to 0.75) are suggestions. */
export const SURE_SCORE = 0.85;

/** Objects beside the main record (a contact's person, a line's project): their fields need a clearly better name. */
const SIDE_OBJECTS = new Set([
  'KnContact',
  'KnContactAutRole',
  'FiDimEntries',
  'FiPrjEntries',
  'FiTransEntries',
]);

/** Lower case, no accents, only letters and digits. */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

/** Abbreviations and synonyms seen in exports, mapped to the word AFAS labels use. */
const SYNONYMS: Record<string, string> = {
  no: 'number',
  nr: 'number',
  num: 'number',
  nummer: 'number',
  city: 'residence',
  town: 'residence',
  plaats: 'woonplaats',
  zip: 'postal',
  zipcode: 'postcode',
  phone: 'telephone',
  tel: 'telephone',
  mail: 'email',
  dob: 'birth',
};

/** Labels of one generic word: a column that adds a word to one ("BTW nummer") names something else. */
const GENERIC = new Set(['number', 'name', 'naam', 'code', 'date', 'datum', 'type', 'description']);

const words = (text: string): string[] =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/e-mail/g, 'email')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1)
    .map((word) => SYNONYMS[word] ?? word);

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Whether a column of a guessed type can fill a field of a metainfo data type. */
function fits(dataType: string, columnType: string): boolean {
  switch (dataType) {
    case 'date':
    case 'datetime':
      return columnType === 'date' || columnType === 'datetime';
    case 'int':
    case 'long':
      return columnType === 'int';
    case 'decimal':
      return columnType === 'int' || columnType === 'decimal';
    case 'boolean':
      return columnType === 'boolean' || columnType === 'int';
    case 'blob':
      // base64 of a file: the text of a column is not one (AFAS refuses it), see BLOB_HINT
      return false;
    default:
      return true;
  }
}

/** How well a column name fits a field: its id, or its label in any of the given languages. */
export function matchScore(column: string, fieldId: string, labels: readonly string[]): number {
  const name = fold(column);
  if (!name) return 0;
  // Short ids are words too (In, Is, Ad, Re, Link, Rate): only a column spelled exactly like one matches.
  if (fieldId.length > 4 && name === fold(fieldId)) return 1;
  let best = fieldId.length <= 4 && column.trim() === fieldId ? 0.9 : 0;
  // huisnr, klant_no: the short forms of nummer/number
  const spelled = [name, name.replace(/(nr|no)$/, 'nummer'), name.replace(/(nr|no)$/, 'number')];
  for (const label of labels) {
    const folded = fold(label);
    if (!folded) continue;
    if (spelled.includes(folded)) return 1;
    const similarity = 1 - distance(name, folded) / Math.max(name.length, folded.length);
    if (similarity >= 0.8) best = Math.max(best, 0.7 + similarity / 5);
    // a prefix or suffix of a label (rekening, jaar) is only a suggestion: naam is also Naam bestand
    if (name.length >= 4 && (folded.startsWith(name) || folded.endsWith(name))) best = Math.max(best, 0.8);
    const columnWords = words(column);
    const labelWords = words(label);
    if (columnWords.join(' ') === labelWords.join(' ')) return 1;
    if (columnWords.length > 0 && columnWords.every((word) => labelWords.includes(word))) {
      best = Math.max(best, 0.7 + 0.2 * (columnWords.length / labelWords.length));
    } else if (
      labelWords.length > 0 &&
      !(labelWords.length === 1 && GENERIC.has(labelWords[0] as string)) &&
      labelWords.every((word) => columnWords.includes(word))
    ) {
      best = Math.max(best, 0.75 + 0.1 * (labelWords.length / columnWords.length));
    }
  }
  return best;
}

/** The score of a curated export header for a field (`Object/FieldId` targets only in that object). */
function synonymScore(column: string, object: string, fieldId: string): number {
  const targets = COLUMN_SYNONYMS.get(fold(column));
  if (!targets) return 0;
  const rank = targets.findIndex((target) => target === fieldId || target === `${object}/${fieldId}`);
  return rank === -1 ? 0 : 0.95 - 0.01 * rank;
}

/**
 * Matches columns to fields of the metainfo tree (the same tree in other languages gives more
 * labels): by field id, label, or a curated export header; best score first, each column and
 * each field used at most once. A match scoring below `SURE_SCORE`, or whose column's values do
 * not fit the field's type, is returned with `sure: false` (a suggestion, never mapped). Scores
 * below 0.75 do not match.
 */
export function matchColumns(
  columns: readonly { name: string; type: string; values?: readonly string[] }[],
  metainfo: UpdateObjectMeta,
  others: readonly UpdateObjectMeta[] = [],
): ColumnMatch[] {
  const candidates: ColumnMatch[] = [];
  const visit = (
    object: UpdateObjectMeta,
    path: string[],
    twins: readonly (UpdateObjectMeta | undefined)[],
  ): void => {
    const penalty = 0.2 * path.filter((name) => SIDE_OBJECTS.has(name)).length;
    for (const field of object.fields) {
      if (field.primaryKey && field.dataType === 'int') continue; // internal ids (BcId, EnNo) AFAS assigns
      const labels = [
        field.label,
        ...twins.map((twin) => twin?.fields.find((other) => other.fieldId === field.fieldId)?.label ?? ''),
      ];
      for (const column of columns) {
        const byName = matchScore(column.name, field.fieldId, labels);
        const bySynonym = synonymScore(column.name, object.name, field.fieldId);
        // values that can only be account kinds (G/D/C with a G, Grootboek/Debiteur …) name VaAs
        const byValues = field.fieldId === 'VaAs' && accountKindCodes(column.values) ? 0.9 : 0;
        let score = Math.max(byName, bySynonym, byValues) - penalty;
        if (score < 0.75) continue;
        let reason = byName >= bySynonym ? (byName === 1 ? 'label' : 'similar label') : 'known header';
        if (byValues > Math.max(byName, bySynonym)) reason = 'values are account kinds';
        if (byName >= 0.9 && fold(column.name) === fold(field.fieldId)) reason = 'field id';
        const fitting = fits(field.dataType, column.type);
        // values of another type: only a suggestion, and only for a clearly matching name
        if (!fitting && score < SURE_SCORE) continue;
        if (!fitting) {
          score = Math.min(score, 0.8);
          reason =
            field.dataType === 'blob'
              ? `the field takes base64, not text: { expr: "$base64encode(\`${column.name.replace(/`/g, '')}\`)" } sends the text Latin-1 encoded`
              : `values are ${column.type}, the field is ${field.dataType}`;
        }
        candidates.push({
          column: column.name,
          objectPath: path,
          field,
          score,
          sure: fitting && score >= SURE_SCORE,
          reason,
        });
      }
    }
    for (const child of object.objects) {
      visit(
        child,
        [...path, child.name],
        twins.map((twin) => twin?.objects.find((other) => other.name === child.name)),
      );
    }
  };
  visit(metainfo, [], others);
  candidates.sort(
    (a, b) =>
      Number(b.sure) - Number(a.sure) || b.score - a.score || a.objectPath.length - b.objectPath.length,
  );
  const usedColumns = new Set<string>();
  const usedFields = new Set<string>();
  const matches: ColumnMatch[] = [];
  for (const candidate of candidates) {
    const fieldKey = [...candidate.objectPath, candidate.field.fieldId].join('/');
    if (usedColumns.has(candidate.column) || usedFields.has(fieldKey)) continue;
    usedColumns.add(candidate.column);
    usedFields.add(fieldKey);
    matches.push(candidate);
  }
  return matches;
}
