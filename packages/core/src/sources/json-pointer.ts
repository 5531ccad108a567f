import { SourceOptionsError } from './errors.js';

/** Splits an RFC 6901 JSON pointer (`/data/items`, `~1` = `/`, `~0` = `~`); `''` is the root. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new SourceOptionsError(
      `Expected \`records\` to be a JSON pointer such as \`/data/items\`, got \`${pointer}\``,
    );
  }
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
