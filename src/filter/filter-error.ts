/**
 * The error a bad socket filter expression throws: a code, the offending word and where it is.
 * @module
 */

/** Every way a filter expression can be wrong. Stable: tools may switch on it. See docs/filters.md. */
export type SocketFilterErrorCode =
  /** A word that cannot stand where it is (`sport = = :22`, a stray `)`, `and` with nothing before it). */
  | 'UNEXPECTED_WORD'
  /** The expression stops where more is needed (`sport =`, `( dport = :443`, `not`, `state`). */
  | 'UNEXPECTED_END'
  /** A word after `state` or `exclude` that is no state name or group. */
  | 'UNKNOWN_STATE'
  /** A host that is not an address, a prefix or `*` (host names are not resolved). */
  | 'BAD_ADDRESS'
  /** A port that is not a number from 0 to 65535, `*` or a known service name. */
  | 'BAD_PORT'
  /** A predicate ss has that /proc cannot answer (`dev`, `fwmark`, `cgroup`, `autobound` on inet sockets, `link:`). */
  | 'UNSUPPORTED';

/** The list of codes, in the order of docs/filters.md. */
export const SOCKET_FILTER_ERROR_CODES: readonly SocketFilterErrorCode[] = [
  'UNEXPECTED_WORD',
  'UNEXPECTED_END',
  'UNKNOWN_STATE',
  'BAD_ADDRESS',
  'BAD_PORT',
  'UNSUPPORTED',
];

const BRAND: unique symbol = Symbol.for('procnet.SocketFilterError') as never;

/** What and where, for {@link SocketFilterError}. */
export interface SocketFilterErrorDetails {
  code: SocketFilterErrorCode;
  /** What is wrong, in words a person can act on (without the position; the message adds it). */
  reason: string;
  /** The whole filter text. */
  filter: string;
  /** 0-based offset of the offending word in `filter` (`filter.length` when the text ended too soon). */
  offset: number;
  /** Length of the offending word in `filter` (0 when the text ended too soon). */
  length: number;
}

/**
 * Thrown by `parseSocketFilter` for an expression it cannot use. `message` names the word and its column;
 * `frame` is the filter with a caret line under the word, ready to print below the message.
 * Check with {@link isSocketFilterError}, which also works across realms and bundle copies.
 */
export class SocketFilterError extends Error {
  override readonly name = 'SocketFilterError';
  readonly code: SocketFilterErrorCode;
  readonly reason: string;
  /** The whole filter text. */
  readonly filter: string;
  /** 0-based offset of the offending word in `filter`. */
  readonly offset: number;
  /** Length of the offending word (0 at the end of the text). */
  readonly length: number;
  /** 1-based column of the offending word (`offset + 1`). */
  readonly column: number;
  /** The offending word as written (`''` at the end of the text). */
  readonly word: string;
  /** Two lines: the filter (control characters shown as `?`, so the caret lines up) and `^^^` under the word. */
  readonly frame: string;

  constructor(details: SocketFilterErrorDetails) {
    const word = details.filter.slice(details.offset, details.offset + details.length);
    const where = word === '' ? `at the end (column ${details.offset + 1})` : `at column ${details.offset + 1}`;
    super(`${details.reason} ${where}${word === '' ? '' : `: "${printable(word)}"`}`);
    this.code = details.code;
    this.reason = details.reason;
    this.filter = details.filter;
    this.offset = details.offset;
    this.length = details.length;
    this.column = details.offset + 1;
    this.word = word;
    this.frame = `${printable(details.filter)}\n${' '.repeat(details.offset)}${'^'.repeat(Math.max(1, details.length))}`;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** The text with every control character (TAB, newline, ESC, DEL, C1) as `?`: one column per UTF-16 unit. */
function printable(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x20 || (c >= 0x7f && c < 0xa0) ? '?' : text[i];
  }
  return out;
}

/** True for a {@link SocketFilterError}, even one made by another copy of procnet or in another realm. */
export function isSocketFilterError(value: unknown): value is SocketFilterError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[Symbol.for('procnet.SocketFilterError')] === true
  );
}
