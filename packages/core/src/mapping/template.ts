/** A compiled `{column}` template: literal parts interleaved with column names. */
export interface CompiledTemplate {
  /** Columns referenced, in order of appearance. */
  columns: string[];
  /** Renders the template, reading each column through `read` (missing values render as ''). */
  render(read: (column: string) => string | undefined): string;
}

/**
 * Compiles `"{voucher_no} {description}"` once. `{{` and `}}` are literal braces; an unclosed
 * `{` or an empty `{}` throws an Error naming the offset.
 */
export function compileTemplate(template: string): CompiledTemplate {
  const literals: string[] = [];
  const columns: string[] = [];
  let literal = '';
  for (let index = 0; index < template.length; index++) {
    const char = template[index];
    if ((char === '{' || char === '}') && template[index + 1] === char) {
      literal += char;
      index++;
    } else if (char === '{') {
      const end = template.indexOf('}', index);
      const name = end < 0 ? '' : template.slice(index + 1, end).trim();
      if (end < 0 || name.includes('{')) {
        throw new Error(
          `template \`${template}\` has an unclosed \`{\` at offset ${index}; write {{ for a brace`,
        );
      }
      if (!name) throw new Error(`template \`${template}\` has an empty \`{}\` at offset ${index}`);
      literals.push(literal);
      columns.push(name);
      literal = '';
      index = end;
    } else if (char === '}') {
      throw new Error(
        `template \`${template}\` has an unmatched \`}\` at offset ${index}; write }} for a brace`,
      );
    } else {
      literal += char;
    }
  }
  literals.push(literal);
  return {
    columns,
    render(read) {
      let out = literals[0] ?? '';
      for (let index = 0; index < columns.length; index++) {
        out += (read(columns[index] as string) ?? '') + (literals[index + 1] ?? '');
      }
      return out;
    },
  };
}
