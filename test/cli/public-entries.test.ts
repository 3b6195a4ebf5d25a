/**
 * The command is a client of the public entries: every module of src/cli imports procnet's code only through the
 * entries a user imports (package.json `exports`), never a module behind them (`../format/…`, `../tables/…`,
 * `../errors.js`, …). Static imports, `export … from`, `import type`, `import('…')` calls and `import('…')` types all
 * count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ENTRIES } from '../support/entries.js';
import { ROOT } from '../support/paths.js';

/** The source file of each entry of package.json `exports` (tsup.config.ts builds each from it). */
const ENTRY_SOURCES: Record<string, string> = {
  '.': 'src/index.ts',
  './counters': 'src/counters/index.ts',
  './analysis': 'src/analysis/index.ts',
  './netstat': 'src/netstat.ts',
  './schema': 'src/schema.ts',
  './node': 'src/node/index.ts',
  './prometheus': 'src/prometheus/index.ts',
};

/**
 * TEMPORARY: the `src/node` internals the command still imports (summary-view.ts: the `-s` read; list.ts: the
 * procfs magic number). Drop this allowance once they go through public exports.
 */
const NODE_INTERNALS_ALLOWANCE: ReadonlySet<string> = new Set([
  '../node/drive.js',
  '../node/dump-check.js',
  '../node/files.js',
  '../node/io.js',
  '../node/source.js',
]);

const CLI = join(ROOT, 'src/cli');

/** Every module specifier `text` imports or re-exports, with its line. */
function specifiersOf(file: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: { specifier: string; line: number }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node !== undefined && ts.isStringLiteralLike(node)) {
      out.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** What is wrong with `specifier` imported from a module of src/cli, or `null` when it is allowed. */
function problemOf(specifier: string): string | null {
  if (specifier.startsWith('node:') || specifier === 'zod' || specifier === 'prom-client') return null;
  if (/^\.\/[a-z0-9-]+\.js$/.test(specifier)) return null; // another module of the command
  if (NODE_INTERNALS_ALLOWANCE.has(specifier)) return null;
  if (!specifier.startsWith('../')) return 'not a module of procnet or an allowed package';
  const target = posix.join('src/cli', specifier).replace(/\.js$/, '.ts');
  return Object.values(ENTRY_SOURCES).includes(target) ? null : `${target} is not an entry of package.json exports`;
}

describe('the command imports only public entries', () => {
  it('lists the source of every entry of package.json exports', () => {
    expect(Object.keys(ENTRY_SOURCES).sort()).toEqual(PACKAGE_ENTRIES.map((e) => e.subpath).sort());
    const tsup = readFileSync(join(ROOT, 'tsup.config.ts'), 'utf8');
    for (const source of Object.values(ENTRY_SOURCES)) expect(tsup, source).toContain(`'${source}'`);
  });

  it('finds every kind of import, and tells an entry from a module behind it', () => {
    const text = [
      "import { a } from '../format/escape.js';",
      "import type { B } from '../tables/inet.js';",
      "export { c } from '../errors.js';",
      "const d = await import('../decode/address.js');",
      "type E = import('../types.js').E;",
      "import { f } from '../netstat.js';",
    ].join('\n');
    const found = specifiersOf('x.ts', text);
    expect(found.map((f) => f.specifier)).toEqual([
      '../format/escape.js',
      '../tables/inet.js',
      '../errors.js',
      '../decode/address.js',
      '../types.js',
      '../netstat.js',
    ]);
    expect(found.map((f) => problemOf(f.specifier) === null)).toEqual([false, false, false, false, false, true]);
    for (const ok of ['../index.js', '../node/index.js', '../analysis/index.js', './options.js', 'node:fs']) {
      expect(problemOf(ok), ok).toBeNull();
    }
    for (const bad of ['../analysis/options.js', '../owners/proc-link.js', '../../package.json', 'left-pad']) {
      expect(problemOf(bad), bad).not.toBeNull();
    }
  });

  it('holds for every module of src/cli', () => {
    const files = readdirSync(CLI).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(20);
    const problems: string[] = [];
    let imports = 0;
    for (const f of files) {
      for (const { specifier, line } of specifiersOf(f, readFileSync(join(CLI, f), 'utf8'))) {
        imports++;
        const problem = problemOf(specifier);
        if (problem !== null) problems.push(`src/cli/${f}:${line} imports ${specifier}: ${problem}`);
      }
    }
    expect(imports).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
