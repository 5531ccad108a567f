import { writeFileSync } from 'node:fs';
import type { Reporter, TestCase } from 'vitest/node';

/**
 * CI retries a failed test once (vitest.config.ts). A test that passes only on its retry is not
 * hidden: this reporter names it on the console and in `.test-flaky.txt`, which .ci/run prints
 * beside the pass/fail totals.
 */
export default class FlakyReporter implements Reporter {
  readonly #flaky: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const diagnostic = testCase.diagnostic();
    if (diagnostic?.flaky) {
      this.#flaky.push(
        `${testCase.module.relativeModuleId} > ${testCase.fullName} (passed on retry ${diagnostic.retryCount})`,
      );
    }
  }

  onTestRunEnd(): void {
    writeFileSync('.test-flaky.txt', this.#flaky.map((line) => `${line}\n`).join(''));
    if (this.#flaky.length > 0) {
      console.log(`\nflaky: ${this.#flaky.length} test(s) passed only on a retry:`);
      for (const line of this.#flaky) console.log(`  ${line}`);
    }
  }
}
