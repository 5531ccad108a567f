import { relative } from 'node:path';
import type { TestFileResult } from './run-job-tests.js';

/** Passed, failed and (with --update) updated case counts over several test files. */
export function countResults(results: readonly TestFileResult[]): {
  passed: number;
  failed: number;
  updated: number;
} {
  const cases = results.flatMap((result) => result.cases);
  const passed = cases.filter((item) => item.passed).length;
  const updated = cases.filter((item) => item.updated).length;
  return { passed, failed: cases.length - passed - updated, updated };
}

/**
 * The readable report: per file its cases (`ok` / `FAIL` with file:line), every failure indented
 * under its case (for an updated case: what changed), and the one-line summary
 * `N passed, N failed` (`, N updated` after --update) last.
 */
export function formatTestResults(results: readonly TestFileResult[], cwd = process.cwd()): string {
  const lines: string[] = [];
  for (const result of results) {
    const file = relative(cwd, result.file) || result.file;
    lines.push(file);
    for (const item of result.cases) {
      const mark = item.passed ? 'ok  ' : item.updated ? 'UPD ' : 'FAIL';
      lines.push(`  ${mark} ${item.name}${item.passed ? '' : ` (${file}:${item.line})`}`);
      for (const failure of item.failures) {
        for (const line of failure.split('\n')) lines.push(`        ${line}`);
      }
    }
  }
  const { passed, failed, updated } = countResults(results);
  lines.push(`${passed} passed, ${failed} failed${updated ? `, ${updated} updated` : ''}`);
  return `${lines.join('\n')}\n`;
}
