/**
 * vitest's global setup: builds procnet/node's worker modules from src/ (esbuild, as tsup builds them into dist/) to
 * `src/node/workers/<name>.js`, where worker-file.ts finds them when the tests import src/. So the tests on src/ run
 * the real worker code, loaded by URL as the package loads it; `npm run test:dist` runs the built ones.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './paths.js';

const DIR = join(ROOT, 'src', 'node', 'workers');

export async function setup(): Promise<void> {
  const entryPoints = readdirSync(DIR)
    .filter((n) => n.endsWith('.ts'))
    .map((n) => join(DIR, n));
  await build({
    entryPoints,
    outdir: DIR,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
}
