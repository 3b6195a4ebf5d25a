import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:dist` (PROCNET_TEST_DIST=1) runs the test files whose subject changes with the mode: those that load
 * the library through test/support's loaders (src/ by default, dist/ in this mode) or read PROCNET_TEST_DIST
 * themselves. The others (the command's tests, which always run the built dist/cli.js, and the tests of internals
 * imported from src/) would run the same code twice.
 */
const MODE_DEPENDENT = /support\/(lib|node-lib|entry-libs|prometheus-lib|entries)\.js|PROCNET_TEST_DIST/;

function distModeFiles(): string[] {
  const files = readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join('test', f));
  return files.filter((f) => MODE_DEPENDENT.test(readFileSync(f, 'utf8'))).sort();
}

export default defineConfig({
  test: {
    include: process.env.PROCNET_TEST_DIST === '1' ? distModeFiles() : ['test/**/*.test.ts'],
    // build-dist: builds dist/ when it is missing or stale (the command's tests run dist/cli.js). build-workers: builds
    // the worker modules of src/node/workers, which the tests on src/ load by URL as the package does.
    globalSetup: ['test/support/build-dist.ts', 'test/support/build-workers.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
