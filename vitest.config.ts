import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Builds the worker modules of src/node/workers, which the tests on src/ load by URL as the package does.
    globalSetup: ['test/support/build-workers.ts'],
  },
});
