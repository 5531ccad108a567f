import { type Language, localize, type Texts } from './language.js';

/** Well-known Profit errorNumbers (reference §5.2). Clients must not branch on them; the simulator reproduces them. */
export const ERROR_NUMBERS = {
  generalMessage: -2147180996,
  valueDoesNotExist: -2147220469,
  unexpected: -2147180999,
} as const;

/**
 * A functional Profit error. Anything that real Profit answers with a 500 JSON body
 * (`externalMessage`, `errorNumber`, `profitLogReference`) is thrown as a ProfitFault by the
 * engines; the HTTP layer renders it (status, body, X-Profit-Error header, log reference).
 */
export class ProfitFault extends Error {
  readonly status: number;
  readonly texts: Texts;
  readonly errorNumber: number;

  constructor(texts: Texts, options: { status?: number; errorNumber?: number } = {}) {
    super(texts.en ?? texts.nl);
    this.name = 'ProfitFault';
    this.texts = texts;
    this.status = options.status ?? 500;
    this.errorNumber = options.errorNumber ?? ERROR_NUMBERS.generalMessage;
  }

  /** The externalMessage in the request's language. */
  localized(language: Language): string {
    return localize(this.texts, language);
  }
}
