import { excerpt } from '../job/excerpt.js';
import { compileDatePattern } from './date-pattern.js';
import { BOOLEAN_SPELLINGS, parseBoolean } from './parse-boolean.js';
import { parseDecimal, type ThousandsOption } from './parse-decimal.js';
import { ValueReject } from './value-reject.js';

/** The conversions a value can ask for with `type:`. */
export type ValueType = 'string' | 'int' | 'decimal' | 'date' | 'datetime' | 'boolean';

/** Converts trimmed source text to the payload value, or a reject naming the field. */
export type Converter = (text: string) => string | number | boolean | ValueReject;

/** Options of compileConverter. */
export interface ConverterOptions {
  /** Date pattern for date/datetime; default iso. */
  date?: string | undefined;
  /** Decimal mark for decimals; default `.`. */
  decimal?: '.' | ',' | undefined;
  /**
   * Thousands separator of decimals: one mark (`.`, `,`, space or `'`) accepted only in groups of
   * three, or `none`. `auto` or not given: the other mark, space or NBSP in groups of three, but
   * a single group without decimals (`1,234` with mark `.`) is refused as ambiguous.
   */
  thousands?: ThousandsOption | undefined;
  /** Field name for messages. */
  display: string;
}

/**
 * Compiles the conversion of one value once: ints become numbers (strings past 2^53), decimals
 * exact canonical strings with `.`, dates `YYYY-MM-DD`, datetimes `YYYY-MM-DDTHH:mm:ss`, booleans
 * true/false from Dutch or English spellings. Throws an Error for an invalid date pattern.
 */
export function compileConverter(type: ValueType, options: ConverterOptions): Converter {
  const convert = converterOf(type, options);
  if (type === 'string') return convert;
  // Source columns repeat values (every line of an entry has the same date): remember the last one.
  let lastText: string | undefined;
  let lastValue: string | number | boolean | ValueReject = '';
  return (text) => {
    if (text !== lastText) {
      lastValue = convert(text);
      lastText = text;
    }
    return lastValue;
  };
}

function converterOf(type: ValueType, options: ConverterOptions): Converter {
  const { display } = options;
  switch (type) {
    case 'string':
      return (text) => text;
    case 'int':
      return (text) => {
        if (!/^[+-]?\d+$/.test(text))
          return new ValueReject(`${display}: expected a whole number, got "${excerpt(text)}"`);
        const value = Number(text);
        return Number.isSafeInteger(value) ? value : (parseDecimal(text) ?? text);
      };
    case 'decimal': {
      const mark = options.decimal ?? '.';
      const thousands = options.thousands === 'auto' ? undefined : options.thousands;
      const other = mark === '.' ? ',' : '.';
      const grouped = thousands === undefined || thousands === 'none' ? other : thousands;
      const example =
        thousands === 'none'
          ? mark === ','
            ? '1234,56'
            : '1234.56'
          : `${mark === ',' ? '1234,56' : '1234.56'} or 1${grouped}234${mark}56`;
      const ambiguous = new RegExp(`^[+-]?\\d{1,3}\\${other}\\d{3}$`);
      return (text) => {
        if (thousands === undefined && ambiguous.test(text)) {
          return new ValueReject(
            `${display}: "${excerpt(text)}" is ambiguous: \`${other}\` groups thousands or is a decimal mark; declare it (\`thousands: "${other}"\` reads ${text.replace(other, '')}, \`decimal: "${other}"\` reads ${text.replace(other, '.')})`,
          );
        }
        return (
          parseDecimal(text, mark, thousands) ??
          new ValueReject(
            `${display}: expected a decimal with \`${mark}\` as decimal mark (like ${example}), got "${excerpt(text)}"`,
          )
        );
      };
    }
    case 'boolean':
      return (text) =>
        parseBoolean(text) ??
        new ValueReject(`${display}: expected a boolean (${BOOLEAN_SPELLINGS}), got "${excerpt(text)}"`);
    case 'date':
    case 'datetime': {
      const pattern = options.date ?? 'iso';
      const parse = compileDatePattern(pattern, type);
      const shape =
        pattern === 'iso'
          ? type === 'date'
            ? 'yyyy-MM-dd'
            : 'yyyy-MM-ddTHH:mm:ss'
          : pattern === 'excel'
            ? 'an Excel serial day number (45292 = 2024-01-01)'
            : pattern;
      return (text) => {
        const parsed = parse(text);
        if (parsed !== undefined) return parsed;
        const why = parse.explain(text);
        return new ValueReject(
          `${display}: expected a valid ${type} like ${shape}, got "${excerpt(text)}"${why ? `: ${why}` : ''}`,
        );
      };
    }
  }
}
