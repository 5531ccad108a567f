import type { Texts } from '../language.js';
import { ERROR_NUMBERS, ProfitFault } from '../profit-fault.js';

/**
 * Every error text the UpdateConnector engine produces. Texts marked (R) are quoted from the
 * reference (§3.5, §5.3); the others are Profit-like inventions, written in Profit's tone.
 */

const general = (nl: string, en: string, fr?: string): ProfitFault =>
  new ProfitFault(
    fr
      ? { nl: `General message: ${nl}`, en: `General message: ${en}`, fr: `General message: ${fr}` }
      : { nl: `General message: ${nl}`, en: `General message: ${en}` },
  );

/** (R) Unknown or unauthorised UpdateConnector. */
export const unsupportedConnector = (): ProfitFault =>
  general(
    'Deze UpdateConnector wordt niet ondersteund of de gebruiker is niet geautoriseerd.',
    'This UpdateConnector is not supported or the user is not authorized.',
  );

/** (R) A mandatory field is empty on insert. */
export const mandatory = (label: Texts): ProfitFault =>
  new ProfitFault({
    nl: `Vul een waarde in bij '${label.nl}'.`,
    en: `Enter a value for '${label.en ?? label.nl}'.`,
    fr: `Saisissez une valeur pour '${label.fr ?? label.en ?? label.nl}'.`,
  });

/** (R) A code or reference value that does not exist. */
export const doesNotExist = (label: Texts): ProfitFault =>
  new ProfitFault(
    {
      nl: `De ingevulde waarde bij '${label.nl}' bestaat niet.`,
      en: `The entered value for '${label.en ?? label.nl}' does not exist.`,
      fr: `La valeur saisie pour '${label.fr ?? label.en ?? label.nl}' n'existe pas.`,
    },
    { errorNumber: ERROR_NUMBERS.valueDoesNotExist },
  );

/** The body is not `{Root: {Element: …}}`. */
export const badShape = (detail: Texts): ProfitFault =>
  general(`Ongeldig verzoek: ${detail.nl}`, `Invalid request: ${detail.en ?? detail.nl}`);

/** The root object is not the metainfo `name`. */
export const wrongRoot = (expected: string, got: string): ProfitFault =>
  general(
    `Het object '${got}' wordt niet ondersteund door deze UpdateConnector; verwacht '${expected}'.`,
    `The object '${got}' is not supported by this UpdateConnector; expected '${expected}'.`,
  );

export const unknownField = (field: string, object: string): ProfitFault =>
  general(
    `Het veld '${field}' bestaat niet in het object '${object}'.`,
    `The field '${field}' does not exist in the object '${object}'.`,
    `Le champ '${field}' n'existe pas dans l'objet '${object}'.`,
  );

export const unknownObject = (name: string, parent: string): ProfitFault =>
  general(
    `Het object '${name}' bestaat niet in het object '${parent}'.`,
    `The object '${name}' does not exist in the object '${parent}'.`,
  );

export const badAction = (value: string): ProfitFault =>
  general(
    `De actie '${value}' is ongeldig; gebruik insert, update of delete.`,
    `The action '${value}' is invalid; use insert, update or delete.`,
  );

const TYPE_NAMES: Record<string, Texts> = {
  int: { nl: 'geheel getal', en: 'integer' },
  long: { nl: 'geheel getal', en: 'integer' },
  decimal: { nl: 'decimaal getal', en: 'decimal number' },
  boolean: { nl: 'ja/nee-waarde', en: 'boolean' },
  date: { nl: 'datum', en: 'date' },
  blob: { nl: 'base64-bestand', en: 'base64 file' },
  string: { nl: 'tekst', en: 'text' },
};

export const badType = (label: Texts, dataType: string, value: string): ProfitFault => {
  const type = TYPE_NAMES[dataType] ?? { nl: dataType, en: dataType };
  return general(
    `De waarde '${value}' bij '${label.nl}' is geen geldige ${type.nl}.`,
    `The value '${value}' for '${label.en ?? label.nl}' is not a valid ${type.en}.`,
  );
};

export const tooLong = (label: Texts, max: number): ProfitFault =>
  general(
    `De waarde bij '${label.nl}' is te lang (maximaal ${max} tekens).`,
    `The value for '${label.en ?? label.nl}' is too long (at most ${max} characters).`,
  );

export const notZero = (label: Texts): ProfitFault =>
  general(
    `De waarde bij '${label.nl}' mag niet 0 zijn.`,
    `The value for '${label.en ?? label.nl}' must not be 0.`,
  );

/** (R, nl) Several records match a match profile; `kind` is organisatie, persoon or contactpersoon. */
export const ambiguousMatch = (kind: { nl: string; en: string }): ProfitFault =>
  general(
    `Er is meer dan 1 ${kind.nl} gevonden die voldoet aan het zoekprofiel.`,
    `More than 1 ${kind.en} was found that matches the search profile.`,
  );

export const recordMissing = (label: Texts, value: string): ProfitFault =>
  general(
    `Het record met ${label.nl} '${value}' bestaat niet.`,
    `The record with ${label.en ?? label.nl} '${value}' does not exist.`,
  );

/** Modelled on (R) `(AntaObject) The primary key already exists for field 'Nummer'`. */
export const duplicateKey = (label: Texts): ProfitFault =>
  new ProfitFault({
    nl: `(AntaObject) De primaire sleutel bestaat al voor veld '${label.nl}'`,
    en: `(AntaObject) The primary key already exists for field '${label.en ?? label.nl}'`,
  });

/** Default text for a sub-object that refuses several lines (configurable: `singleLineError`). */
export const SINGLE_LINE_TEXTS: Texts = {
  nl: "General message: Het object '{object}' accepteert maar 1 regel per aanroep.",
  en: "General message: The object '{object}' accepts only 1 line per call.",
};

export const singleLine = (texts: Texts, object: string): ProfitFault => {
  const fill = (text: string | undefined) => text?.replaceAll('{object}', object);
  return new ProfitFault({
    nl: fill(texts.nl) ?? '',
    ...(texts.en ? { en: fill(texts.en) } : {}),
    ...(texts.fr ? { fr: fill(texts.fr) } : {}),
    ...(texts.de ? { de: fill(texts.de) } : {}),
  });
};

/** (R) */
export const genderRequired = (): ProfitFault =>
  general('Bij een persoon is het geslacht verplicht.', 'Gender is mandatory for a person.');

/** (R, nl) */
export const incompleteAddress = (): ProfitFault =>
  general('Een onvolledig adres mag niet geïmporteerd worden.', 'An incomplete address may not be imported.');

/** (R, nl) */
export const poBoxAddition = (): ProfitFault =>
  general(
    "Als het veld 'Postbusadres' is aangevinkt, mag 'Toevoeging aan huisnummer' niet ingevuld zijn.",
    "If the field 'PO box address' is checked, 'House number addition' must not be filled.",
  );

/** (R, en) */
export const mod11 = (): ProfitFault =>
  new ProfitFault({
    nl: 'Het nummer voldoet niet aan de 11-proef',
    en: "The number didn't pass the mod 11 check",
  });

export const unbalanced = (entryNo: string, debit: string, credit: string): ProfitFault =>
  general(
    `Journaalpost ${entryNo} is niet in balans: debet ${debit}, credit ${credit}.`,
    `Journal entry ${entryNo} does not balance: debit ${debit}, credit ${credit}.`,
  );

export const noLines = (): ProfitFault =>
  general('Er zijn geen boekingsregels aangeboden.', 'No entry lines were supplied.');

/** (R, en) `date` formatted d-M-yyyy as Profit does: `1-11-2024`. */
export const blockedDate = (date: string): ProfitFault =>
  new ProfitFault({
    nl: `Datum '${date}' valt in een geblokkeerde periode`,
    en: `Date '${date}' belongs to a blocked period`,
  });

/** (R, en) */
export const blockedPeriod = (period: number, year: number): ProfitFault =>
  new ProfitFault({
    nl: `Voor deze administratie is periode ${period} van het jaar ${year} geblokkeerd.`,
    en: `For this administration, period ${period} of the year ${year} is blocked.`,
  });

/** (R, en) */
export const allocationRequired = (axis: Texts, account: string): ProfitFault =>
  new ProfitFault({
    nl: `Verbijzonderingscode voor as '${axis.nl}' moet gevuld zijn voor rekening ${account}`,
    en: `Allocation code for axis '${axis.en ?? axis.nl}' must be filled for account ${account}`,
  });

export const unsupportedAction = (action: string, object: string): ProfitFault =>
  general(
    `De actie '${action}' wordt niet ondersteund voor het object '${object}'.`,
    `The action '${action}' is not supported for the object '${object}'.`,
  );

export const badDeletePath = (detail: Texts): ProfitFault =>
  general(`Ongeldige verwijderopdracht: ${detail.nl}`, `Invalid delete request: ${detail.en ?? detail.nl}`);
