/** One physical row of the start of a file: its 1-based line and its cells as split. */
export interface ProbeRow {
  line: number;
  cells: readonly string[];
}

/** The header row `findHeader` chose. */
export interface HeaderRow {
  /** 1-based physical line of the header; `skip_lines` is this minus one. */
  line: number;
  /** Header names, trimmed, up to the last non-empty cell. */
  names: string[];
  /** Cells in the header row including trailing empty ones (Excel pads rows with `;;;`). */
  width: number;
}

const NUMBER_OR_DATE = /^[-+]?[\d.,\s/:€$%-]+$/;

/** Cells up to and including the last non-empty one, trimmed. */
function used(cells: readonly string[]): string[] {
  const trimmed = cells.map((cell) => cell.trim());
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '') end--;
  return trimmed.slice(0, end);
}

/** A header candidate: at least two cells, nearly all non-empty, mostly distinct and mostly text. */
function looksLikeHeader(names: readonly string[]): boolean {
  if (names.length < 2) return false;
  const filled = names.filter((name) => name !== '');
  if (filled.length < Math.ceil(names.length * 0.9)) return false;
  // a repeated name (two Telefoon columns) is allowed now and then; a row of repeats is data
  if (new Set(filled.map((name) => name.toLowerCase())).size < filled.length * 0.8) return false;
  const text = filled.filter((name) => !NUMBER_OR_DATE.test(name) && /\p{L}/u.test(name));
  return text.length >= Math.ceil(filled.length * 0.75);
}

/**
 * The first row that looks like a header and is followed by rows that fit under it (no cell
 * beyond its last column, most rows filling at least half of it): title lines, report headers
 * with a date, lines of only delimiters and blank lines before it are skipped. Undefined when
 * no row qualifies (then the first row is the header, as without guessing).
 */
export function findHeader(rows: readonly ProbeRow[]): HeaderRow | undefined {
  const shapes = rows.map((row) => ({ row, names: used(row.cells) }));
  for (let i = 0; i < shapes.length; i++) {
    const { row, names } = shapes[i] as (typeof shapes)[number];
    if (!looksLikeHeader(names)) continue;
    const after = shapes
      .slice(i + 1)
      .filter((shape) => shape.names.length > 0)
      .slice(0, 20);
    const fit = after.filter(
      (shape) => shape.names.length <= names.length && shape.names.length * 2 >= names.length,
    );
    if (after.length === 0 || fit.length >= Math.ceil(after.length * 0.8)) {
      return { line: row.line, names, width: row.cells.length };
    }
  }
  return undefined;
}
