/**
 * The repository carries everything its tests and tools read: no path to a folder beside the checkout (the shared
 * reference material it was once read from), no absolute path of a machine, no relative path that climbs out of the
 * repository, and no link in fixtures/ that points out of it. A fresh clone placed anywhere passes.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/paths.js';

const CODE = /\.(ts|mts|cts|js|mjs|cjs|py|sh)$/;
const SKIP = new Set(['node_modules', '.work', 'results']);

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const path = `${dir}/${d.name}`;
    if (SKIP.has(d.name)) return [];
    return d.isDirectory() ? walk(path) : [path];
  });
}

const FILES = ['test', 'src', 'bench', 'scripts', '.ci'].flatMap(walk).filter((f) => CODE.test(f) || f === '.ci/run');
const inside = (path: string): boolean => !relative(ROOT, path).startsWith('..');

describe('the repository is self-contained', () => {
  it('scans the code of test/, src/, bench/, scripts/ and .ci/', () => {
    expect(FILES).toContain('test/support/paths.ts');
    expect(FILES).toContain('.ci/run');
    expect(FILES.length).toBeGreaterThan(150);
  });

  it('names no folder beside the checkout and no absolute path of a machine', () => {
    const hits: string[] = [];
    for (const f of FILES) {
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\.\.\/shared\b|['"`/]shared\/(spec|corpus)\b|(^|[^\w.-])\/work\//.test(line))
            hits.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('has no relative path that climbs out of the repository', () => {
    const hits: string[] = [];
    for (const f of FILES) {
      const text = readFileSync(join(ROOT, f), 'utf8');
      for (const m of text.matchAll(/['"`]((?:\.\.?\/)+[^'"`\s]*)['"`]/g)) {
        if (!inside(resolve(ROOT, dirname(f), m[1]!))) hits.push(`${f}: ${m[1]}`);
      }
    }
    expect(hits).toEqual([]);
  });

  it('keeps only files and folders in fixtures/, no link that could lead out', () => {
    const links = walk('fixtures').filter((f) => lstatSync(join(ROOT, f)).isSymbolicLink());
    expect(links.map((l) => `${l} -> ${readlinkSync(join(ROOT, l))}`)).toEqual([]);
    expect(walk('fixtures').length).toBeGreaterThan(100);
  });
});
