/**
 * The consumer type matrix: what a user's `tsc` says about the published declarations. The package is packed
 * (`npm pack`) and installed, then small consumer projects compile code that imports every entry (entries/<stem>.ts,
 * one per package.json `exports` entry) with `skipLibCheck: false`, TypeScript's default, under the configurations
 * users have. The project's own tsconfig (exactOptionalPropertyTypes, skipLibCheck) cannot see what they see.
 *
 * Runs in the dist run (`npm run test:dist`, CI), after `npm run build`. The TypeScript versions are installed once
 * into .tmp/typescript/<version>/ and reused; the pinned one is the project's own. Results: .tmp/consumers/results.md.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ENTRIES, type PackageEntry } from '../support/entries.js';
import { ROOT } from '../support/paths.js';

const run = promisify(execFile);
const ENTRIES_DIR = join(ROOT, 'test/consumers/entries');
const TMP = join(ROOT, '.tmp');
const WORK = join(TMP, 'consumers');
const versionOf = (pkg: string): string =>
  JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const PINNED = versionOf('typescript');

/** The oldest TypeScript the declarations support, and the newest release. */
const OLDEST = '5.0.4';
const NEWEST = '7.0.2';
/**
 * Entries that need a newer TypeScript than OLDEST, with the oldest release they are checked with: zod 4's
 * declarations (which procnet/schema's types are made of) use `NoInfer`, new in TypeScript 5.4.
 */
const ENTRY_FLOOR: Record<string, string> = { './schema': '5.4.5' };

interface Config {
  /** package.json `type` of the consumer: how its .ts files are compiled and which `exports` condition applies. */
  type: 'module' | 'commonjs';
  compilerOptions: Record<string, unknown>;
  /** Only these entries (default: every entry the TypeScript version supports). */
  only?: string[];
}

const node16 = { module: 'node16', moduleResolution: 'node16', strict: true };
const CONFIGS: Record<string, Config> = {
  strict: { type: 'module', compilerOptions: node16 },
  'strict + exactOptionalPropertyTypes': {
    type: 'module',
    compilerOptions: { ...node16, exactOptionalPropertyTypes: true },
  },
  'strict + noUncheckedIndexedAccess': {
    type: 'module',
    compilerOptions: { ...node16, noUncheckedIndexedAccess: true },
  },
  'bundler resolution': {
    type: 'module',
    compilerOptions: { module: 'esnext', moduleResolution: 'bundler', strict: true },
  },
  CommonJS: { type: 'commonjs', compilerOptions: node16 },
  // The core needs no Node: a browser, Deno or worker user has the DOM library (ReadableStream) instead.
  'core alone, DOM lib, no @types/node': {
    type: 'module',
    compilerOptions: { ...node16, types: [], lib: ['es2022', 'dom'] },
    only: ['.'],
  },
};

/**
 * TypeScript version → the configurations compiled with it. TypeScript 7 is TypeScript 6's checker ported to native
 * code: it compiles every configuration in a fraction of the time. The JavaScript compilers (seconds each, most of it
 * checking @types/node and zod) compile where versions differ: declaration syntax and module resolution.
 */
const MATRIX: Record<string, string[]> = {
  [OLDEST]: ['strict', 'CommonJS', 'bundler resolution'],
  ...Object.fromEntries(Object.values(ENTRY_FLOOR).map((v) => [v, ['strict']])),
  [PINNED]: ['strict'],
  [NEWEST]: Object.keys(CONFIGS),
};

const older = (a: string, b: string): boolean => {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number)) as [number[], number[]];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
};
const floorOf = (e: PackageEntry): string => ENTRY_FLOOR[e.subpath] ?? OLDEST;

/** The entries a cell compiles: those the configuration names and the version supports; a floor release checks
 * only the entries it is the floor of (OLDEST checks the rest). */
function entriesFor(version: string, config: Config): PackageEntry[] {
  const floorCell = version !== OLDEST && Object.values(ENTRY_FLOOR).includes(version);
  return PACKAGE_ENTRIES.filter(
    (e) =>
      (config.only ?? [e.subpath]).includes(e.subpath) &&
      !older(version, floorOf(e)) &&
      (!floorCell || floorOf(e) === version),
  );
}

function npmInstall(dir: string, specs: string[]): void {
  const args = ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...specs];
  const r = spawnSync('npm', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm install ${specs.join(' ')} in ${dir}: ${r.stderr}`);
}

function tscOf(version: string): string {
  if (version === PINNED) return join(ROOT, 'node_modules/typescript/bin/tsc');
  const dir = join(TMP, 'typescript', version);
  const tsc = join(dir, 'node_modules/typescript/bin/tsc');
  if (!existsSync(tsc)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    npmInstall(dir, [`typescript@${version}`]);
  }
  return tsc;
}

/** Runs at most two compilers at a time (they are CPU-bound). */
let running = 0;
const waiting: Array<() => void> = [];
async function limited<T>(job: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await job();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

describe('consumer code for every entry', () => {
  it('exists for each entry in package.json exports, and for no other', () => {
    expect(readdirSync(ENTRIES_DIR).sort()).toEqual(PACKAGE_ENTRIES.map((e) => `${e.stem}.ts`).sort());
    for (const e of PACKAGE_ENTRIES) {
      expect(readFileSync(join(ENTRIES_DIR, `${e.stem}.ts`), 'utf8'), e.stem).toContain(`from '${e.specifier}'`);
    }
  });

  it('is compiled for every entry by the oldest supported TypeScript or the entry’s own floor', () => {
    for (const e of PACKAGE_ENTRIES) {
      const cells = Object.entries(MATRIX).filter(([v, names]) =>
        names.some((n) => entriesFor(v, CONFIGS[n]!).includes(e)),
      );
      expect(
        cells.map(([v]) => v),
        e.specifier,
      ).toContain(floorOf(e));
      expect(
        cells.map(([v]) => v),
        e.specifier,
      ).toContain(NEWEST);
    }
  });
});

describe
  .skipIf(process.env.PROCNET_TEST_DIST !== '1')
  .concurrent('consumer type matrix, against the packed package (npm run test:dist)', () => {
    const results: string[] = [];

    beforeAll(() => {
      rmSync(WORK, { recursive: true, force: true });
      mkdirSync(WORK, { recursive: true });
      const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', WORK, '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (pack.status !== 0) throw new Error(`npm pack: ${pack.stderr}`);
      writeFileSync(join(WORK, 'package.json'), '{ "private": true }\n');
      // One install that every consumer folder below resolves from: the tarball (and so its zod), and @types/node.
      npmInstall(WORK, [join(WORK, JSON.parse(pack.stdout)[0].filename), `@types/node@${versionOf('@types/node')}`]);
      for (const version of Object.keys(MATRIX)) tscOf(version);
    }, 300_000);

    for (const [version, names] of Object.entries(MATRIX)) {
      for (const name of names) {
        const config = CONFIGS[name]!;
        const entries = entriesFor(version, config);
        const title = `TypeScript ${version}, ${name}: ${entries.map((e) => e.specifier).join(', ')}`;
        it(title, async () => {
          const dir = join(WORK, `ts${version}-${name.replace(/[^A-Za-z0-9]+/g, '-')}`);
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: config.type })}\n`);
          const files = entries.map((e) => `${e.stem}.ts`);
          for (const f of files) cpSync(join(ENTRIES_DIR, f), join(dir, f));
          const compilerOptions = {
            target: 'es2022',
            lib: ['es2022'],
            types: ['node'],
            noEmit: true,
            skipLibCheck: false,
            ...config.compilerOptions,
          };
          writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`);
          const out = await limited(async () => {
            const started = Date.now();
            const r = await run(process.execPath, [tscOf(version), '-p', dir], { encoding: 'utf8' }).then(
              (ok) => ({ code: 0, text: ok.stdout }),
              (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, text: e.stdout + e.stderr }),
            );
            return { ...r, seconds: (Date.now() - started) / 1000 };
          });
          results.push(
            `| ${version} | ${name} | ${entries.map((e) => e.specifier).join(', ')} | ${out.code === 0 ? 'pass' : 'FAIL'} | ${out.seconds.toFixed(1)} s |`,
          );
          const head = '| TypeScript | config | entries | result | tsc time |\n|---|---|---|---|---|\n';
          writeFileSync(join(WORK, 'results.md'), `${head}${results.sort().join('\n')}\n`);
          expect(out.text, `tsc -p ${dir}`).toBe('');
          expect(out.code).toBe(0);
        }, 120_000);
      }
    }
  });
