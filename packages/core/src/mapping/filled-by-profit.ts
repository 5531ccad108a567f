/** What an element sets, as a job writes it (`true`, `{ const: true }`, a column name …). */
type Fields = Readonly<Record<string, unknown>>;

const isTrue = (value: unknown): boolean => {
  if (value === true) return true;
  const constant =
    typeof value === 'object' && value !== null ? (value as { const?: unknown }).const : undefined;
  return constant === true || constant === 'true';
};

/** Debtors: AFAS's "Minimaal" POST of KnSalesRelationOrg (SPEC-OrgPers) sends no CdDa. */
const DEBTORS = new Set(['KnSalesRelationOrg', 'KnSalesRelationPer']);

/**
 * Why an insert may leave out a field AFAS flags mandatory because Profit fills it itself, or
 * undefined when it may not. Two published facts: with `AutoNum` true Profit numbers the relation
 * (so `BcCo` may stay unmapped; a column or `false` leaves it required), and AFAS's own minimal
 * debtor insert ("Minimaal", SPEC-OrgPers) sends no `CdDa` (preferred delivery address) although
 * the POST schema flags it: Profit takes the relation's own address. The simulator answers the
 * same way; `koppel validate` and `koppel init` follow this one rule.
 */
export function filledByProfit(object: string, fieldId: string, fields: Fields): string | undefined {
  if (fieldId === 'BcCo' && isTrue(fields.AutoNum)) return 'AutoNum is true: Profit numbers new relations';
  if (fieldId === 'CdDa' && DEBTORS.has(object)) {
    return "AFAS's minimal debtor insert leaves it out and Profit fills it; map a column to choose another address";
  }
  return undefined;
}
