import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@koppel/source'] },
  ssr: { resolve: { conditions: ['@koppel/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // CI retries a failed test once so one scheduling hiccup on a loaded machine does not fail the
    // run; every test that needed the retry is named by the flaky reporter (never hidden).
    retry: process.env.CI ? 1 : 0,
    // CI also writes a JSON summary that .ci/run turns into a plain "N passed, N failed" line.
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: '.test-results.json' }], './test/helpers/flaky-reporter.ts']
      : ['default'],
  },
});
