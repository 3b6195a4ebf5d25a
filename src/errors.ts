/**
 * Errors are data: one class, one stable code union, a position inside the input.
 * @module
 */

/** Every way a /proc/net table can fail to parse. Stable: tools may switch on it. See docs/errors.md. */
export type ProcNetErrorCode =
  /** The input has no header line at all (empty or only blank lines). */
  | 'MISSING_HEADER'
  /** Line 1 is not the header of the table that was asked for. */
  | 'UNKNOWN_HEADER'
  /** A row has a number of fields that no known kernel layout has. */
  | 'FIELD_COUNT'
  /** The last row of the input stops in the middle: a dump cut short. */
  | 'TRUNCATED_ROW'
  /** A field that must be hexadecimal holds something else, or is too long. */
  | 'BAD_HEX'
  /** An address field is not 8 (IPv4) or 32 (IPv6) hex digits, or lacks its `:port`. */
  | 'BAD_ADDRESS'
  /** A decimal field holds something else, or is out of range. */
  | 'BAD_NUMBER'
  /** A separator the kernel always prints (`:` after `sl`, `tx:rx`, `tr:when`) is missing. */
  | 'BAD_SEPARATOR'
  /** Counter names and values do not pair up: a header/value line pair of different lengths or groups, a name without a value, or a value without a name. */
  | 'COUNTER_MISMATCH'
  /** A counter name appears twice in the same group (two dumps joined, or an edited file). */
  | 'DUPLICATE_COUNTER'
  /** A counter, group or key name holds characters the kernel never prints (a stray `Mode: 644` line in snmp6). */
  | 'BAD_COUNTER_NAME'
  /** A line of an inet table is longer than `maxLineLength` (no kernel prints one near that long). */
  | 'LINE_TOO_LONG'
  /** A unix socket path is longer than the 108 bytes the kernel can print (`sun_path`). */
  | 'PATH_TOO_LONG';

/** The list of codes, in the order of docs/errors.md. */
export const PROC_NET_ERROR_CODES: readonly ProcNetErrorCode[] = [
  'MISSING_HEADER',
  'UNKNOWN_HEADER',
  'FIELD_COUNT',
  'TRUNCATED_ROW',
  'BAD_HEX',
  'BAD_ADDRESS',
  'BAD_NUMBER',
  'BAD_SEPARATOR',
  'COUNTER_MISMATCH',
  'DUPLICATE_COUNTER',
  'BAD_COUNTER_NAME',
  'LINE_TOO_LONG',
  'PATH_TOO_LONG',
];

const BRAND: unique symbol = Symbol.for('procnet.ProcNetParseError') as never;

/** Where and what, for {@link ProcNetParseError}. */
export interface ProcNetParseErrorDetails {
  code: ProcNetErrorCode;
  /** What was wrong, in words a person can act on (without the position; the message adds it). */
  reason: string;
  /** The table being parsed (`'tcp'`, `'unix'`, ...) or a file name given by the caller. */
  file?: string | undefined;
  /** 1-based line number in the input. */
  line: number;
  /** 1-based column (byte offset in the line + 1) where the offending text starts. */
  column: number;
  /** 0-based byte offset of the offending text in the whole input. */
  offset: number;
  /** The kernel column name (`local_address`, `st`, `inode`, ...), or `''` for whole-line problems. */
  field: string;
  /** The offending text, cut to 80 characters, control bytes escaped. */
  text: string;
}

/**
 * Thrown (or handed to `onInvalidRow`) when a table cannot be parsed.
 * Check with {@link isProcNetParseError}, which also works across realms and bundle copies.
 */
export class ProcNetParseError extends Error {
  override readonly name = 'ProcNetParseError';
  readonly code: ProcNetErrorCode;
  readonly reason: string;
  readonly file: string | undefined;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly field: string;
  readonly text: string;

  constructor(details: ProcNetParseErrorDetails) {
    const where = `${details.file ?? 'input'}:${details.line}:${details.column}`;
    const what = details.field ? ` (field ${details.field})` : '';
    super(`${where}${what}: ${details.reason}${details.text ? `: "${details.text}"` : ''}`);
    this.code = details.code;
    this.reason = details.reason;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.offset = details.offset;
    this.field = details.field;
    this.text = details.text;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for a {@link ProcNetParseError}, even one made by another copy of procnet or in another realm. */
export function isProcNetParseError(value: unknown): value is ProcNetParseError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[Symbol.for('procnet.ProcNetParseError')] === true
  );
}
