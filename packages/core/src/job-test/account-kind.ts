/**
 * How exports write the account kind of a journal line, folded (lower case, letters only), and
 * the FiEntries `VaAs` code each means: 1 general ledger, 2 debtor, 3 creditor (AFAS's code list).
 */
const KINDS: Readonly<Record<string, '1' | '2' | '3'>> = {
  g: '1',
  gb: '1',
  gl: '1',
  grootboek: '1',
  grootboekrekening: '1',
  ledger: '1',
  generalledger: '1',
  d: '2',
  deb: '2',
  debiteur: '2',
  debtor: '2',
  c: '3',
  cred: '3',
  crediteur: '3',
  creditor: '3',
};

const fold = (value: string): string => value.toLowerCase().replace(/[^a-z]/g, '');

/**
 * The `VaAs` code of each sampled value when the values are account kinds (G/D/C, Grootboek/
 * Debiteur/Crediteur …), else undefined. A ledger value must be among them: `D`/`C` alone are
 * as likely a debit/credit indicator as debtor/creditor, and that is not a guess to make.
 */
export function accountKindCodes(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const codes: Record<string, string> = {};
  for (const value of values) {
    const code = KINDS[fold(value)];
    if (code === undefined) return undefined;
    codes[value] = code;
  }
  return Object.values(codes).includes('1') ? codes : undefined;
}
