import type { UpdateFieldMeta, UpdateObjectMeta } from '../metainfo/update-metainfo.js';
import type { ColumnGuess } from '../sources/infer-column.js';
import { fold } from './match-columns.js';

/** One amount column of a journal export split into the debit and credit fields of a line. */
export interface AmountSplit {
  /** The amount column (`Bedrag`, `Amount`). */
  column: string;
  /** A debit/credit indicator column (D/C, Debet/Credit) and its credit values; else the sign decides. */
  indicator?: { column: string; credit: string[] };
  /** The object with AmDe and AmCr (the entry line), as names below the root. */
  objectPath: string[];
  debit: UpdateFieldMeta;
  credit: UpdateFieldMeta;
}

/** Headers of one amount for both sides, folded. */
const AMOUNT = new Set([
  'bedrag',
  'bedrageur',
  'bedragineur',
  'boekingsbedrag',
  'bedragboeking',
  'mutatiebedrag',
  'transactiebedrag',
  'amount',
  'amounteur',
  'postingamount',
  'transactionamount',
]);
/** Values of a debit/credit indicator, folded, by side. */
const DEBIT = new Set(['d', 'debet', 'debit', 'dr', 'db']);
const CREDIT = new Set(['c', 'credit', 'cr']);

/** The shallowest object (root excluded) with both AmDe and AmCr: the entry line, not its allocations. */
function lineObject(
  object: UpdateObjectMeta,
  path: string[] = [],
): { path: string[]; debit: UpdateFieldMeta; credit: UpdateFieldMeta } | undefined {
  let queue = object.objects.map((child) => ({ child, path: [...path, child.name] }));
  while (queue.length > 0) {
    for (const { child, path: at } of queue) {
      const debit = child.fields.find((field) => field.fieldId === 'AmDe');
      const credit = child.fields.find((field) => field.fieldId === 'AmCr');
      if (debit && credit) return { path: at, debit, credit };
    }
    queue = queue.flatMap(({ child, path: at }) =>
      child.objects.map((grandchild) => ({ child: grandchild, path: [...at, grandchild.name] })),
    );
  }
  return undefined;
}

/**
 * A signed amount column to split when the export has no debit and credit columns of its own:
 * `taken` holds the columns already mapped and `mappedFields` the `Object.FieldId`s mapped (an
 * export with a Debet column is not split). A D/C indicator column, when there is one, decides
 * the side; otherwise the sign does (negative is credit).
 */
export function findAmountSplit(options: {
  columns: readonly ColumnGuess[];
  metainfo: UpdateObjectMeta;
  taken: ReadonlySet<string>;
  mappedFields: ReadonlySet<string>;
}): AmountSplit | undefined {
  const line = lineObject(options.metainfo);
  if (!line) return undefined;
  const at = line.path.join('.');
  if (options.mappedFields.has(`${at}.AmDe`) || options.mappedFields.has(`${at}.AmCr`)) return undefined;
  const free = options.columns.filter((column) => !options.taken.has(column.name));
  const amount = free.find(
    (column) => AMOUNT.has(fold(column.name)) && (column.type === 'decimal' || column.type === 'int'),
  );
  if (!amount) return undefined;
  const indicator = free.find((column) => {
    const values = (column.values ?? []).map(fold);
    return (
      column !== amount &&
      values.length > 0 &&
      values.every((value) => DEBIT.has(value) || CREDIT.has(value)) &&
      values.some((value) => CREDIT.has(value))
    );
  });
  return {
    column: amount.name,
    ...(indicator
      ? {
          indicator: {
            column: indicator.name,
            credit: (indicator.values ?? []).filter((value) => CREDIT.has(fold(value))),
          },
        }
      : {}),
    objectPath: line.path,
    debit: line.debit,
    credit: line.credit,
  };
}

const ref = (column: string): string => `\`${column.replace(/`/g, '')}\``;

/**
 * The JSONata of each side: the amount on its own side, "0" on the other (as AFAS's own examples
 * send it), nothing when the amount is empty; the decimal conversion of the field follows.
 */
export function splitExpressions(split: AmountSplit): { debit: string; credit: string; why: string } {
  const value = `$v := $type(${ref(split.column)}) = 'string' ? $trim(${ref(split.column)}) : ''`;
  if (split.indicator) {
    const credits = split.indicator.credit.map((code) => `'${code.replace(/'/g, '')}'`).join(', ');
    const isCredit = `$trim(${ref(split.indicator.column)}) in [${credits}]`;
    return {
      debit: `(${value}; $v = '' ? undefined : ${isCredit} ? '0' : $v)`,
      credit: `(${value}; $v = '' ? undefined : ${isCredit} ? $v : '0')`,
      why: `${split.column} on the side ${split.indicator.column} names (${split.indicator.credit.join('/')} is credit)`,
    };
  }
  return {
    debit: `(${value}; $v = '' ? undefined : $contains($v, '-') ? '0' : $v)`,
    credit: `(${value}; $v = '' ? undefined : $contains($v, '-') ? $replace($v, '-', '') : '0')`,
    why: `${split.column} is a signed amount: positive is debit, negative (a leading or trailing -) is credit; swap the two if the export signs the other way`,
  };
}
