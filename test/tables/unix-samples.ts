/**
 * Where the unix samples live, and small byte helpers for the unix tests.
 */
import { readFileSync } from 'node:fs';
import { isProcNetParseError, type ProcNetParseError } from '../../src/index.js';

export const SPEC = new URL('../../../shared/spec/', import.meta.url).pathname;
export const CAPTURE = `${SPEC}capture-2026-11-linux-6.18`;
export const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;

/** A sample's exact bytes (as `fs` gives them: a Buffer). */
export function sampleBytes(path: string): Buffer {
  return readFileSync(path);
}

/** One char per byte (latin1), so tests can write any byte with `\xNN`. */
export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

/** Bytes as one char per byte, for readable assertions. */
export function asLatin1(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('latin1');
}

export const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path\n';

/** Runs `run` and returns the ProcNetParseError it throws; fails on any other outcome. */
export function catchParseError(run: () => unknown): ProcNetParseError {
  try {
    run();
  } catch (error) {
    if (isProcNetParseError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProcNetParseError');
}
