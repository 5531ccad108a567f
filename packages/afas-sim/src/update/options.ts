import type { Texts } from '../language.js';
import { SINGLE_LINE_TEXTS } from './messages.js';

/** Options of `createUpdateEngine`; every point the reference leaves open is one of these. */
export interface UpdateEngineOptions {
  /** Results of a body with several root Elements: the last, the first, or an array of all (one Element always answers an object). Default `'last'`. */
  multiElementResults?: 'last' | 'first' | 'array';
  /** PUT answers 200 with an empty body, or 201 with `results` like a POST. Default `'empty200'`. */
  putResponse?: 'empty200' | 'results201';
  /** Administration (UnId) used when a FiEntries body omits it: the one the user last logged on to. Default 1. */
  defaultAdministration?: number;
  /** Text of the 500 for a second line of a one-line sub-object (KnBankAccount, KnBasicAddress*); `{object}` is replaced. Default a Profit-like "accepts only 1 line". */
  singleLineError?: Texts;
  /** First BcCo assigned with AutoNum when no higher number exists. Default 100000 (the first is 100001). */
  bcCoStart?: number;
  /** First journal entry number per administration when none exists. Default 70000 (the first is 70001). */
  entryNoStart?: number;
  /** Prefix of invoice numbers generated with AuNu; the number is zero-padded to 6 digits. Default `'IH'`. */
  invoicePrefix?: string;
  /**
   * Accept any well-formed value in reference-table fields (countries; journals, accounts, VAT
   * codes, periods and debtors/creditors of FiEntries; subject types and links) instead of checking
   * them against the seeded tables and AFAS's country codes. Default false (`koppel sim --open-references`).
   */
  openReferences?: boolean;
}

export type ResolvedOptions = Required<UpdateEngineOptions>;

export function resolveOptions(options: UpdateEngineOptions = {}): ResolvedOptions {
  return {
    multiElementResults: options.multiElementResults ?? 'last',
    putResponse: options.putResponse ?? 'empty200',
    defaultAdministration: options.defaultAdministration ?? 1,
    singleLineError: options.singleLineError ?? SINGLE_LINE_TEXTS,
    bcCoStart: options.bcCoStart ?? 100_000,
    entryNoStart: options.entryNoStart ?? 70_000,
    invoicePrefix: options.invoicePrefix ?? 'IH',
    openReferences: options.openReferences ?? false,
  };
}
