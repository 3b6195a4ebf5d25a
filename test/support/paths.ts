import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. Tests read nothing outside it (test/self-contained.test.ts checks). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The 6.18 reference capture of the format specification (fixtures/README.md). */
export const SPEC_CAPTURE = `${ROOT}fixtures/spec-capture-2026-11-linux-6.18/`;
/** Other projects' samples, with their provenance and licences (fixtures/corpus/MANIFEST.tsv). */
export const CORPUS = `${ROOT}fixtures/corpus/`;

export function readBytes(path: string): Buffer {
  return readFileSync(path);
}
