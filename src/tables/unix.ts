/**
 * Row assembly for /proc/net/unix. One pass over the bytes: each line is matched in place against the kernel's fixed
 * record layout (no regex, no split), and a line that is not a record continues the path of the row before it.
 * See docs/unix.md for the path rules and for the rows a socket name can forge.
 * @module
 */
import {
  decodeUnixPath,
  decodeUnixSocketState,
  decodeUnixSocketType,
  SO_ACCEPTCON,
  UNIX_PATH_MAX,
} from '../decode/unix.js';
import { type ProcNetErrorCode, ProcNetParseError } from '../errors.js';
import { excerpt, latin1 } from '../scan/bytes.js';
import { LinePosition } from '../scan/line-position.js';
import { decimalText, hexDigit } from '../scan/tokens.js';
import type { UnixSocket, UnixSuspicion } from '../types.js';
import { HEADER_NAMES, headerWords, identifyHeader } from './header.js';
import { type ParseOptions, reportInvalid } from './options.js';

const NL = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const TAB = 0x09;
const COLON = 0x3a;
const AT = 0x40;
const LPAREN = 0x28;
const RPAREN = 0x29;
const UNDERSCORE = 0x5f;
/** `ptrval`, the word inside the kernel's early-boot pointer placeholder `(____ptrval____)`. */
const PTRVAL = [0x70, 0x74, 0x72, 0x76, 0x61, 0x6c];

const NO_SUSPICION: readonly UnixSuspicion[] = Object.freeze([]);
const AFTER_PATH: readonly UnixSuspicion[] = Object.freeze(['after-newline-path'] as const);

/** Matches one line against the record layout; keeps the fields of a match, or why it failed. */
class UnixLineReader extends LinePosition {
  /** The header has an `Inode` column (every kernel since 2.0; the 1.x layout has none). */
  hasInode = true;
  // The fields of the last line that matched.
  numEnd = 0;
  numStart = 0;
  refcount = 0;
  protocol = 0;
  flags = 0;
  typeCode = 0;
  stateCode = 0;
  inode = '0';
  /** `inode` as a number (exact up to 15 digits), or -1 when longer: the key for finding repeated inodes. */
  inodeKey = 0;
  /** Offset of the path's first byte, or -1 when the record has no path. */
  pathStart = -1;
  // Why the last line did not match.
  /** The line is empty or only blanks. */
  blank = false;
  failAt = 0;
  failCode: ProcNetErrorCode = 'FIELD_COUNT';
  failField = '';
  failReason = '';
  /** The line ended before a field: on an unterminated last line that means a truncated dump. */
  failShort = false;

  /** Records why the line is not a record; returns -1 so number-returning steps can `return this.fail(…)`. */
  private fail(at: number, code: ProcNetErrorCode, field: string, reason: string, short = false): -1 {
    this.failAt = at;
    this.failCode = code;
    this.failField = field;
    this.failReason = reason;
    this.failShort = short;
    return -1;
  }

  private failsBefore(at: number, field: string): -1 {
    return this.fail(at, 'FIELD_COUNT', field, `the line ends before its ${field} field`, true);
  }

  /** Offset of the ':' that ends Num (hex digits, or the `(ptrval)` placeholder), or -1. */
  private num(p: number): number {
    const b = this.buf;
    const e = this.lineEnd;
    const start = p;
    if (p < e && b[p] === LPAREN) {
      p = this.ptrval(p);
      if (p < 0) return -1;
    } else {
      while (p < e && hexDigit(b[p] as number) >= 0) p++;
      if (p === start) {
        if (p >= e) return this.failsBefore(p, 'Num');
        return this.fail(p, 'BAD_HEX', 'Num', 'Num (the socket address) must be hexadecimal');
      }
      if (p - start > 16) return this.fail(start, 'BAD_HEX', 'Num', 'Num has more than 16 hex digits');
    }
    if (p >= e) return this.failsBefore(p, 'RefCount');
    if (b[p] !== COLON) return this.fail(p, 'BAD_SEPARATOR', 'Num', "expected ':' after Num");
    return p;
  }

  /** One space, blanks (`%5lu` right-aligns), then decimal digits up to a space or the line end. Sets `inode`; -1 if bad. */
  private inodeAt(p: number): number {
    const b = this.buf;
    const e = this.lineEnd;
    if (p >= e) return this.failsBefore(p, 'Inode');
    p++;
    while (p < e && b[p] === SP) p++;
    const digits = p;
    let v = 0;
    while (p < e) {
      const c = b[p] as number;
      if (c === SP) break;
      if (c < 0x30 || c > 0x39) return this.fail(digits, 'BAD_NUMBER', 'Inode', 'Inode must be a decimal number');
      v = v * 10 + (c - 0x30);
      p++;
    }
    const len = p - digits;
    if (len === 0) return this.failsBefore(p, 'Inode');
    if (len > 20) return this.fail(digits, 'BAD_NUMBER', 'Inode', 'Inode has more digits than a 64-bit number');
    if (len <= 15) {
      this.inode = String(v);
      this.inodeKey = v;
    } else {
      const inode = decimalText(b, digits, p) as string;
      this.inode = inode;
      this.inodeKey = inode.length <= 15 ? Number(inode) : -1;
    }
    return p;
  }

  /** One space, then exactly `width` hex digits ending at a space or the line end. The value, or -1. */
  private fixedHex(p: number, width: number, field: string): number {
    const b = this.buf;
    const e = this.lineEnd;
    if (p >= e) return this.failsBefore(p, field);
    if (b[p] !== SP) return this.fail(p, 'BAD_SEPARATOR', field, `expected one space before ${field}`);
    const start = p + 1;
    const stop = start + width;
    let v = 0;
    for (p = start; p < stop; p++) {
      if (p >= e) return this.fail(start, 'FIELD_COUNT', field, `the line ends inside its ${field} field`, true);
      const d = hexDigit(b[p] as number);
      if (d < 0) return this.fail(start, 'BAD_HEX', field, `${field} must be ${width} hexadecimal digits`);
      v = v * 16 + d;
    }
    if (p < e && b[p] !== SP) {
      return this.fail(start, 'BAD_HEX', field, `${field} must be ${width} hexadecimal digits`);
    }
    return v;
  }

  /** `(ptrval)` / `(____ptrval____)` at p: the offset after it, or -1. */
  private ptrval(p: number): number {
    const b = this.buf;
    const e = this.lineEnd;
    let q = p + 1;
    while (q < e && b[q] === UNDERSCORE) q++;
    for (let i = 0; i < PTRVAL.length; i++, q++) {
      if (q >= e || b[q] !== PTRVAL[i]) return this.fail(p, 'BAD_HEX', 'Num', 'Num must be hexadecimal or (ptrval)');
    }
    while (q < e && b[q] === UNDERSCORE) q++;
    if (q >= e || b[q] !== RPAREN) return this.fail(p, 'BAD_HEX', 'Num', 'Num must be hexadecimal or (ptrval)');
    return q + 1;
  }

  /**
   * True when `[start, end)` is a record: `Num: RefCount Protocol Flags Type St Inode` in the kernel's widths, then
   * nothing, or one space and the path. Kernel output never indents; leading blanks are allowed for saved samples.
   */
  match(start: number, end: number): boolean {
    const b = this.buf;
    this.lineEnd = end;
    let numStart = start;
    while (numStart < end && (b[numStart] === SP || b[numStart] === TAB)) numStart++;
    this.blank = numStart >= end;
    const numEnd = this.num(numStart);
    if (numEnd < 0) return false;
    // Fixed widths: each field is one space and its digits, counted from the ':' after Num.
    const refcount = this.fixedHex(numEnd + 1, 8, 'RefCount');
    if (refcount < 0) return false;
    const protocol = this.fixedHex(numEnd + 10, 8, 'Protocol');
    if (protocol < 0) return false;
    const flags = this.fixedHex(numEnd + 19, 8, 'Flags');
    if (flags < 0) return false;
    const typeCode = this.fixedHex(numEnd + 28, 4, 'Type');
    if (typeCode < 0) return false;
    const stateCode = this.fixedHex(numEnd + 33, 2, 'St');
    if (stateCode < 0) return false;
    let p = numEnd + 36; // the line end, or the space after St (fixedHex checked)
    if (this.hasInode) {
      p = this.inodeAt(p);
      if (p < 0) return false;
    } else {
      this.inode = '0';
      this.inodeKey = 0;
    }
    this.numStart = numStart;
    this.numEnd = numEnd;
    this.refcount = refcount;
    this.protocol = protocol;
    this.flags = flags;
    this.typeCode = typeCode;
    this.stateCode = stateCode;
    this.pathStart = p < end ? p + 1 : -1;
    return true;
  }

  /** The row of the last match. Its path is filled in when the table is done (later lines may continue it). */
  row(line: number, suspicious: readonly UnixSuspicion[]): UnixSocket {
    const flags = this.flags;
    return {
      kind: 'unix',
      pointer: latin1(this.buf, this.numStart, this.numEnd),
      refcount: this.refcount,
      protocol: this.protocol,
      flags,
      listening: (flags & SO_ACCEPTCON) !== 0,
      type: decodeUnixSocketType(this.typeCode),
      typeCode: this.typeCode,
      state: decodeUnixSocketState(this.stateCode),
      stateCode: this.stateCode,
      inode: this.inode,
      path: null,
      pathBytes: null,
      abstract: false,
      suspicious,
      line,
    };
  }

  /** The error for the last line that matched nothing and could not continue a path. */
  failure(rowBefore: boolean): ProcNetParseError {
    if (this.failShort && this.unterminated) {
      return this.error(
        'TRUNCATED_ROW',
        this.failField,
        `the last line ends before its ${this.failField} field: the input was cut short`,
        this.lineStart,
        this.lineEnd,
      );
    }
    const why = rowBefore ? 'the row before it has no path' : 'no row comes before it';
    return this.error(
      this.failCode,
      this.failField,
      `${this.failReason} (a line that is not a row can only continue a path, and ${why})`,
      this.failAt,
    );
  }
}

/** The error of a row whose path (from `pathStart`, through `end`) is longer than a name can be. */
function pathTooLong(r: UnixLineReader, line: number, lineStart: number, pathStart: number, end: number) {
  return new ProcNetParseError({
    code: 'PATH_TOO_LONG',
    reason: `the path is longer than the ${UNIX_PATH_MAX} bytes a socket name can print: the file was edited or is not /proc/net/unix`,
    file: r.file,
    line,
    column: pathStart - lineStart + 1,
    offset: pathStart,
    field: 'Path',
    text: excerpt(r.buf, pathStart, end),
  });
}

/** Line 1: the header (sets the layout), a blank line, or a row where the header should be. */
function readHeader(r: UnixLineReader, start: number, end: number): 'header' | 'blank' | 'row' {
  const words = headerWords(r.buf, start, end);
  if (words.length === 0) return 'blank';
  const found = identifyHeader(words);
  if (found === 'unix') {
    r.hasInode = words.includes('Inode');
    return 'header';
  }
  if (r.match(start, end)) return 'row';
  const what =
    found === 'other'
      ? 'line 1 is not the header of /proc/net/unix (that starts with "Num       RefCount")'
      : `this is the header of ${HEADER_NAMES[found]}, not of a unix table`;
  let at = start;
  while (at < end && (r.buf[at] === SP || r.buf[at] === TAB || r.buf[at] === CR)) at++;
  throw r.error('UNKNOWN_HEADER', '', what, at);
}

/**
 * Copies every path into one new buffer and gives each row a view of its own part: the rows keep no reference to the
 * input (a Buffer from `fs` may be a slice of a larger pool), and there is one allocation, not one per row.
 * CRLF line breaks inside a path become LF.
 */
function fillPaths(rows: UnixSocket[], starts: number[], ends: number[], bytes: Uint8Array, crlf: boolean): void {
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const s = starts[i] as number;
    if (s >= 0) total += (ends[i] as number) - s;
  }
  const pool = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const s = starts[i] as number;
    if (s < 0) continue;
    const e = ends[i] as number;
    const from = at;
    let plain = true; // ASCII without NUL or a dropped CR: the text is the bytes as they are
    for (let j = s; j < e; j++) {
      const c = bytes[j] as number;
      if (c >= 0x80 || c === 0) plain = false;
      else if (crlf && c === CR && j + 1 < e && bytes[j + 1] === NL) {
        plain = false;
        continue;
      }
      pool[at++] = c;
    }
    const pathBytes = new Uint8Array(pool.buffer, from, at - from);
    const row = rows[i] as UnixSocket;
    row.pathBytes = pathBytes;
    // Not sliced from one string of the whole input: a kept path would keep all of the input alive.
    row.path = plain ? latin1(bytes, s, e) : decodeUnixPath(pathBytes);
    row.abstract = pathBytes[0] === AT;
  }
}

/**
 * Marks every row whose non-zero inode is also on another row, that row included. Sorting a copy of the inodes finds
 * repeats without a map of every inode (usually there are none).
 */
function markDuplicateInodes(rows: UnixSocket[], keys: number[]): void {
  const sorted = new Float64Array(keys).sort();
  const repeated = new Set<number | string>();
  for (let i = 1; i < sorted.length; i++) {
    const k = sorted[i] as number;
    if (k > 0 && k === sorted[i - 1]) repeated.add(k);
  }
  // Inodes too long for an exact number (key -1) are compared as text.
  if (sorted[0] === -1) {
    const seen = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      if (keys[i] !== -1) continue;
      const inode = (rows[i] as UnixSocket).inode;
      if (seen.has(inode)) repeated.add(inode);
      seen.add(inode);
    }
  }
  if (repeated.size === 0) return;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as UnixSocket;
    const k = keys[i] as number;
    if (repeated.has(k < 0 ? row.inode : k)) markDuplicate(row);
  }
}

function markDuplicate(row: UnixSocket): void {
  if (!row.suspicious.includes('duplicate-inode')) {
    row.suspicious = Object.freeze([...row.suspicious, 'duplicate-inode'] as UnixSuspicion[]);
  }
}

/**
 * Parses the whole of /proc/net/unix, header included.
 *
 * A line that is a record is a row. A line that is not continues the path of the row before it (joined with `\n`).
 * Two rules keep a socket name from breaking or faking the table (docs/unix.md):
 * - a row that starts within {@link UNIX_PATH_MAX} bytes of an earlier path's first byte could be text inside that
 *   path: it is kept and marked `after-newline-path`;
 * - a line that is not a row, after a row without a path, is only possible if the rows since the last path were
 *   text inside it: they are folded back into that path (when it fits in {@link UNIX_PATH_MAX} bytes).
 * @internal use `parseTable('unix', …)` or `parseUnix`
 */
export function parseUnixTable(bytes: Uint8Array, options?: ParseOptions): UnixSocket[] {
  const handler = options?.onInvalidRow ?? 'throw';
  const r = new UnixLineReader(bytes, options?.file ?? 'unix');
  const rows: UnixSocket[] = [];
  // Per row: the path's byte span [starts[i], ends[i]), or -1. Paths are built at the end: later lines may extend them.
  const starts: number[] = [];
  const ends: number[] = [];
  const inodeKeys: number[] = [];
  /** Index of the last row that has a path: the only path a later line can still be inside. */
  let anchor = -1;
  const n = bytes.length;
  let pos = 0;
  let line = 0;
  let headerSeen = false;
  let crlf = false;
  /** Offset of the line of the last row with a path (for the position of its error). */
  let lastRowStart = 0;
  /** A path went past what a name can hold: its lines are dropped with it, up to the next row. */
  let skipping = false;
  while (pos < n) {
    let nl = bytes.indexOf(NL, pos);
    const unterminated = nl < 0;
    if (unterminated) nl = n;
    const start = pos;
    let end = nl;
    pos = nl + 1;
    line++;
    // A header ending in CR means the dump went through a CRLF conversion: every CRLF is then a line break.
    if (crlf && end > start && bytes[end - 1] === CR) end--;
    r.line = line;
    r.lineStart = start;
    r.lineEnd = end;
    r.unterminated = unterminated;
    if (!headerSeen) {
      headerSeen = true;
      const kind = readHeader(r, start, end);
      if (kind === 'header') {
        crlf = end > start && bytes[end - 1] === CR;
        continue;
      }
      const reason =
        kind === 'blank'
          ? 'line 1 is empty; /proc/net/unix starts with a header'
          : 'the header line of /proc/net/unix is missing; line 1 is a row';
      reportInvalid(handler, r.error('MISSING_HEADER', '', reason, start, end));
      if (kind === 'blank') continue;
    }
    // Could everything from the anchor's path to the end of this line be one name? (A CRLF counts as one byte.)
    const inAnchorPath =
      anchor >= 0 &&
      end - (starts[anchor] as number) - (crlf ? line - (rows[anchor] as UnixSocket).line : 0) <= UNIX_PATH_MAX;
    if (r.match(start, end)) {
      skipping = false;
      const ps = r.pathStart;
      if (ps >= 0 && end - ps > UNIX_PATH_MAX) {
        // Longer than any name: the row is an error, and the lines after it up to the next row are its path.
        anchor = -1;
        skipping = true;
        reportInvalid(handler, pathTooLong(r, line, start, ps, end));
        continue;
      }
      rows.push(r.row(line, inAnchorPath ? AFTER_PATH : NO_SUSPICION));
      starts.push(ps);
      ends.push(ps < 0 ? -1 : end);
      inodeKeys.push(r.inodeKey);
      if (ps >= 0) {
        anchor = rows.length - 1;
        lastRowStart = start;
      }
      continue;
    }
    if (skipping) continue;
    const last = rows.length - 1;
    if (last >= 0 && (starts[last] as number) >= 0) {
      // A continuation line, unless the path would then be longer than any name (a CRLF counts as one byte).
      const ps = starts[last] as number;
      const row = rows[last] as UnixSocket;
      if (end - ps - (crlf ? line - row.line : 0) > UNIX_PATH_MAX) {
        rows.length = last;
        starts.length = last;
        ends.length = last;
        inodeKeys.length = last;
        anchor = -1;
        skipping = true;
        reportInvalid(handler, pathTooLong(r, row.line, lastRowStart, ps, end));
        continue;
      }
      ends[last] = end;
      continue;
    }
    if (r.blank) continue;
    if (inAnchorPath) {
      // Only one reading of the kernel's output explains this line: the rows after the anchor were in its path.
      rows.length = anchor + 1;
      starts.length = anchor + 1;
      ends.length = anchor + 1;
      inodeKeys.length = anchor + 1;
      ends[anchor] = end;
      continue;
    }
    reportInvalid(handler, r.failure(last >= 0));
  }
  if (!headerSeen) {
    reportInvalid(
      handler,
      new ProcNetParseError({
        code: 'MISSING_HEADER',
        reason: 'the input is empty; /proc/net/unix always has a header line',
        file: options?.file ?? 'unix',
        line: 1,
        column: 1,
        offset: 0,
        field: '',
        text: '',
      }),
    );
  }
  fillPaths(rows, starts, ends, bytes, crlf);
  markDuplicateInodes(rows, inodeKeys);
  return rows;
}
