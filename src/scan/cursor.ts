/**
 * A cursor over one line of a table: reads fields in place (no split, no regex) and throws
 * positioned errors. One instance per parse call; the table parsers drive it.
 * @module
 */
import { type ProcNetErrorCode, ProcNetParseError } from '../errors.js';
import { excerpt } from './bytes.js';

const SP = 0x20;
const TAB = 0x09;

/** Value of a hex digit char code, or -1. */
export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x57;
  return -1;
}

export class Cursor {
  /** The whole input. */
  readonly buf: Uint8Array;
  /** Table name for error messages. */
  readonly file: string;
  /** Current byte offset. */
  pos = 0;
  /** End of the current line (exclusive, before `\n`; trailing blanks included). */
  end = 0;
  /** Offset of the current line's first byte. */
  lineStart = 0;
  /** 1-based number of the current line. */
  line = 0;
  /** True when the current line is the input's last and has no `\n`: a short row there is a truncated dump. */
  lastUnterminated = false;

  constructor(buf: Uint8Array, file: string) {
    this.buf = buf;
    this.file = file;
  }

  /** Positions the cursor on the line `[start, end)`. */
  setLine(start: number, end: number, line: number, unterminated: boolean): void {
    // Trailing padding is not trimmed here (the tcp table pads every line to 149 columns): the field readers skip
    // blanks, and only error excerpts look at the end.
    this.lineStart = start;
    this.pos = start;
    this.end = end;
    this.line = line;
    this.lastUnterminated = unterminated;
  }

  /** Skips blanks (spaces; tabs too, which some saved samples carry). */
  skipBlanks(): void {
    const b = this.buf;
    let p = this.pos;
    while (p < this.end && (b[p] === SP || b[p] === TAB)) p++;
    this.pos = p;
  }

  /** True when only blanks remain. */
  atEnd(): boolean {
    this.skipBlanks();
    return this.pos >= this.end;
  }

  /** Offset just past the current whitespace-delimited token (from pos). */
  tokenEnd(): number {
    const b = this.buf;
    let p = this.pos;
    while (p < this.end && b[p] !== SP && b[p] !== TAB) p++;
    return p;
  }

  /** Builds a positioned error for `[start, stop)`. */
  error(code: ProcNetErrorCode, field: string, reason: string, start = this.pos, stop?: number): ProcNetParseError {
    const s = Math.min(start, this.buf.length);
    const e = stop ?? Math.max(this.tokenEndFrom(s), s);
    return new ProcNetParseError({
      code,
      reason,
      file: this.file,
      line: this.line,
      column: s - this.lineStart + 1,
      offset: s,
      field,
      text: excerpt(this.buf, s, e),
    });
  }

  private tokenEndFrom(p: number): number {
    const b = this.buf;
    while (p < this.end && b[p] !== SP && b[p] !== TAB) p++;
    return p;
  }

  /** End of the line without its trailing blanks (for error excerpts). */
  trimmedEnd(): number {
    const b = this.buf;
    let e = this.end;
    while (e > this.lineStart && (b[e - 1] === SP || b[e - 1] === TAB || b[e - 1] === 0x0d)) e--;
    return e;
  }

  /** A missing field: the row ended early (a truncated dump when this is the unterminated last line). */
  missing(field: string): ProcNetParseError {
    if (this.lastUnterminated) {
      return this.error(
        'TRUNCATED_ROW',
        field,
        `the last row ends before its ${field} field: the input was cut short`,
        this.lineStart,
        this.trimmedEnd(),
      );
    }
    return this.error(
      'FIELD_COUNT',
      field,
      `the row ends before its ${field} field`,
      this.lineStart,
      this.trimmedEnd(),
    );
  }

  /**
   * Reads hex digits up to `stop` (a char code such as `:`; 0 = whitespace) as an unsigned number. At most 13 digits
   * are exact in a double; longer runs throw unless `wide` (then callers use {@link hexBig}).
   */
  hex(field: string, stop: number): number {
    this.skipBlanks();
    const b = this.buf;
    const start = this.pos;
    if (start >= this.end) throw this.missing(field);
    let p = start;
    let v = 0;
    while (p < this.end) {
      const c = b[p] as number;
      if (c === stop || (stop === 0 && (c === SP || c === TAB))) break;
      const d = hexDigit(c);
      if (d < 0) throw this.error('BAD_HEX', field, `${field} must be hexadecimal`, start);
      v = v * 16 + d;
      p++;
    }
    if (p === start) throw this.error('BAD_HEX', field, `${field} is empty`, start);
    if (p - start > 13) throw this.error('BAD_HEX', field, `${field} has more hex digits than fit in a number`, start);
    this.pos = p;
    return v;
  }

  /** Expects the char `c` at pos and steps over it. */
  expect(c: number, field: string, what: string): void {
    if (this.pos >= this.end) throw this.missing(field);
    if (this.buf[this.pos] !== c) {
      throw this.error('BAD_SEPARATOR', field, `expected '${String.fromCharCode(c)}' ${what}`, this.pos);
    }
    this.pos++;
  }

  /** Reads an optionally signed decimal integer token. */
  dec(field: string, signed: boolean): number {
    this.skipBlanks();
    const b = this.buf;
    const start = this.pos;
    if (start >= this.end) throw this.missing(field);
    let p = start;
    let neg = false;
    if (b[p] === 0x2d && signed) {
      neg = true;
      p++;
    }
    const digits = p;
    let v = 0;
    while (p < this.end) {
      const c = b[p] as number;
      if (c === SP || c === TAB) break;
      if (c < 0x30 || c > 0x39) {
        throw this.error(
          'BAD_NUMBER',
          field,
          `${field} must be a ${signed ? '' : 'non-negative '}decimal number`,
          start,
        );
      }
      v = v * 10 + (c - 0x30);
      p++;
    }
    if (p === digits) throw this.error('BAD_NUMBER', field, `${field} must be a decimal number`, start);
    if (p - digits > 15) throw this.error('BAD_NUMBER', field, `${field} is too large`, start);
    this.pos = p;
    return neg ? -v : v;
  }

  /** Reads a decimal token and returns its canonical text (exact at any length). */
  decString(field: string): string {
    this.skipBlanks();
    const b = this.buf;
    const start = this.pos;
    if (start >= this.end) throw this.missing(field);
    let p = start;
    let v = 0;
    while (p < this.end) {
      const c = b[p] as number;
      if (c === SP || c === TAB) break;
      if (c < 0x30 || c > 0x39) throw this.error('BAD_NUMBER', field, `${field} must be a decimal number`, start);
      v = v * 10 + (c - 0x30);
      p++;
    }
    this.pos = p;
    const len = p - start;
    if (len <= 15) return v < 10 ? (DIGITS[v] as string) : String(v);
    // Longer than a double holds exactly: keep the digits (without leading zeros).
    let s = '';
    let i = start;
    while (i < p - 1 && b[i] === 0x30) i++;
    for (; i < p; i++) s += String.fromCharCode(b[i] as number);
    return s;
  }
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
