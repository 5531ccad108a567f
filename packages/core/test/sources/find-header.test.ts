import { describe, expect, it } from 'vitest';
import { findHeader } from '../../src/sources/find-header.js';

const rows = (lines: string[], delimiter = ';') =>
  lines.map((text, i) => ({ line: i + 1, cells: text === '' ? [''] : text.split(delimiter) }));

describe('findHeader', () => {
  it('skips title lines ending in ;;;;, lines of only delimiters and blank lines', () => {
    const found = findHeader(
      rows([
        'Klantenoverzicht;;;',
        'Export 01-03-2024;;;',
        ';;;',
        '',
        'Nr;Naam;Plaats;Bedrag',
        '1;Jan;Zwolle;1,50',
      ]),
    );
    expect(found).toEqual({ line: 5, names: ['Nr', 'Naam', 'Plaats', 'Bedrag'], width: 4 });
  });

  it('skips report lines of two text cells when the rows below are wider', () => {
    const found = findHeader(rows(['Rapport;Debiteuren', 'Datum;01-03-2024', 'a;b;c', '1;2;3', '4;5;6']));
    expect(found?.line).toBe(3);
  });

  it('keeps trailing empty cells in the width and trims the names', () => {
    expect(findHeader(rows([' Nr ;Naam ;;', '1;Jan;;']))).toEqual({
      line: 1,
      names: ['Nr', 'Naam'],
      width: 4,
    });
  });

  it('does not take a row of numbers or dates for a header; undefined when nothing qualifies', () => {
    expect(findHeader(rows(['2024;01-03-2024;12,50', '2024;02-03-2024;7,00']))).toBeUndefined();
    expect(findHeader(rows(['Alleen een titel']))).toBeUndefined();
  });
});
