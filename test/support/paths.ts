import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The shared reference material beside the repository (spec, capture, corpus). */
export const SHARED =
  process.env.PROCNET_SHARED ??
  [fileURLToPath(new URL('../../../shared/', import.meta.url)), '/work/shared/'].find((d) => existsSync(d)) ??
  fileURLToPath(new URL('../../../shared/', import.meta.url));
/** The 6.18 reference capture in the spec folder. */
export const SPEC_CAPTURE = `${SHARED}spec/capture-2026-11-linux-6.18/`;
/** The corpus of other projects' samples. */
export const CORPUS = `${SHARED}corpus/`;

export function readBytes(path: string): Buffer {
  return readFileSync(path);
}
