/**
 * The docs as users read them: every ```ts / ```js block of README.md and docs/ runs as printed against the built
 * package (`import … from 'procnet'` resolves to dist/ through package.json `exports`) and type-checks under
 * `strict`; every other block names what it is (```sh, ```text, ```json, …), so nothing is skipped by accident.
 * Blocks run as root on this Linux machine, in a folder holding `dump/` (a copy of the fixtures capture, the
 * layout `procnet snapshot` writes). Links work where the docs are read: the README on the registry page (absolute
 * URLs), docs/ in the package (links between its pages, or absolute URLs into the repository).
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/paths.js';

const run = promisify(execFile);
const REPO_URL = 'https://github.com/procnet/procnet';
const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript']);
const WORK = join(ROOT, '.tmp/docs');

function markdown(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((n) => {
    const path = `${dir}/${n}`;
    if (statSync(join(ROOT, path)).isDirectory()) return markdown(path);
    return n.endsWith('.md') ? [path] : [];
  });
}

const PAGES = ['README.md', ...markdown('docs')];

interface Block {
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
}

function blocksOf(page: string): Block[] {
  const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const indent = open[1]!.length;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(indent));
    blocks.push({ page, line: start + 1, lang: open[2]!.trim().split(/\s+/)[0]!, code: `${body.join('\n')}\n` });
  }
  return blocks;
}

const BLOCKS = PAGES.flatMap(blocksOf);
const CODE = BLOCKS.filter((b) => RUNNABLE.has(b.lang));
const nameOf = (b: Block) => `${b.page.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-L${b.line}`;

describe('docs: code blocks', () => {
  it('say what they are: every fence has a language', () => {
    expect(BLOCKS.filter((b) => b.lang === '').map((b) => `${b.page}:${b.line}`)).toEqual([]);
    expect(CODE.length).toBeGreaterThan(10);
  });
});

describe('docs: links', () => {
  const links = PAGES.flatMap((page) =>
    [...readFileSync(join(ROOT, page), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ page, target: m[1]! })),
  );

  it('in the README are absolute (they must work on the registry page)', () => {
    expect(links.filter((l) => l.page === 'README.md' && !/^(https?:|#)/.test(l.target))).toEqual([]);
  });

  it('between docs pages stay inside docs/ (shipped in the package) and reach a file', () => {
    for (const { page, target } of links.filter((l) => l.page !== 'README.md' && !/^(https?:|#)/.test(l.target))) {
      const path = resolve(ROOT, dirname(page), target.replace(/#.*$/, ''));
      expect(relative(join(ROOT, 'docs'), path).startsWith('..'), `${page}: ${target}`).toBe(false);
      expect(existsSync(path), `${page}: ${target}`).toBe(true);
    }
  });

  it('into the repository name files that exist', () => {
    const prefix = new RegExp(`^${REPO_URL}/(?:blob|tree)/main/([^#]*)`);
    const inRepo = links.map((l) => ({ ...l, path: prefix.exec(l.target)?.[1] })).filter((l) => l.path !== undefined);
    expect(inRepo.length).toBeGreaterThan(5);
    for (const l of inRepo) expect(existsSync(join(ROOT, l.path!)), `${l.page}: ${l.target}`).toBe(true);
  });

  it('in the command’s messages name pages that exist', () => {
    const cli = readdirSync(join(ROOT, 'src/cli')).map((f) => readFileSync(join(ROOT, 'src/cli', f), 'utf8'));
    const pages = cli.flatMap((text) => [...text.matchAll(/\$\{DOCS_URL\}([\w/.-]+\.md)/g)].map((m) => m[1]!));
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) expect(existsSync(join(ROOT, 'docs', p)), p).toBe(true);
  });
});

describe.skipIf(process.env.PROCNET_TEST_DIST !== '1')('docs: every ts/js block, on the built package', () => {
  const sandbox = join(WORK, 'run');

  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(join(WORK, 'check'), { recursive: true });
    cpSync(join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64'), join(sandbox, 'dump'), {
      recursive: true,
    });
    for (const b of CODE) {
      const js = ts.transpileModule(b.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      writeFileSync(join(WORK, `${nameOf(b)}.mjs`), js);
      writeFileSync(join(WORK, 'check', `${nameOf(b)}.ts`), `${b.code}export {};\n`);
    }
  });

  it('type-check under strict against the package’s declarations', () => {
    const compilerOptions = {
      target: 'es2022',
      lib: ['es2022'],
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      types: ['node'],
      noEmit: true,
      skipLibCheck: true,
    };
    writeFileSync(join(WORK, 'check/tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(WORK, 'check')], {
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  for (const b of CODE) {
    it(`${b.page}:${b.line} runs`, async () => {
      const r = await run(process.execPath, [join(WORK, `${nameOf(b)}.mjs`)], {
        cwd: sandbox,
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      }).catch((e: { code: unknown; stdout: string; stderr: string }) => ({ ...e, failed: true }));
      expect(r.stderr, `${b.page}:${b.line}`).toBe('');
      expect('failed' in r, `${b.page}:${b.line}`).toBe(false);
    }, 90_000);
  }
});
