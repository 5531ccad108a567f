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
    f({
      id: 'CoId',
      dataType: 'string',
      length: 3,
      label: ['Land', 'Country', 'Pays'],
      mandatory: true,
      values: COUNTRIES,
    }),
    f({
      id: 'BaAc',
      dataType: 'string',
      length: 40,
      label: ['Bankrekening', 'Bank account', 'Compte bancaire'],
      mandatory: true,
    }),
    f({
      id: 'IbCk',
      dataType: 'boolean',
      length: 1,
      label: ['IBAN-controle', 'IBAN check', 'Contrôle IBAN'],
    }),
    f({ id: 'Iban', dataType: 'string', length: 40, label: ['IBAN-nummer', 'IBAN number', 'Numéro IBAN'] }),
    f({ id: 'Bic', dataType: 'string', length: 11, label: ['BIC-code', 'BIC code', 'Code BIC'] }),
    f({ id: 'AcGa', dataType: 'boolean', length: 1, label: ['G-rekening', 'G account', 'Compte G'] }),
    f({
      id: 'AcCk',
      dataType: 'boolean',
      length: 1,
      label: ['Controle rekeningnummer', 'Account number check', 'Contrôle du numéro de compte'],
    }),
  ],
};

export function checkBankAccounts(owner: Element, mode: Mode): void {
  for (const element of children(owner, 'KnBankAccount')) {
    if (actionOf(element, mode.child('KnBankAccount')) === 'insert') requireMandatory(element);
  }
}
