/**
 * Packaging: the core entry is pure (no node: modules, no zod), in the sources and in the built files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('so do the other pure entries: procnet/counters, procnet/analysis, procnet/netstat', () => {
    for (const entry of ['src/counters/index.ts', 'src/analysis/index.ts', 'src/netstat.ts']) {
      const { files, bare } = closure(join(ROOT, entry), true);
      expect(files.length, entry).toBeGreaterThan(1);
      expect(bare, entry).toEqual([]);
    }
  });

  it.skipIf(!existsSync(join(ROOT, 'dist/index.js')))(
    'the built pure entries (ESM and CJS) reach no node: module and no zod',
    () => {
      for (const entry of ['index', 'counters', 'analysis', 'netstat'].flatMap((e) => [
        `dist/${e}.js`,
        `dist/${e}.cjs`,
      ])) {
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

describe.skipIf(!existsSync(join(ROOT, 'dist/index.js')))('the published package (npm pack)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  const files: string[] =
    packed.status === 0 ? JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path) : [];

  it('holds the licence, the readme, the changelog, the docs and every file package.json points to', () => {
    expect(packed.status, packed.stderr).toBe(0);
    for (const f of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
      'docs/cli.md',
      'docs/findings/README.md',
    ]) {
      expect(files).toContain(f);
    }
    const targets: string[] = [pkg.main, pkg.module, pkg.types, ...Object.values<string>(pkg.bin)];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    };
    walk(pkg.exports);
    for (const t of targets) {
      const path = t.replace(/^\.\//, '');
      if (!path.includes('*')) expect(files, t).toContain(path);
      else {
        // A subpath pattern (procnet/schema/json/*.json): it must match files of the package.
        const [head, tail] = path.split('*') as [string, string];
        expect(files.filter((f) => f.startsWith(head) && f.endsWith(tail)).length, t).toBeGreaterThan(0);
      }
    }
    const docs = (d: string): string[] =>
      readdirSync(join(ROOT, d)).flatMap((n) =>
        statSync(join(ROOT, d, n)).isDirectory() ? docs(`${d}/${n}`) : [`${d}/${n}`],
      );
    expect(files.filter((f) => f.startsWith('docs/')).sort()).toEqual(docs('docs').sort());
  });

  it('ships no source maps and no path of the machine that built it', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const root = ROOT.replace(/\/$/, '');
    for (const f of files.filter((f) => f.startsWith('dist/'))) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      expect(text.includes(root), f).toBe(false);
      expect(/sourceMappingURL/.test(text), f).toBe(false);
    }
  });

  it('is what npm publishes unchanged: npm pkg fix finds nothing to correct', () => {
    // npm publish "auto-corrects" what npm pkg fix would, and npm 11 reports a "./"-prefixed bin as removed.
    const dir = mkdtempSync(join(tmpdir(), 'procnet-pkg-'));
    try {
      writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'package.json')));
      const fix = spawnSync('npm', ['pkg', 'fix'], { cwd: dir, encoding: 'utf8' });
      expect(fix.status, fix.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toEqual(pkg);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says where it lives, under which licence, and which Node it needs', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} procnet contributors\n/,
    );
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/procnet/procnet.git' });
    expect(pkg.homepage).toBe('https://github.com/procnet/procnet#readme');
    expect(pkg.bugs).toEqual({ url: 'https://github.com/procnet/procnet/issues' });
    expect(pkg.engines).toEqual({ node: '>=20' });
  });
});
