/**
 * The worker threads run real modules, found by URL beside the module that starts them: built by tsup into
 * dist/workers/ (the package), and by the tests' global setup beside src/node/worker-file.ts (the tests on src/).
 * No function text is evaluated.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerFile } from '../../src/node/worker-file.js';
import { ROOT } from '../support/paths.js';

const NAMES = ['table-read', 'fd-scan'] as const;
/** How worker-file.ts names a worker in the build. */
const WORKER_URL_TEXT = ['`./workers/', '$', '{name}.js`'].join('');

describe('worker modules', () => {
  it('are found beside the module that starts them (src/ under test)', () => {
    for (const name of NAMES) {
      const path = fileURLToPath(workerFile(name));
      expect(path).toBe(join(ROOT, 'src', 'node', 'workers', `${name}.js`));
      expect(existsSync(path)).toBe(true);
    }
  });

  it('are never evaluated from function text', () => {
    const dir = join(ROOT, 'src', 'node');
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of sources) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/eval:\s*true/);
      expect(text, f).not.toMatch(/\.toString\(\)\}?\)/);
    }
  });

  it.runIf(process.env.PROCNET_TEST_DIST === '1')('are in the build, next to the chunks that load them', () => {
    for (const name of NAMES) expect(existsSync(join(ROOT, 'dist', 'workers', `${name}.js`))).toBe(true);
    const loaders = readdirSync(join(ROOT, 'dist')).filter(
      (f) => /\.(c?js)$/.test(f) && readFileSync(join(ROOT, 'dist', f), 'utf8').includes(WORKER_URL_TEXT),
    );
    // One ESM and one CJS copy of worker-file.ts, both at dist/'s top level (so ./workers/ is dist/workers/).
    expect(loaders.map((f) => f.replace(/^chunk-\w+/, 'chunk').replace(/^node\./, 'chunk.')).sort()).toEqual([
      'chunk.cjs',
      'chunk.js',
    ]);
  });
});
