import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** The package's entries (package.json "exports"): built with declarations. */
const library = {
  index: 'src/index.ts',
  counters: 'src/counters/index.ts',
  analysis: 'src/analysis/index.ts',
  netstat: 'src/netstat.ts',
  schema: 'src/schema.ts',
  node: 'src/node/index.ts',
  prometheus: 'src/prometheus/index.ts',
};

/** The worker threads' modules (built to dist/workers/<name>.js; never imported, only run as workers). */
export const WORKERS = {
  'workers/table-read': 'src/node/workers/table-read.ts',
  'workers/fd-scan': 'src/node/workers/fd-scan.ts',
};

export default defineConfig({
  entry: {
    ...library,
    // The procnet command (package.json "bin"); `procnet doctor` is loaded from ./doctor.js when the build has it.
    cli: 'src/cli/main.ts',
    ...(existsSync('src/cli/doctor.ts') ? { doctor: 'src/cli/doctor.ts' } : {}),
    // procnet/node's worker threads: real modules, loaded by URL relative to the module that starts them (worker-file.ts).
    ...WORKERS,
  },
  format: ['esm', 'cjs'],
  dts: {
    // The command is not imported, so it needs no declarations.
    entry: library,
    // tsup 8.5's declaration build sets `baseUrl`, which TypeScript 6 deprecates (an error unless acknowledged).
    compilerOptions: { ignoreDeprecations: '6.0' },
  },
  // No source maps in the package: dist/ is unminified and keeps the source's names, so stack traces read as they
  // are; maps would more than double the package (1.4 MB of 2.4 MB), and the CJS ones name the build's absolute path.
  sourcemap: false,
  clean: true,
  // Only errors: `npm run build` is the README's first command, and the table it prints should not scroll away.
  silent: true,
  // A shared error class must exist once, or instanceof fails across entries.
  splitting: true,
  // tsup strips `node:` by default; procnet/node needs it kept.
  removeNodeProtocol: false,
  // `import.meta.url` in the CJS build (worker-file.ts finds the workers by it).
  shims: true,
  target: 'node20',
});
