/**
 * Vitest's global setup: build dist/ when it is missing or older than what it is built from, so that `npm test` on a
 * fresh clone (and after a change to src/) tests the command and the generated JSON Schema files as they are now.
 * The command's tests always run the built dist/cli.js; a stale build would test yesterday's code.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** What the build reads: a change to any of them makes dist/ stale. */
const INPUTS = ['src', 'scripts/build-json-schema.mjs', 'tsup.config.ts', 'tsconfig.json', 'package.json'];
/** What the build writes last of all (the JSON Schema script runs after tsup), and the command. */
const OUTPUTS = ['dist/cli.js', 'dist/json-schema/found-sockets.json'];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

/** Why dist/ must be built, or null when it is up to date. */
export function staleReason(root: string): string | null {
  const outputs = OUTPUTS.map((f) => join(root, f));
  const missing = outputs.find((f) => !existsSync(f));
  if (missing !== undefined) return `${missing} is missing`;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const changed = INPUTS.find((f) => newest(join(root, f)) > built);
  return changed === undefined ? null : `${changed} changed since the last build`;
}

export default function setup(): void {
  const reason = staleReason(ROOT);
  if (reason === null) return;
  console.log(`building dist/ first (${reason})`);
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status}): the command's tests need dist/`);
}
