import type { Language } from '../language.js';
import type { CodeValue } from './spec.js';

const v = (
  id: string,
  [nl, en, fr]: [nl: string, en: string, fr?: string],
  codes?: CodeValue['codes'],
): CodeValue => ({
  id,
  description: fr ? { nl, en, fr } : { nl, en },
  ...(codes ? { codes } : {}),
});

/** The code a language uses for a value: nl-nl/nl-be the canonical id, fr-fr fr ?? en, de-de de ?? en. */
export function codeIn(value: CodeValue, language: Language): string {
  switch (language) {
    case 'nl-nl':
    case 'nl-be':
      return value.id;
    case 'en-us':
      return value.codes?.en ?? value.id;
    case 'fr-fr':
      return value.codes?.fr ?? value.codes?.en ?? value.id;
    case 'de-de':
      return value.codes?.de ?? value.codes?.en ?? value.id;
  }
}

/** Resolves a code sent in `language` to its canonical id; undefined when the language has no such code. */
export function canonicalCode(values: CodeValue[], code: string, language: Language): string | undefined {
  return values.find((value) => codeIn(value, language) === code)?.id;
}

/** Account kind of a journal line (VaAs). */
export const ACCOUNT_KINDS = [
  v('1', ['Grootboekrekening', 'Ledger account', 'Compte général']),
  v('2', ['Debiteur', 'Debtor', 'Débiteur']),
  v('3', ['Crediteur', 'Creditor', 'Créditeur']),
];

/** Gender (ViGe): M/V/O in nl and en, H/F/I in fr. */
export const GENDERS = [
  v('M', ['Man', 'Male', 'Homme'], { fr: 'H' }),
  v('V', ['Vrouw', 'Female', 'Femme'], { fr: 'F' }),
  v('O', ['Onbekend', 'Unknown', 'Inconnu'], { fr: 'I' }),
];

/** Countries (CoId). Real AFAS codes are not always ISO (reference §7.13); the simulator uses ISO codes. */
export const COUNTRIES = [
  v('NL', ['Nederland', 'Netherlands', 'Pays-Bas']),
  v('BE', ['België', 'Belgium', 'Belgique']),
  v('DE', ['Duitsland', 'Germany', 'Allemagne']),
  v('FR', ['Frankrijk', 'France', 'France']),
  v('GB', ['Verenigd Koninkrijk', 'United Kingdom', 'Royaume-Uni']),
  v('LU', ['Luxemburg', 'Luxembourg', 'Luxembourg']),
  v('US', ['Verenigde Staten', 'United States', 'États-Unis']),
];

/** Nationalities (PsNa). */
export const NATIONALITIES = [
  v('NL', ['Nederlandse', 'Dutch', 'Néerlandaise']),
  v('BE', ['Belgische', 'Belgian', 'Belge']),
  v('DE', ['Duitse', 'German', 'Allemande']),
  v('FR', ['Franse', 'French', 'Française']),
  v('GB', ['Britse', 'British', 'Britannique']),
];

/** Civil status (ViCs). */
export const CIVIL_STATUSES = [
  v('OG', ['Ongehuwd', 'Unmarried', 'Célibataire']),
  v('GH', ['Gehuwd', 'Married', 'Marié(e)']),
  v('GS', ['Gescheiden', 'Divorced', 'Divorcé(e)']),
  v('WE', ['Weduwe/weduwnaar', 'Widowed', 'Veuf/veuve']),
  v('SA', ['Samenwonend', 'Cohabiting', 'Cohabitant(e)']),
];

/** Currencies (CuId). */
export const CURRENCIES = [
  v('EUR', ['Euro', 'Euro', 'Euro']),
  v('USD', ['Amerikaanse dollar', 'US dollar', 'Dollar américain']),
  v('GBP', ['Brits pond', 'Pound sterling', 'Livre sterling']),
  v('CHF', ['Zwitserse frank', 'Swiss franc', 'Franc suisse']),
];

/** Invoice channel of a debtor (InPv). */
export const INVOICE_CHANNELS = [
  v('P', ['Afdrukken', 'Print', 'Imprimer']),
  v('E', ['E-mail', 'E-mail', 'E-mail']),
  v('B', ['Afdrukken en e-mail', 'Print and e-mail', 'Imprimer et e-mail']),
  v('X', ['E-factuur (UBL)', 'E-invoice (UBL)', 'Facture électronique (UBL)']),
];

/** Contact kind (ViKc). */
export const CONTACT_KINDS = [
  v('PRS', ['Persoon', 'Person', 'Personne']),
  v('AFD', ['Afdeling', 'Department', 'Service']),
  v('ALG', ['Algemeen', 'General', 'Général']),
];

/** Match profile of a person (MatchPer, reference §3.4). */
export const MATCH_PER = [
  v('0', ['Zoek op BcCo (persoons-ID)', 'Match on BcCo (person id)', 'Recherche par BcCo']),
  v('1', ['Burgerservicenummer', 'Social security number', 'Numéro de sécurité sociale']),
  v('2', [
    'Naam + voorvoegsel + voorletter + geslacht',
    'Name + prefix + initials + gender',
    'Nom + préfixe + initiales + sexe',
  ]),
  v('3', [
    'Naam + voorvoegsel + voorletter + geslacht + e-mail werk',
    'Name + prefix + initials + gender + work e-mail',
    'Nom + préfixe + initiales + sexe + e-mail',
  ]),
  v('4', [
    'Naam + voorvoegsel + voorletter + geslacht + mobiel werk',
    'Name + prefix + initials + gender + work mobile',
    'Nom + préfixe + initiales + sexe + mobile',
  ]),
  v('5', [
    'Naam + voorvoegsel + voorletter + geslacht + telefoon werk',
    'Name + prefix + initials + gender + work phone',
    'Nom + préfixe + initiales + sexe + téléphone',
  ]),
  v('6', [
    'Naam + voorvoegsel + voorletter + geslacht + geboortedatum',
    'Name + prefix + initials + gender + date of birth',
    'Nom + préfixe + initiales + sexe + date de naissance',
  ]),
  v('7', ['Altijd nieuw toevoegen', 'Always add new', 'Toujours ajouter']),
];

/** Match profile of an organisation (MatchOga, reference §3.4). */
export const MATCH_OGA = [
  v('0', ['Zoek op BcCo', 'Match on BcCo', 'Recherche par BcCo']),
  v('1', ['KvK-nummer', 'Chamber of Commerce number', 'Numéro de la Chambre de commerce']),
  v('2', ['Fiscaal nummer', 'Fiscal number', 'Numéro fiscal']),
  v('3', ['Naam', 'Name', 'Nom']),
  v('4', ['Adres', 'Address', 'Adresse']),
  v('5', ['Postadres', 'Postal address', 'Adresse postale']),
  v('6', ['Altijd nieuw toevoegen', 'Always add new', 'Toujours ajouter']),
];
