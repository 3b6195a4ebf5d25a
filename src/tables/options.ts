/**
 * Options shared by every table parser.
 * @module
 */
import type { ProcNetParseError } from '../errors.js';
import type { ByteOrder } from '../types.js';
import type { RowFilter } from './filter.js';

/** What to do with a row that does not parse. */
export type InvalidRowHandler = 'throw' | 'skip' | ((error: ProcNetParseError) => void);

/** Options for `parseTable` and the per-table parsers. */
export interface ParseOptions {
  /** Byte order of the machine that printed the table. Default `'little'` (x86, arm64, ppc64le). */
  byteOrder?: ByteOrder | undefined;
  /** USER_HZ of that machine: clock ticks per second, to turn timers into ms. Default 100. */
  userHz?: number | undefined;
  /**
   * `'throw'` (default): the first bad row throws a `ProcNetParseError`. `'skip'`: bad rows are dropped, every
   * good row is kept. A function: called once per bad row (with its position), every good row is kept.
   */
  onInvalidRow?: InvalidRowHandler | undefined;
  /** Name used in error messages (`file:line:column`). Default: the table kind. */
  file?: string | undefined;
  /** Keep only matching rows; rows that do not match are skipped before any object is built. Inet tables only. */
  filter?: RowFilter | undefined;
}

/** Calls the handler for a bad row; rethrows in `'throw'` mode. */
export function reportInvalid(handler: InvalidRowHandler, error: ProcNetParseError): void {
  if (handler === 'throw') throw error;
  if (handler !== 'skip') handler(error);
}
