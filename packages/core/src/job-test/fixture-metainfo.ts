import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Language } from '../job/connections.js';
import { MetainfoError } from '../job/errors.js';
import type { MetainfoProvider, UpdateMetainfo } from '../metainfo/update-metainfo.js';

/** The fixture path for a connector and language: `{connector}` and `{language}` filled in. */
export function fixturePath(template: string, connector: string, language: Language): string {
  return template.replaceAll('{connector}', connector).replaceAll('{language}', language);
}

/** Reads recorded update metainfo from JSON files named by `template` (see fixturePath). */
export function fixtureMetainfoProvider(template: string): MetainfoProvider {
  return {
    async update(connector, language) {
      const file = fixturePath(template, connector, language);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        throw new MetainfoError(
          `no recorded metainfo for ${connector} in ${language} at ${file} (${reason}); record it with \`koppel test --record --sim\` or \`koppel test --record\` (from the job's connection)`,
          { cause: error },
        );
      }
      try {
        const metainfo = JSON.parse(text) as UpdateMetainfo;
        if (typeof metainfo?.name !== 'string' || !Array.isArray(metainfo.fields))
          throw new Error('no name/fields');
        metainfo.objects ??= [];
        return metainfo;
      } catch (error) {
        throw new MetainfoError(
          `${file} is not recorded update metainfo (expected JSON with name, fields, objects); record it again with --record`,
          { cause: error },
        );
      }
    },
  };
}

/** Passes metainfo through from `inner` and writes each document to its fixture file (pretty JSON). */
export function recordingMetainfoProvider(inner: MetainfoProvider, template: string): MetainfoProvider {
  return {
    async update(connector, language) {
      const metainfo = await inner.update(connector, language);
      const file = fixturePath(template, connector, language);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(metainfo, null, 2)}\n`);
      return metainfo;
    },
  };
}
