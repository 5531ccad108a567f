import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@koppel/source'] },
  ssr: { resolve: { conditions: ['@koppel/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files wait on child processes, sockets and timers rather than the CPU: vitest's default
    // (one worker fewer than the cores, so 1 on a 2-core machine) leaves the machine idle for most
    // of the run. KOPPEL_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.KOPPEL_TEST_WORKERS) || 3,
    // CI retries a failed test once so one scheduling hiccup on a loaded machine does not fail the
    // run; every test that needed the retry is named by the flaky reporter (never hidden).
    retry: process.env.CI ? 1 : 0,
    // CI also writes a JSON summary that .ci/run turns into a plain "N passed, N failed" line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.test-results.json' }], './test/helpers/flaky-reporter.ts']
      : ['default'],
  },
});
