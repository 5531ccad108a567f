import { describe, expect, it } from 'vitest';
import { compileTemplate } from './template.js';

describe('compileTemplate', () => {
  const values: Record<string, string> = { a: 'A', b: 'B' };

  it('renders columns and escaped braces', () => {
    const template = compileTemplate('{a} {b} {{x}}');
    expect(template.columns).toEqual(['a', 'b']);
    expect(template.render((column) => values[column])).toBe('A B {x}');
  });

  it('renders missing columns as empty text', () => {
    expect(compileTemplate('[{missing}]').render(() => undefined)).toBe('[]');
  });

  it('rejects unclosed, empty and unmatched braces', () => {
    expect(() => compileTemplate('{a')).toThrow(
      'template `{a` has an unclosed `{` at offset 0; write {{ for a brace',
    );
    expect(() => compileTemplate('x {}')).toThrow('template `x {}` has an empty `{}` at offset 2');
    expect(() => compileTemplate('a}')).toThrow(
      'template `a}` has an unmatched `}` at offset 1; write }} for a brace',
    );
  });
});
