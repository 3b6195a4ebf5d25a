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
  /**
   * Longest line of an inet table, in bytes: a longer one is a `LINE_TOO_LONG` error for that row (line 1: for the
   * table), and a stream never holds more than this much of one line. Default {@link MAX_LINE_LENGTH} (64 KiB); the
   * kernel's longest line is under 300 bytes.
   */
  maxLineLength?: number | undefined;
}

/** Default `maxLineLength`: far above any line the kernel prints (a tcp6 row is about 180 bytes). */
export const MAX_LINE_LENGTH = 65536;

/** Checks `maxLineLength` and returns it or the default. */
export function maxLineLengthOf(options: ParseOptions | undefined): number {
  const n = options?.maxLineLength ?? MAX_LINE_LENGTH;
  if (!(Number.isSafeInteger(n) && n > 0)) throw new RangeError('procnet: maxLineLength must be a positive integer');
  return n;
}

/** Calls the handler for a bad row; rethrows in `'throw'` mode. */
export function reportInvalid(handler: InvalidRowHandler, error: ProcNetParseError): void {
  if (handler === 'throw') throw error;
  if (handler !== 'skip') handler(error);
}
