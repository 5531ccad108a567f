import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeedError } from './errors.js';
import { LANGUAGES, type Language, type Texts } from './language.js';
import type { UpdateMetainfo } from './update-engine.js';

/** `DIR/environment.json` of a folder `koppel metainfo pull` records (never the token). */
export interface RecordedEnvironmentFile {
  /** Base URL the metainfo was read from. */
  baseUrl: string;
  /** `info.envid` of `/metainfo`, when the environment reported one. */
  environmentId?: string;
  /** `info.appName` of `/metainfo`: the App Connector the token belongs to. */
  appName?: string;
  /** `info.group` of `/metainfo`, e.g. `AuthorizationGroup 101 (12345.KOPPEL)`. */
  group?: string;
  /** When the pull finished (ISO 8601). */
  pulledAt: string;
  /** Languages recorded; each connector has one file per language. */
  languages: string[];
  /** `/metainfo` lists as the environment returned them. */
  updateConnectors: { id: string; description: string }[];
  getConnectors: { id: string; description: string }[];
}

/** A field of `/metainfo/get/{id}` (reference §2.2). */
export interface GetFieldMetainfo {
  id: string;
  fieldId: string;
  dataType: string;
  label: string;
  length: number;
  controlType: number;
  decimals: number;
  decimalsFieldId: string;
}

/** The whole `/metainfo/get/{id}` document. */
export interface GetMetainfo {
  name: string;
  description: string;
  fields: GetFieldMetainfo[];
}

/** An environment's metainfo as `koppel metainfo pull` recorded it: the documents per connector and language. */
export interface RecordedMetainfo {
  environment: RecordedEnvironmentFile;
  /** `update/{id}.{language}.json` by connector id and language. */
  update: Record<string, Partial<Record<Language, UpdateMetainfo>>>;
  /** `get/{id}.{language}.json` by connector id and language. */
  get: Record<string, Partial<Record<Language, GetMetainfo>>>;
}

/** A connector id as the pull names its files: ids are letters, digits and `_`; anything else is encoded. */
export const recordedFileId = (id: string): string => (/^[\w-]+$/.test(id) ? id : encodeURIComponent(id));

/**
 * Reads a folder `koppel metainfo pull --out DIR` wrote: `environment.json`, then the
 * `update/` and `get/` document of every listed connector in every recorded language.
 * Throws a SeedError naming every missing or unreadable file.
 */
export function readRecordedMetainfo(dir: string): RecordedMetainfo {
  const source = `metainfo folder ${dir}`;
  const file = join(dir, 'environment.json');
  if (!existsSync(file)) {
    throw new SeedError(source, [
      `${file} does not exist; record an environment with \`koppel metainfo pull --out ${dir}\``,
    ]);
  }
  const problems: string[] = [];
  const readJson = (path: string): unknown => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      problems.push(
        `${path}: ${existsSync(path) ? `not JSON (${(error as Error).message})` : 'missing; pull again'}`,
      );
      return undefined;
    }
  };
  const environment = readJson(file) as RecordedEnvironmentFile | undefined;
  if (!environment) throw new SeedError(source, problems);
  const languages = (environment.languages ?? []).filter((language): language is Language =>
    (LANGUAGES as readonly string[]).includes(language),
  );
  if (languages.length === 0 || !Array.isArray(environment.updateConnectors)) {
    throw new SeedError(source, [
      `${file}: expected languages (${LANGUAGES.join(', ')}) and the updateConnectors and getConnectors lists of \`koppel metainfo pull\``,
    ]);
  }
  const documents = <T>(kind: 'update' | 'get', ids: { id: string }[] = []) =>
    Object.fromEntries(
      ids.map(({ id }) => [
        id,
        Object.fromEntries(
          languages.map((language) => [
            language,
            readJson(join(dir, kind, `${recordedFileId(id)}.${language}.json`)) as T,
          ]),
        ) as Partial<Record<Language, T>>,
      ]),
    );
  const recorded: RecordedMetainfo = {
    environment,
    update: documents<UpdateMetainfo>('update', environment.updateConnectors),
    get: documents<GetMetainfo>('get', environment.getConnectors),
  };
  if (problems.length > 0) throw new SeedError(source, problems);
  return recorded;
}

/** The recorded languages of a connector, the base one (the stored codes' language) first: nl-nl, nl-be, en-us, fr-fr, de-de. */
export function recordedLanguages<T>(documents: Partial<Record<Language, T>>): [Language, T][] {
  return LANGUAGES.flatMap((language) => {
    const document = documents[language];
    return document === undefined ? [] : [[language, document] as [Language, T]];
  });
}

const TEXT_KEY: Record<Language, keyof Texts> = {
  'nl-nl': 'nl',
  'nl-be': 'nl',
  'en-us': 'en',
  'fr-fr': 'fr',
  'de-de': 'de',
};

/** The texts of recorded languages as one Texts (nl-nl before nl-be; nl from the base language when neither was recorded). */
export function textsOf(byLanguage: readonly [Language, string][]): Texts {
  const texts: Partial<Texts> = {};
  for (const [language, text] of byLanguage) texts[TEXT_KEY[language]] ??= text;
  return { ...texts, nl: texts.nl ?? byLanguage[0]?.[1] ?? '' };
}

/** The language key (`en`, `fr`, `de`) a code of a recorded language is kept under, or undefined for Dutch. */
export const codeKey = (language: Language): 'en' | 'fr' | 'de' | undefined => {
  const key = TEXT_KEY[language];
  return key === 'nl' ? undefined : key;
};

/** The numeric URL id of a recorded environment: from `info.envid` (T12345AA), else its base URL, else 12345. */
export function recordedEnvironmentId(environment: RecordedEnvironmentFile): string {
  const fromCode = /\d+/.exec(environment.environmentId ?? '')?.[0];
  const fromUrl =
    /\/(\d+)\/ProfitRestServices/i.exec(environment.baseUrl)?.[1] ??
    /^https?:\/\/(\d+)\./i.exec(environment.baseUrl)?.[1];
  return fromCode ?? fromUrl ?? '12345';
}
