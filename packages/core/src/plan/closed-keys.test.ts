import { describe, expect, it } from 'vitest';
import { ClosedKeys } from './closed-keys.js';

describe('ClosedKeys', () => {
  it('remembers numeric and other keys exactly, with the first line', () => {
    const keys = new ClosedKeys();
    for (let i = 0; i < 5000; i++) keys.set(String(100000 + i * 7), i + 2);
    keys.set('A-1', 9);
    keys.set('007', 10);
    keys.set('100000', 999);
    expect(keys.size).toBe(5002);
    expect(keys.get('100000')).toBe(2);
    expect(keys.get(String(100000 + 4999 * 7))).toBe(5001);
    expect(keys.get('100001')).toBeUndefined();
    expect(keys.get('A-1')).toBe(9);
    expect(keys.get('007')).toBe(10);
    expect(keys.get('7')).toBeUndefined();
    expect(keys.get('0')).toBeUndefined();
    keys.set('0', 11);
    expect(keys.get('0')).toBe(11);
    expect(keys.get('999999999999999')).toBeUndefined();
  });

  it('keeps ascending runs, gaps and out-of-order keys apart', () => {
    const keys = new ClosedKeys();
    for (let i = 0; i < 3000; i++) keys.set(String(1000 + i), 10 + i * 4);
    keys.set('5000', 50000);
    keys.set('500', 7);
    keys.set('4500', 8);
    for (let i = 1; i <= 3000; i++) keys.set(String(5000 + i), 60000 + i);
    expect(keys.size).toBe(6003);
    expect(keys.get('1000')).toBe(10);
    expect(keys.get('3999')).toBe(10 + 2999 * 4);
    expect(keys.get('4000')).toBeUndefined();
    expect(keys.get('4500')).toBe(8);
    expect(keys.get('500')).toBe(7);
    expect(keys.get('5000')).toBe(50000);
    expect(keys.get('8000')).toBe(63000);
    expect(keys.get('8001')).toBeUndefined();
    expect(keys.get('999')).toBeUndefined();
  });
});

describe('ClosedKeys on disk', () => {
  it('keeps text keys exactly beyond the memory limit and names their first line', () => {
    const keys = new ClosedKeys({ memoryKeys: 50 });
    for (let i = 0; i < 3000; i++) keys.set(`V${String(i).padStart(6, '0')}`, 2 + i * 2);
    keys.set('V000010', 1);
    expect(keys.size).toBe(3000);
    expect(keys.get('V000010')).toBe(22);
    expect(keys.get('V002999')).toBe(2 + 2999 * 2);
    expect(keys.get('V003000')).toBeUndefined();
    keys.close();
  });
});
