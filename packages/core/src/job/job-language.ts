import type { Language } from './connections.js';
import type { LoadedJob } from './load-job.js';

/** The language a job asks for when its connection is not resolved. */
export function jobLanguage(loaded: LoadedJob): Language {
  const connection = loaded.job.connection;
  return (
    loaded.connection?.language ??
    (typeof connection === 'object' ? connection.language : undefined) ??
    'nl-nl'
  );
}
