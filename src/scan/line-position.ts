/**
 * Where a line reader is in its input, and the positioned errors it reports: the one place that turns an offset
 * into file, line, column, field and excerpt, for the inet and the unix readers alike.
 * @module
 */
import { type ProcNetErrorCode, ProcNetParseError } from '../errors.js';
import { excerpt } from './bytes.js';

const SP = 0x20;
const TAB = 0x09;

export class LinePosition {
  /** The bytes being read: one whole input, or the current batch of lines of a stream. */
  buf: Uint8Array;
  /** Offset of `buf[0]` in the whole input (non-zero when streaming). */
  base = 0;
  /** Name used in error messages. */
  readonly file: string;
  /** 1-based number of the current line. */
  line = 0;
  /** Offset in `buf` of the current line's first byte. */
  lineStart = 0;
  /** End of the current line in `buf` (exclusive, before its `\n`; trailing blanks included). */
  lineEnd = 0;
  /** The current line is the input's last and has no `\n`: a short row there is a truncated dump. */
  unterminated = false;

  constructor(buf: Uint8Array, file: string) {
    this.buf = buf;
    this.file = file;
  }

  /** A positioned error over `[start, end)` of the current line; `end` defaults to the end of the token at `start`. */
  error(code: ProcNetErrorCode, field: string, reason: string, start: number, end?: number): ProcNetParseError {
    const b = this.buf;
    const s = Math.min(start, b.length);
    let e = end;
    if (e === undefined) {
      e = s;
      while (e < this.lineEnd && b[e] !== SP && b[e] !== TAB) e++;
    }
    return new ProcNetParseError({
      code,
      reason,
      file: this.file,
      line: this.line,
      column: s - this.lineStart + 1,
      offset: this.base + s,
      field,
      text: excerpt(b, s, e),
    });
  }

  /** A row that ends before its `field` (its last token ending at `end`): cut short on the unterminated last line. */
  endsBefore(field: string, end: number): ProcNetParseError {
    if (this.unterminated) {
      const reason = `the last row ends before its ${field} field: the input was cut short`;
      return this.error('TRUNCATED_ROW', field, reason, this.lineStart, end);
    }
    return this.error('FIELD_COUNT', field, `the row ends before its ${field} field`, this.lineStart, end);
  }

  /** `TRUNCATED_ROW`: the unterminated last line stops inside `field` (`''`: its last one), at `end`. */
  cutInside(field: string, end: number): ProcNetParseError {
    const reason = `the last row ends inside its ${field || 'last'} field: the input was cut short`;
    return this.error('TRUNCATED_ROW', field, reason, this.lineStart, end);
  }
}
