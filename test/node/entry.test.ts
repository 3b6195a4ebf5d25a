/** procnet/node is a packaged entry: in the exports map like the others, built beside them, and the core stays pure. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

describe('the procnet/node entry', () => {
  it('is in the exports map with nested import/require blocks, types first', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['./node']).toEqual({
      import: { types: './dist/node.d.ts', default: './dist/node.js' },
      require: { types: './dist/node.d.cts', default: './dist/node.cjs' },
    });
    expect(Object.keys(pkg.exports['./node'].import)).toEqual(['types', 'default']);
    expect(readFileSync(join(ROOT, 'tsup.config.ts'), 'utf8')).toContain("node: 'src/node/index.ts'");
  });

  it('keeps node: imports out of src/owners (the pure half of the owner mapping)', () => {
    for (const f of ['fd-dump.ts', 'owner-index.ts', 'proc-link.ts', 'types.ts']) {
      expect(readFileSync(join(ROOT, 'src/owners', f), 'utf8'), f).not.toMatch(/from ['"]node:/);
    }
  });

  it.skipIf(!existsSync(join(ROOT, 'dist/node.js')))('is built for ESM and CJS with the same exports', async () => {
    const esm = await import(/* @vite-ignore */ join(ROOT, 'dist/node.js'));
    const { createRequire } = await import('node:module');
    const cjs = createRequire(import.meta.url)(join(ROOT, 'dist/node.cjs'));
    for (const name of [
      'readSockets',
      'readSocketsSync',
      'readNamespaces',
      'readNamespacesSync',
      'readSocketOwners',
      'readCounters',
      'readCountersSync',
      'takeSamples',
    ]) {
      expect(typeof esm[name], name).toBe('function');
      expect(typeof cjs[name], name).toBe('function');
    }
  });
});
