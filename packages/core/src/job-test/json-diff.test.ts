import { describe, expect, it } from 'vitest';
import { alignKeys, differences, firstDifference, project, unifiedDiff } from './json-diff.js';

describe('firstDifference', () => {
  it('walks objects in the actual key order and arrays by index', () => {
    expect(firstDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })).toEqual({
      path: '$.b[1]',
      message: 'expected 2, got 3',
    });
    expect(firstDifference({ a: 1 }, { a: 1, '@Key': 'x', 'odd key': 2 })).toEqual({
      path: '$.@Key',
      message: 'not expected, got "x"',
    });
    expect(firstDifference({ a: 1, b: 2 }, { a: 1 })).toEqual({
      path: '$.b',
      message: 'expected 2, got nothing',
    });
    expect(firstDifference([1], [1, 2])).toEqual({ path: '$', message: 'expected 1 item(s), got 2' });
    expect(firstDifference({ n: '1210' }, { n: 1210 })).toEqual({
      path: '$.n',
      message: 'expected "1210", got 1210',
    });
    expect(firstDifference({ a: [{ b: null }] }, { a: [{ b: null }] })).toBeUndefined();
  });
});

describe('differences', () => {
  it('lists every difference with its path, up to the limit', () => {
    const expected = { a: 1, b: { c: 'x', d: [1, 2] }, gone: true };
    const actual = { a: 2, b: { c: 'y', d: [1, 3, 4] }, extra: 0 };
    expect(differences(expected, actual).map((d) => `${d.path}: ${d.message}`)).toEqual([
      '$.a: expected 1, got 2',
      '$.b.c: expected "x", got "y"',
      '$.b.d[1]: expected 2, got 3',
      '$.b.d: expected 2 item(s), got 3',
      '$.extra: not expected, got 0',
      '$.gone: expected true, got nothing',
    ]);
    expect(differences(expected, actual, { limit: 2 })).toHaveLength(2);
  });

  it('partial: only the keys and items the expectation names', () => {
    const actual = { a: 1, b: { c: 'y', e: 5 }, list: [{ x: 1, y: 2 }, { x: 3 }] };
    expect(differences({ b: { c: 'y' }, list: [{ x: 1 }] }, actual, { partial: true })).toEqual([]);
    expect(differences({ b: { c: 'z', f: 1 }, list: [{}, {}, {}] }, actual, { partial: true })).toEqual([
      { path: '$.b.c', message: 'expected "z", got "y"' },
      { path: '$.b.f', message: 'expected 1, got nothing' },
      { path: '$.list', message: 'expected 3 item(s), got 2' },
    ]);
  });
});

describe('project', () => {
  it('cuts the actual value to the shape of the expectation', () => {
    expect(project({ a: 1, b: { c: 2, d: 3 }, l: [1, 2, 3] }, { b: { c: 0 }, l: [0], z: 1 })).toEqual({
      b: { c: 2 },
      l: [1],
    });
  });
});

describe('alignKeys', () => {
  it('orders expected keys like the actual value, extra keys last', () => {
    expect(JSON.stringify(alignKeys({ b: 1, z: 0, a: { d: 1, c: 2 } }, { a: { c: 2, d: 1 }, b: 1 }))).toBe(
      '{"a":{"c":2,"d":1},"b":1,"z":0}',
    );
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb', 'a\nb')).toBe('');
  });

  it('shows separate hunks for changes far apart, with three lines of context', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const b = [...a];
    b[1] = 'changed 2';
    b.splice(15, 1);
    expect(unifiedDiff(a.join('\n'), b.join('\n'))).toBe(
      [
        '--- expected',
        '+++ actual',
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+changed 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -13,7 +13,6 @@',
        ' line 13',
        ' line 14',
        ' line 15',
        '-line 16',
        ' line 17',
        ' line 18',
        ' line 19',
      ].join('\n'),
    );
  });
});
