import type { UpdateFieldMeta, UpdateObjectMeta } from '../metainfo/update-metainfo.js';

/** A column matched to a field of an object (path of object names from the root). */
export interface ColumnMatch {
  column: string;
  /** Object names below the root, e.g. ['KnBasicAddressAdr']; [] for the root. */
  objectPath: string[];
  field: UpdateFieldMeta;
  /** 1 for an exact field id or label, lower for a similar one. */
  score: number;
}

/** Lower case, no accents, only letters and digits. */
const fold = (text: string): string =>
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
    default:
      return true;
  }
}

/** How well a column name fits a field: its id, or its label in any of the given languages. */
export function matchScore(column: string, fieldId: string, labels: readonly string[]): number {
  const name = fold(column);
  if (!name) return 0;
  if (name === fold(fieldId)) return 1;
  let best = 0;
  // huisnr, klant_no: the short forms of nummer/number
  const spelled = [name, name.replace(/(nr|no)$/, 'nummer'), name.replace(/(nr|no)$/, 'number')];
  for (const label of labels) {
    const folded = fold(label);
    if (!folded) continue;
    if (spelled.includes(folded)) return 1;
    const similarity = 1 - distance(name, folded) / Math.max(name.length, folded.length);
    if (similarity >= 0.8) best = Math.max(best, 0.7 + similarity / 5);
    if (name.length >= 4 && folded.startsWith(name)) best = Math.max(best, 0.9);
    else if (name.length >= 4 && folded.endsWith(name)) best = Math.max(best, 0.8);
    const columnWords = words(column);
    const labelWords = words(label);
    if (columnWords.join(' ') === labelWords.join(' ')) return 1;
    if (columnWords.length > 0 && columnWords.every((word) => labelWords.includes(word))) {
      best = Math.max(best, 0.75 + 0.2 * (columnWords.length / labelWords.length));
    } else if (labelWords.length > 0 && labelWords.every((word) => columnWords.includes(word))) {
      best = Math.max(best, 0.75 + 0.1 * (labelWords.length / columnWords.length));
    }
  }
  return best;
}

/**
 * Matches columns to fields of the metainfo tree (the same tree in other languages gives more
 * labels) when their guessed type fits the field, best score first; each column and each field is used at most once. Scores below 0.75
 * do not match.
 */
export function matchColumns(
  columns: readonly { name: string; type: string }[],
  metainfo: UpdateObjectMeta,
  others: readonly UpdateObjectMeta[] = [],
): ColumnMatch[] {
  const candidates: ColumnMatch[] = [];
  const visit = (
    object: UpdateObjectMeta,
    path: string[],
    twins: readonly (UpdateObjectMeta | undefined)[],
  ): void => {
    for (const field of object.fields) {
      const labels = [
        field.label,
        ...twins.map((twin) => twin?.fields.find((other) => other.fieldId === field.fieldId)?.label ?? ''),
      ];
      for (const column of columns) {
        if (!fits(field.dataType, column.type)) continue;
        // Deeper objects (a contact's person, a line's project) only win with a clearly better name.
        const score = matchScore(column.name, field.fieldId, labels) - 0.2 * Math.max(0, path.length - 1);
        if (score >= 0.75) candidates.push({ column: column.name, objectPath: path, field, score });
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
  candidates.sort((a, b) => b.score - a.score || a.objectPath.length - b.objectPath.length);
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
