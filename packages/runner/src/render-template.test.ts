import { describe, expect, it } from 'vitest';
import { compileFilterTemplate } from './render-template.js';

const doc = (fields: Record<string, string>) => ({
  key: 'k',
  element: {},
  records: [{ fields, origin: { file: 'in.csv', line: 2, index: 0 } }],
});

describe('compileFilterTemplate', () => {
  it('renders columns of the first record, trimmed, with {{ }} as braces', () => {
    expect(compileFilterTemplate('{voucher_no}', 'job.yaml')(doc({ voucher_no: ' V1 ' }))).toBe('V1');
    expect(compileFilterTemplate('{{{a}-{b}}}', 'job.yaml')(doc({ a: 'x', b: 'y' }))).toBe('{x-y}');
  });
  it('names the job and template of a broken template', () => {
    expect(() => compileFilterTemplate('{a', 'job.yaml: verify.filter.BpNr')).toThrow(
      'job.yaml: verify.filter.BpNr: unmatched `{` in template `{a`; write {{ for a brace',
    );
    expect(() => compileFilterTemplate('{ }', 'job.yaml')).toThrow('job.yaml: empty `{}` in template `{ }`');
  });
});
