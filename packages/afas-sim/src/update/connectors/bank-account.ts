import { COUNTRIES } from '../codes.js';
import { actionOf, type Mode } from '../connector.js';
import { children, type Element, requireMandatory } from '../element.js';
import { f, type ObjectSpec } from '../spec.js';

/** KnBankAccount under a person or organisation: one line per call (reference §3.2). Validated, not stored (no table). */
export const BANK_ACCOUNT: ObjectSpec = {
  name: 'KnBankAccount',
  single: true,
  objects: [],
  fields: [
    f('CoId', 'string', 3, ['Land', 'Country', 'Pays'], { mandatory: true, values: COUNTRIES }),
    f('BaAc', 'string', 40, ['Bankrekening', 'Bank account', 'Compte bancaire'], { mandatory: true }),
    f('IbCk', 'boolean', 1, ['IBAN-controle', 'IBAN check', 'Contrôle IBAN']),
    f('Iban', 'string', 40, ['IBAN-nummer', 'IBAN number', 'Numéro IBAN']),
    f('Bic', 'string', 11, ['BIC-code', 'BIC code', 'Code BIC']),
    f('AcGa', 'boolean', 1, ['G-rekening', 'G account', 'Compte G']),
    f('AcCk', 'boolean', 1, [
      'Controle rekeningnummer',
      'Account number check',
      'Contrôle du numéro de compte',
    ]),
  ],
};

export function checkBankAccounts(owner: Element, mode: Mode): void {
  for (const element of children(owner, 'KnBankAccount')) {
    if (actionOf(element, mode.child('KnBankAccount')) === 'insert') requireMandatory(element);
  }
}
