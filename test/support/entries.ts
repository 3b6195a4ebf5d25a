/** The package's entry points, read from package.json `exports`: tests follow when an entry is added or renamed. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface PackageEntry {
  /** The `exports` key: `'.'`, `'./node'`, … */
  subpath: string;
  /** What a user imports: `'procnet'`, `'procnet/node'`, … */
  specifier: string;
  /** A file-name stem for the entry: `'index'` for `'.'`, else the subpath with `/` as `-` (`'node'`). */
  stem: string;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: object };

/** Every code entry of the package (not `./package.json`), in package.json order. */
export const PACKAGE_ENTRIES: readonly PackageEntry[] = Object.keys(pkg.exports)
  .filter((subpath) => !subpath.endsWith('.json'))
  .map((subpath) => ({
    subpath,
    specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
    stem: subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-'),
  }));
