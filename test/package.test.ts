/**
 * Packaging: the core entry is pure (no node: modules, no zod), in the sources and in the built files.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/paths.js';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

/** Every module reachable from `entry` through relative imports, with the bare specifiers they import. */
function closure(entry: string, fromTs: boolean): { files: string[]; bare: string[] } {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of importsOf(f)) {
      if (!spec.startsWith('.')) {
        bare.add(spec);
        continue;
      }
      let target = resolve(dirname(f), spec);
      if (fromTs) target = target.replace(/\.js$/, '.ts');
      if (existsSync(target)) stack.push(target);
    }
  }
  return { files: [...seen], bare: [...bare] };
}

describe('core entry purity', () => {
  it('src/index.ts reaches no node: module and no zod', () => {
    const { files, bare } = closure(join(ROOT, 'src/index.ts'), true);
    expect(files.length).toBeGreaterThan(5);
    expect(bare).toEqual([]);
  });

  it.skipIf(!existsSync(join(ROOT, 'dist/index.js')))(
    'dist/index.js and dist/index.cjs reach no node: module and no zod',
    () => {
      for (const entry of ['dist/index.js', 'dist/index.cjs']) {
        const { bare } = closure(join(ROOT, entry), false);
        expect(bare, entry).toEqual([]);
      }
      const { bare } = closure(join(ROOT, 'dist/schema.js'), false);
      expect(bare).toContain('zod');
    },
  );

  it('declares no runtime dependency but zod', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['zod']);
    expect(pkg.sideEffects).toBe(false);
  });

  it('keeps the source files small and one concept each (no file over 600 lines)', () => {
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    for (const f of walk(join(ROOT, 'src'))) {
      expect(readFileSync(f, 'utf8').split('\n').length, f).toBeLessThan(600);
    }
  });
});
