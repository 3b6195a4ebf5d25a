import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    schema: 'src/schema.ts',
    node: 'src/node/index.ts',
    // The procnet command (package.json "bin"); `procnet doctor` is loaded from ./doctor.js when the build has it.
    cli: 'src/cli/main.ts',
    ...(existsSync('src/cli/doctor.ts') ? { doctor: 'src/cli/doctor.ts' } : {}),
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // A shared error class must exist once, or instanceof fails across entries.
  splitting: true,
  // tsup strips `node:` by default; procnet/node needs it kept.
  removeNodeProtocol: false,
  target: 'node20',
});
