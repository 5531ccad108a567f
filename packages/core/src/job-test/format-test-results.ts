import { relative } from 'node:path';
import type { TestFileResult } from './run-job-tests.js';

/** Passed and failed case counts over several test files. */
export function countResults(results: readonly TestFileResult[]): { passed: number; failed: number } {
  const cases = results.flatMap((result) => result.cases);
  const passed = cases.filter((item) => item.passed).length;
  return { passed, failed: cases.length - passed };
}

/**
 * The readable report: per file its cases (`ok` / `FAIL` with file:line), every failure indented
 * under its case, and the one-line summary `N passed, N failed` last.
 */
export function formatTestResults(results: readonly TestFileResult[], cwd = process.cwd()): string {
  const lines: string[] = [];
  for (const result of results) {
    const file = relative(cwd, result.file) || result.file;
    lines.push(file);
    for (const item of result.cases) {
      lines.push(
        `  ${item.passed ? 'ok  ' : 'FAIL'} ${item.name}${item.passed ? '' : ` (${file}:${item.line})`}`,
      );
      for (const failure of item.failures) {
        for (const line of failure.split('\n')) lines.push(`        ${line}`);
      }
    }
  }
  const { passed, failed } = countResults(results);
  lines.push(`${passed} passed, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}
