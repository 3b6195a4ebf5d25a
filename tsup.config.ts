import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    schema: 'src/schema.ts',
    node: 'src/node/index.ts',
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
