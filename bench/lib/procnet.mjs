// Lazy access to the built procnet package (../dist by default; PROCNET_DIST=/path/to/dist to point elsewhere).
// Nothing here throws when the package is not built yet or a function does not exist yet: callers get
// `{ reason }` and report the entry as "not available yet".

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function procnetDist() {
  return process.env.PROCNET_DIST ? resolve(process.env.PROCNET_DIST) : resolve(BENCH_DIR, '..', 'dist');
}

/** The core entry (`procnet`), the Node entry (`procnet/node`) and `procnet/prometheus`, in the order they are looked for. */
const ENTRIES = {
  core: ['index.js'],
  node: ['node.js', 'node/index.js'],
  prometheus: ['prometheus.js'],
};

/** The /proc/net files one procnet/prometheus scrape reads: every socket table and the counter files. */
export const SCRAPED_FILES = Object.freeze([
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'udplite',
  'udplite6',
  'raw',
  'raw6',
  'icmp',
  'icmp6',
  'unix',
  'snmp',
  'netstat',
  'snmp6',
  'sockstat',
  'sockstat6',
]);

const cache = new Map();

async function importEntry(which) {
  if (cache.has(which)) return cache.get(which);
  const dist = procnetDist();
  let result = { reason: `${dist} has no ${ENTRIES[which].join(' or ')} (build procnet first: npm run build)` };
  for (const name of ENTRIES[which]) {
    const file = join(dist, name);
    if (!existsSync(file)) continue;
    try {
      result = { module: await import(pathToFileURL(file).href), file };
    } catch (error) {
      result = { reason: `importing ${file} failed: ${error.message}` };
    }
    break;
  }
  cache.set(which, result);
  return result;
}

/**
 * Finds an exported function of procnet. Returns `{ fn, file }`, or `{ reason }` when it is not available yet.
 * @param {'core' | 'node' | 'prometheus'} entry
 * @param {string} name
 */
export async function procnetFunction(entry, name) {
  const loaded = await importEntry(entry);
  if (!loaded.module) return { reason: `procnet ${name}: not available yet (${loaded.reason})` };
  const fn = loaded.module[name];
  if (typeof fn !== 'function') {
    return { reason: `procnet ${name}: not available yet (${loaded.file} does not export it)` };
  }
  return { fn, file: loaded.file };
}

/**
 * The procnet command line: the `bin` of the package that owns the dist folder (`dist`, by default the one procnet is
 * loaded from). `{ file }` or `{ reason }`.
 */
export function procnetCli(dist = procnetDist()) {
  const root = resolve(dist, '..');
  let bin;
  try {
    bin = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin;
  } catch (error) {
    return { reason: `procnet cli: not available yet (cannot read ${root}/package.json: ${error.message})` };
  }
  const rel = typeof bin === 'string' ? bin : bin?.procnet;
  if (!rel) return { reason: 'procnet cli: not available yet (package.json has no "bin")' };
  const file = join(root, rel);
  if (!existsSync(file)) return { reason: `procnet cli: not available yet (${file} missing: npm run build)` };
  return { file };
}
