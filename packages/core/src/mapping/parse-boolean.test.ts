import { describe, expect, it } from 'vitest';
import { parseBoolean } from './parse-boolean.js';

describe('parseBoolean', () => {
  it.each(['ja', 'Ja', 'j', 'waar', 'true', 'TRUE', 'yes', 'y', '1'])('%s is true', (text) => {
    expect(parseBoolean(text)).toBe(true);
  });
  it.each(['nee', 'N', 'n', 'onwaar', 'false', 'no', '0'])('%s is false', (text) => {
    expect(parseBoolean(text)).toBe(false);
  });
  it.each(['misschien', '2', '', 'ja!'])('%s is not a boolean', (text) => {
    expect(parseBoolean(text)).toBeUndefined();
  });
});
