/** Languages the simulator answers in (Accept-Language). Anything else falls back to the environment default. */
export const LANGUAGES = ['nl-nl', 'nl-be', 'en-us', 'fr-fr', 'de-de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A text in several languages; `nl` is mandatory (Profit's base language), the rest fall back to `en`, then `nl`. */
export interface Texts {
  nl: string;
  en?: string;
  fr?: string;
  de?: string;
}

/** Picks the text for a language: nl-nl/nl-be -> nl, fr-fr -> fr ?? en, de-de -> de ?? en, en-us -> en. */
export function localize(texts: Texts, language: Language): string {
  switch (language) {
    case 'nl-nl':
    case 'nl-be':
      return texts.nl;
    case 'fr-fr':
      return texts.fr ?? texts.en ?? texts.nl;
    case 'de-de':
      return texts.de ?? texts.en ?? texts.nl;
    case 'en-us':
      return texts.en ?? texts.nl;
  }
}

/** Parses an Accept-Language header value; undefined when absent or not one of LANGUAGES. */
export function parseLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const first = header.split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return (LANGUAGES as readonly string[]).includes(first ?? '') ? (first as Language) : undefined;
}
