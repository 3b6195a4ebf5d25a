/**
 * Byte helpers and the header for the unix tests.
 */
import type { ProcNetParseError } from '../../src/index.js';
import { lib } from '../support/lib.js';

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
    if (lib.isProcNetParseError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProcNetParseError');
}
