import type { PipelineDocument } from '@koppel/core';
import { RunSetupError } from './errors.js';

/**
 * Compiles a `{column}` template of `verify.filter` (same syntax as `key:`; `{{`/`}}` are literal
 * braces) into a function of a document, reading the columns of its first source record.
 */
export function compileFilterTemplate(
  template: string,
  where: string,
): (document: PipelineDocument) => string {
  const parts: ({ text: string } | { column: string })[] = [];
  const pattern = /\{\{|\}\}|\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (const match of template.matchAll(pattern)) {
    const [token, column, text, stray] = match;
    if (stray)
      throw new RunSetupError(
        `${where}: unmatched \`${stray}\` in template \`${template}\`; write ${stray}${stray} for a brace`,
      );
    if (token === '{{' || token === '}}') parts.push({ text: token[0] ?? '' });
    else if (text !== undefined) parts.push({ text });
    else if (column?.trim()) parts.push({ column: column.trim() });
    else throw new RunSetupError(`${where}: empty \`{}\` in template \`${template}\``);
  }
  return (document) => {
    const fields = document.records[0]?.fields ?? {};
    return parts
      .map((part) => ('text' in part ? part.text : String(fields[part.column] ?? '').trim()))
      .join('');
  };
}
