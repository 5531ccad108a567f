import type { UpdateFieldMeta } from '../metainfo/update-metainfo.js';

/** A value `koppel init` writes for a mandatory field no column fills, and why. */
export interface FieldDefault {
  /** The value as YAML (`false`, `{ const: "0" }`, `{ column: x }`). */
  value: string;
  why: string;
}

/** What a default may depend on: the object, the value text of a mapped field, today's date. */
export interface DefaultContext {
  object: string;
  /** The value text of `fieldId` when a column is mapped to it (in this object or above). */
  mapped(fieldId: string): string | undefined;
  /** The column mapped to `fieldId` (in this object or above). */
  column(fieldId: string): string | undefined;
  /** The date pattern of the column mapped to `fieldId` (in this object or below), e.g. dd-MM-yyyy. */
  datePattern(fieldId: string): { column: string; pattern: string } | undefined;
  /** yyyy-MM-dd. */
  today: string;
}

const constant = (text: string): string => `{ const: ${JSON.stringify(text)} }`;

/** Persons, as an object of any connector (KnPerson, a debtor's person, a contact's person). */
const PERSON = 'KnPerson';

/**
 * Fields Profit's rules require on insert although the metainfo does not flag them: a person's
 * last name ("Vul een waarde in bij 'Achternaam'") and gender ("Bij een persoon is het geslacht
 * verplicht"), and a bank account's number (Bankrekening; the IBAN when that is all there is).
 * `koppel init` treats them as mandatory: a default where one is honest, else a TODO.
 */
export const requiredByProfit = (object: string, fieldId: string): boolean =>
  (object === PERSON && (fieldId === 'LaNm' || fieldId === 'ViGe')) ||
  (object === 'KnBankAccount' && fieldId === 'BaAc');
const ADDRESS = new Set(['KnBasicAddressAdr', 'KnBasicAddressPad']);
const LEDGER = /grootboek|ledger|^gb|^gl\b|\bgl[ _-]?account/i;

/**
 * The default for a mandatory field that is an AFAS setting rather than data (how to number and
 * match a person, whether an address is a PO box …), or a copy of the column of its twin (the
 * voucher date from the entry date, a debtor's person number from the debtor number). Undefined
 * for data fields: those stay TODOs.
 */
export function defaultFor(field: UpdateFieldMeta, ctx: DefaultContext): FieldDefault | undefined {
  const numbered = ['BcCo', 'DbId', 'CrId'].some((fieldId) => ctx.mapped(fieldId) !== undefined);
  switch (field.fieldId) {
    case 'PadAdr':
      return { value: 'true', why: 'the postal address is the visiting address' };
    case 'AutoNum':
      return numbered
        ? { value: 'false', why: 'the number comes from the export (BcCo)' }
        : { value: 'true', why: 'AFAS numbers new records' };
    case 'MatchPer':
      return numbered
        ? { value: constant('0'), why: 'match on the number (BcCo): a second run updates' }
        : { value: constant('7'), why: 'always insert (no number column to match on)' };
    case 'MatchOga':
      return numbered
        ? { value: constant('0'), why: 'match on the number (BcCo): a second run updates' }
        : { value: constant('6'), why: 'always insert (no number column to match on)' };
    case 'ViGe':
      // no gender column: Onbekend is AFAS's own code for "unknown", never a guess
      return ctx.object === PERSON && field.values?.some((code) => code.id === 'O')
        ? {
            value: constant('O'),
            why: 'Profit requires a gender for a person and the export has none: O is Onbekend (unknown)',
          }
        : undefined;
    case 'AddToPortal':
      return { value: 'false', why: 'no portal access' };
    case 'PbAd':
      return ADDRESS.has(ctx.object) ? { value: 'false', why: 'not a PO box' } : undefined;
    case 'ResZip':
      return ADDRESS.has(ctx.object) ? { value: 'false', why: 'keep the city of the export' } : undefined;
    case 'BeginDate':
      return ADDRESS.has(ctx.object)
        ? { value: constant(ctx.today), why: 'ignored for a first address' }
        : undefined;
    case 'CoId':
      if (ctx.object === 'KnBankAccount' && ctx.column('Iban') !== undefined) {
        const iban = `\`${(ctx.column('Iban') as string).replace(/`/g, '')}\``;
        return {
          value: `{ expr: ${JSON.stringify(`$type(${iban}) = 'string' ? $substring(${iban}, 0, 2)`)}, codes: { by: iso-country } }`,
          why: 'the country of the IBAN (its first two letters, ISO: DE is D for AFAS)',
        };
      }
      return ctx.object === 'KnBankAccount' || ADDRESS.has(ctx.object)
        ? { value: constant('NL'), why: 'no country column; NL is the AFAS code of the Netherlands' }
        : undefined;
    case 'CuId':
      return ctx.object.startsWith('KnSalesRelation') || ctx.object.startsWith('KnPurchaseRelation')
        ? { value: constant('EUR'), why: 'no currency column' }
        : undefined;
    case 'VaAs':
      // No column says the account kind: the account column says ledger (Grootboek, GL account),
      // or a plain "Account"/"Rekening" is taken as one; AFAS refuses a ledger account that does
      // not exist, so a debtor or creditor number under kind 1 is refused, never booked wrongly.
      return LEDGER.test(ctx.column('AcNr') ?? '')
        ? {
            value: constant('1'),
            why: 'the account column holds general ledger accounts (2 debtor, 3 creditor)',
          }
        : {
            value: constant('1'),
            why: 'no column gives the account kind, so every line is taken as a general ledger account; lines on debtors (2) or creditors (3) need a column with the kind (AFAS refuses an account number that is not a ledger account)',
          };
    case 'Year':
    case 'Peri':
      return fromEntryDate(ctx, field.fieldId === 'Year' ? 'year' : 'month');
    case 'BpDa':
      return twin(ctx, 'EnDa', 'the voucher date is the entry date');
    case 'EnDa':
      return twin(ctx, 'BpDa', 'the entry date is the voucher date');
    case 'BcCo':
      return (
        twin(ctx, 'DbId', 'the number is the debtor number') ??
        twin(ctx, 'CrId', 'the number is the creditor number')
      );
    case 'BaAc':
      return ctx.object === 'KnBankAccount'
        ? twin(ctx, 'Iban', 'the account number is the IBAN (Profit requires one)')
        : undefined;
    default:
      return undefined;
  }
}

function twin(ctx: DefaultContext, fieldId: string, why: string): FieldDefault | undefined {
  const value = ctx.mapped(fieldId);
  return value === undefined ? undefined : { value, why };
}

/** Where year and month sit in a date of each pattern: a substring (start, length) or a split part. */
const DATE_PARTS: Record<string, { year: string; month: string }> = {
  'yyyy-MM-dd': { year: 'sub 0 4', month: 'sub 5 2' },
  iso: { year: 'sub 0 4', month: 'sub 5 2' },
  yyyyMMdd: { year: 'sub 0 4', month: 'sub 4 2' },
  'dd-MM-yyyy': { year: 'sub 6 4', month: 'sub 3 2' },
  'dd/MM/yyyy': { year: 'sub 6 4', month: 'sub 3 2' },
  'dd.MM.yyyy': { year: 'sub 6 4', month: 'sub 3 2' },
  'MM/dd/yyyy': { year: 'sub 6 4', month: 'sub 0 2' },
  'd-M-yyyy': { year: 'split - 2', month: 'split - 1' },
  'd/M/yyyy': { year: 'split / 2', month: 'split / 1' },
  'd.M.yyyy': { year: 'split . 2', month: 'split . 1' },
  'M/d/yyyy': { year: 'split / 2', month: 'split / 0' },
};

/** Boekjaar and Periode from the entry date (the period taken as the month), as a JSONata `expr`. */
function fromEntryDate(ctx: DefaultContext, part: 'year' | 'month'): FieldDefault | undefined {
  const date = ctx.datePattern('EnDa') ?? ctx.datePattern('BpDa');
  const where = date && DATE_PARTS[date.pattern]?.[part];
  if (!date || !where) return undefined;
  const column = `\`${date.column.replace(/`/g, '')}\``;
  const [kind, a, b] = where.split(' ') as [string, string, string];
  const expr = kind === 'sub' ? `$substring(${column}, ${a}, ${b})` : `$split(${column}, '${a}')[${b}]`;
  const why =
    part === 'year'
      ? `the year of ${date.column}`
      : `the month of ${date.column}; check that the administration has 12 periods`;
  return { value: `{ expr: ${JSON.stringify(expr)} }`, why };
}
