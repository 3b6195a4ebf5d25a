/**
 * Unix name patterns against glibc's own `fnmatch(pattern, name, FNM_CASEFOLD)` (what ss calls), run through python's
 * ctypes on thousands of random pattern/name pairs, and the shapes that matter by hand.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchGlob } from '../../src/filter/filter-glob.js';

const FNMATCH = `
import ctypes, json, sys
libc = ctypes.CDLL(None)
FNM_CASEFOLD = 1 << 4
pairs = json.load(sys.stdin)
print(json.dumps([libc.fnmatch(p.encode(), n.encode(), FNM_CASEFOLD) == 0 for p, n in pairs]))
`;

const HAS_PYTHON = spawnSync('python3', ['-c', 'import ctypes; ctypes.CDLL(None).fnmatch']).status === 0;

describe('matchGlob', () => {
  it('matches the usual shapes', () => {
    expect(matchGlob('/run/*.sock', '/run/app.sock')).toBe(true);
    expect(matchGlob('/run/*.sock', '/run/a/b.sock')).toBe(true);
    expect(matchGlob('/run/*.sock', '/run/app.socket')).toBe(false);
    expect(matchGlob('*', '')).toBe(true);
    expect(matchGlob('?', '')).toBe(false);
    expect(matchGlob('@pnc-[a-c]*', '@PNC-Abstract')).toBe(true);
    expect(matchGlob('[!/]*', '@x')).toBe(true);
    expect(matchGlob('[]]', ']')).toBe(true);
    expect(matchGlob('[', '[')).toBe(true);
    expect(matchGlob('\\*', '*')).toBe(true);
    expect(matchGlob('\\*', 'x')).toBe(false);
    expect(matchGlob('a\\', 'a\\')).toBe(false);
    expect(matchGlob('[[:digit:]]*', '7up')).toBe(true);
    expect(matchGlob('*new*', '/tmp/new\nline')).toBe(true);
  });

  it('stays linear on a hostile name', () => {
    const name = 'a'.repeat(100_000);
    const start = performance.now();
    expect(matchGlob(`${'*a'.repeat(50)}b`, name)).toBe(false);
    expect(performance.now() - start).toBeLessThan(2_000);
  });

  it.skipIf(!HAS_PYTHON)("agrees with glibc's fnmatch(FNM_CASEFOLD) on random patterns and names", () => {
    const alphabet = fc.constantFrom('a', 'B', 'c', '/', '.', '@', '-', '*', '?', '[', ']', '!', '^', '\\', ':');
    const pattern = fc.array(alphabet, { maxLength: 8 }).map((a) => a.join(''));
    const classes = fc.constantFrom(
      '[[:alpha:]]',
      '[[:digit:]]',
      '[[:upper:]]',
      '[[:lower:]]',
      '[[:punct:]x]',
      '[[:nope:]]',
      '[a-c]',
      '[!a-c]',
      '[A-c]',
      '[^/]',
      '[]a]',
      '[[.a.]]',
      '[[=B=]]',
      '[a-[.c.]]',
      '[[.ab.]]',
      '[a-',
    );
    const withClass = fc.tuple(pattern, classes, pattern).map(([a, c, b]) => a + c + b);
    const name = fc.array(fc.constantFrom('a', 'A', 'b', 'C', 'c', '/', '.', '@', '-', '1', '[', ']', '*', '\\'), {
      maxLength: 8,
    });
    // Names made from the pattern itself (wildcards filled in, letters in either case), so many pairs match.
    const near = fc
      .tuple(
        fc.oneof(pattern, withClass),
        fc.array(fc.constantFrom('', 'a', 'Zb/', '-'), { minLength: 8, maxLength: 8 }),
      )
      .map(([p, fills]): [string, string] => {
        let i = 0;
        const n = p.replace(/\[[^\]]*\]?\]|\*|\?/g, () => fills[i++ % fills.length] || 'a').replace(/\\(.)/g, '$1');
        return [p, i % 2 ? n.toUpperCase() : n];
      });
    const random = fc.tuple(
      fc.oneof(pattern, withClass),
      name.map((n) => n.join('')),
    );
    const pairs = fc.sample(fc.oneof(random, near), { numRuns: 6000, seed: 15 });
    const r = spawnSync('python3', ['-c', FNMATCH], { input: JSON.stringify(pairs), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const glibc = JSON.parse(r.stdout) as boolean[];
    const ours = pairs.map(([p, n]) => matchGlob(p, n));
    const differ = pairs.filter((_, i) => ours[i] !== glibc[i]);
    expect(differ).toEqual([]);
    expect(glibc.filter(Boolean).length).toBeGreaterThan(1000);
  });
});
