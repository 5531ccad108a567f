import { describe, expect, it } from 'vitest';
import { compileConverter } from './convert.js';
import { ValueReject } from './value-reject.js';

const message = (value: unknown): string | undefined =>
  value instanceof ValueReject ? value.message : undefined;

describe('compileConverter decimals', () => {
  it('refuses one group of three without decimals as ambiguous unless thousands is declared', () => {
    const dot = compileConverter('decimal', { display: 'Bedrag', decimal: '.' });
    expect(message(dot('1,234'))).toBe(
      'Bedrag: "1,234" is ambiguous: `,` groups thousands or is a decimal mark; declare it (`thousands: ","` reads 1234, `decimal: ","` reads 1.234)',
    );
    expect(dot('1,234.50')).toBe('1234.5');
    expect(dot('1,234,567')).toBe('1234567');
    expect(dot('1.234')).toBe('1.234');
    const comma = compileConverter('decimal', { display: 'Bedrag', decimal: ',' });
    expect(message(comma('1.234'))).toContain('"1.234" is ambiguous');
    const auto = compileConverter('decimal', { display: 'Bedrag', decimal: ',', thousands: 'auto' });
    expect(message(auto('1.234'))).toContain('"1.234" is ambiguous');
    expect(auto('1 234,5')).toBe('1234.5');
    expect(comma('1.234,5')).toBe('1234.5');
    const declared = compileConverter('decimal', { display: 'Bedrag', decimal: ',', thousands: '.' });
    expect(declared('1.234')).toBe('1234');
    expect(message(declared('1 234,5'))).toBe(
      'Bedrag: expected a decimal with `,` as decimal mark (like 1234,56 or 1.234,56), got "1 234,5"',
    );
    const none = compileConverter('decimal', { display: 'Bedrag', decimal: ',', thousands: 'none' });
    expect(message(none('1.234,5'))).toBe(
      'Bedrag: expected a decimal with `,` as decimal mark (like 1234,56), got "1.234,5"',
    );
  });

  it('names the impossible day in a date reject', () => {
    const date = compileConverter('date', { display: 'Boekdatum', date: 'd-M-yyyy' });
    expect(date('1-2-2024')).toBe('2024-02-01');
    expect(message(date('31-2-2024'))).toBe(
      'Boekdatum: expected a valid date like d-M-yyyy, got "31-2-2024": February 2024 has no day 31 (it has 29 days)',
    );
    const excel = compileConverter('date', { display: 'Boekdatum', date: 'excel' });
    expect(excel('45292')).toBe('2024-01-01');
    expect(message(excel('60'))).toContain('Excel serial 60 is 1900-02-29, a day that does not exist');
  });
});
