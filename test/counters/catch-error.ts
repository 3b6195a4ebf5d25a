import { isProcNetParseError, type ProcNetParseError } from '../../src/errors.js';

/** Runs `run` and returns the ProcNetParseError it throws; fails on any other outcome. */
export function catchError(run: () => unknown): ProcNetParseError {
  try {
    run();
  } catch (error) {
    if (isProcNetParseError(error)) return error;
    throw error;
  }
  throw new Error('expected a ProcNetParseError');
}
