/**
 * The decoder of the inet tables (tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6, icmp, icmp6): one line into
 * the scratch record {@link DecodedRow}, by the fast path when the line has the kernel's exact layout, else by the
 * checking decoder, field by field from its spans (scan/tokens.ts), with a positioned error for the first bad one.
 * The record is read inside src/tables only; other layers get rows or columns (table-feed.ts).
 * @module
 */

import { isPointerText } from '../decode/pointer.js';
import { tcpMiniRecord } from '../decode/tcp-state.js';
import type { ProcNetParseError } from '../errors.js';
import { latin1 } from '../scan/bytes.js';
import { blankRunEnd, hex2, hex4, hex8, lowerHex8 } from '../scan/hex.js';
import { LinePosition } from '../scan/line-position.js';
import { createTokens, decimalText, decSpan, hexSpan, hexSpan64, MAX_TOKENS, type Tokens } from '../scan/tokens.js';
import type { AddressFamily, ByteOrder, InetProtocol, InetTableKind } from '../types.js';
import { maxLineLengthOf, type ParseOptions } from './options.js';

const COLON = 0x3a;
const SPACE = 0x20;
const MINUS = 0x2d;
const NL = 0x0a;

/** The shared empty `extra`. */
export const EMPTY: readonly string[] = Object.freeze([]);

/**
 * One decoded line, before any object is made: raw kernel values (addresses as the four `%08X` words as printed,
 * the pointer as words and as a span of the buffer). Filled by {@link decodeFast} or `decodeTokens()`.
 */
export interface DecodedRow {
  slot: number;
  la0: number;
  la1: number;
  la2: number;
  la3: number;
  lport: number;
  ra0: number;
  ra1: number;
  ra2: number;
  ra3: number;
  rport: number;
  st: number;
  tx: number;
  rx: number;
  tr: number;
  when: number;
  retr: number;
  uid: number;
  probes: number;
  /** The inode when it has at most 15 digits (every real one); else 0 and `inodeText` holds it. */
  inode: number;
  inodeText: string | undefined;
  ref: number;
  ptrStart: number;
  ptrEnd: number;
  /** The pointer as words when it is 8 or 16 lower-case hex digits, as `%pK` prints it (`ptrHi` 0 for 8). */
  ptrHi: number;
  ptrLo: number;
  /** 16 or 8 for those, 0 for a pointer printed any other way (its text is then the span). */
  ptrDigits: number;
  /** Fields on the line: 12 (TCP mini-socket, old datagram), 13 (datagram), 17 (TCP socket), or more. */
  fields: number;
  rto: number;
  ato: number;
  qp: number;
  cwnd: number;
  last: number;
  /** Datagram `drops` (meaningful when `fields > 12`). */
  drops: number;
  extra: readonly string[];
}

/**
 * The starting value of the fields that can hold any u32 (or -0, or up to 15 digits): a double, so the object's
 * fields are double from the start and never change representation (which would deoptimise the decoders).
 */
const U = Number.NaN;

export function emptyDecoded(): DecodedRow {
  return {
    slot: U,
    la0: U,
    la1: U,
    la2: U,
    la3: U,
    lport: 0,
    ra0: U,
    ra1: U,
    ra2: U,
    ra3: U,
    rport: 0,
    st: 0,
    tx: U,
    rx: U,
    tr: 0,
    when: U,
    retr: U,
    uid: U,
    probes: U,
    inode: U,
    inodeText: undefined,
    ref: U,
    ptrStart: 0,
    ptrEnd: 0,
    ptrHi: U,
    ptrLo: U,
    ptrDigits: 0,
    fields: 0,
    rto: U,
    ato: U,
    qp: U,
    cwnd: U,
    last: U,
    drops: U,
    extra: EMPTY,
  };
}

/** Scratch for the tail fields of one line. */
const TAIL = new Float64Array(10);

/**
 * The fast path: decodes the line that starts at `start` into `d`, without tokenizing, when it has exactly the
 * layout the kernel prints (fixed-width hex columns, single spaces, no extra fields, every value in range) and ends
 * with a newline before `limit`. Returns the position of that newline (so the caller needs no search for it), or
 * -1, having decided nothing, for any other line; the caller then finds the line's end, tokenizes it, and the
 * checking decoder decides (and explains). Never throws. Every byte up to the newline is checked, so the newline
 * found is the line's first. `words` is a `DataView` of `b` (made once per buffer by the caller).
 */
export function decodeFast(
  b: Uint8Array,
  words: DataView,
  start: number,
  limit: number,
  ipv6: boolean,
  tcp: boolean,
  d: DecodedRow,
): number {
  let p = start;
  while (b[p] === SPACE) p++;
  const s0 = p;
  let slot = 0;
  let c = (b[p] as number) - 0x30;
  while (c >= 0 && c <= 9) {
    slot = slot * 10 + c;
    c = (b[++p] as number) - 0x30;
  }
  if (p === s0 || p - s0 > 15 || b[p] !== COLON || b[p + 1] !== SPACE) return -1;
  const A = ipv6 ? 32 : 8;
  const l = p + 2;
  const q = l + A + 6;
  const r = q + A + 6;
  if (
    r + 42 >= limit ||
    b[l + A] !== COLON ||
    b[l + A + 5] !== SPACE ||
    b[q + A] !== COLON ||
    b[q + A + 5] !== SPACE ||
    b[r + 2] !== SPACE ||
    b[r + 11] !== COLON ||
    b[r + 20] !== SPACE ||
    b[r + 23] !== COLON ||
    b[r + 32] !== SPACE ||
    b[r + 41] !== SPACE
  ) {
    return -1;
  }
  const la0 = hex8(b, l);
  const lport = hex4(b, l + A + 1);
  const ra0 = hex8(b, q);
  const rport = hex4(b, q + A + 1);
  const st = hex2(b, r);
  const tx = hex8(b, r + 3);
  const rx = hex8(b, r + 12);
  const tr = hex2(b, r + 21);
  const when = hex8(b, r + 24);
  const retr = hex8(b, r + 33);
  if ((la0 | lport | ra0 | rport | st | tx | rx | tr | when | retr) < 0) {
    // A negative word is either an invalid digit (-1) or a u32 with the top bit set: look again.
    if (la0 === -1 || lport < 0 || ra0 === -1 || rport < 0 || st < 0 || tx === -1 || rx === -1) return -1;
    if (tr < 0 || when === -1 || retr === -1) return -1;
  }
  if (A === 32) {
    const la1 = hex8(b, l + 8);
    const la2 = hex8(b, l + 16);
    const la3 = hex8(b, l + 24);
    const ra1 = hex8(b, q + 8);
    const ra2 = hex8(b, q + 16);
    const ra3 = hex8(b, q + 24);
    if (la1 === -1 || la2 === -1 || la3 === -1 || ra1 === -1 || ra2 === -1 || ra3 === -1) return -1;
    d.la1 = la1 >>> 0;
    d.la2 = la2 >>> 0;
    d.la3 = la3 >>> 0;
    d.ra1 = ra1 >>> 0;
    d.ra2 = ra2 >>> 0;
    d.ra3 = ra3 >>> 0;
  } else {
    d.la1 = 0;
    d.la2 = 0;
    d.la3 = 0;
    d.ra1 = 0;
    d.ra2 = 0;
    d.ra3 = 0;
  }
  // The tail: decimal fields separated by runs of spaces, the pointer (lower-case hex) fifth.
  const tail = TAIL;
  const max = tcp ? 10 : 6;
  let k = 0;
  p = r + 42;
  for (;;) {
    p = blankRunEnd(b, words, p);
    if (b[p] === NL) {
      if (p >= limit) return -1;
      break;
    }
    if (k >= max) return -1;
    if (k === 4) {
      // 16 digits (8 on a 32-bit kernel), then a blank: as words.
      const e16 = b[p + 16];
      const hi = e16 === SPACE || e16 === NL ? lowerHex8(b, p) : -1;
      const lo = hi >= 0 ? lowerHex8(b, p + 8) : -1;
      d.ptrStart = p;
      if (lo >= 0) {
        d.ptrHi = hi;
        d.ptrLo = lo;
        d.ptrDigits = 16;
        p += 16;
      } else {
        const e8 = b[p + 8];
        const w = e8 === SPACE || e8 === NL ? lowerHex8(b, p) : -1;
        if (w < 0) return -1;
        d.ptrHi = 0;
        d.ptrLo = w;
        d.ptrDigits = 8;
        p += 8;
      }
      d.ptrEnd = p;
      k++;
      continue;
    }
    const neg = b[p] === MINUS;
    if (neg) p++;
    const s = p;
    let v = 0;
    c = (b[p] as number) - 0x30;
    while (c >= 0 && c <= 9) {
      v = v * 10 + c;
      c = (b[++p] as number) - 0x30;
    }
    if (p === s || p - s > 15 || (b[p] !== NL && b[p] !== SPACE)) return -1;
    // "-0" is no kernel's output: left to the checking decoder, so no value decoded here is -0.
    if (neg && v === 0) return -1;
    tail[k++] = neg ? -v : v;
  }
  const inode = tail[2] as number;
  if (inode < 0) return -1;
  if (tcp) {
    if (k === 10) {
      if ((tail[5] as number) < 0 || (tail[6] as number) < 0 || (tail[7] as number) < 0 || (tail[8] as number) < 0)
        return -1;
      d.rto = tail[5] as number;
      d.ato = tail[6] as number;
      d.qp = tail[7] as number;
      d.cwnd = tail[8] as number;
      d.last = tail[9] as number;
      d.fields = 17;
    } else if (k === 5) {
      if (tcpMiniRecord(tr, st) === null) return -1;
      d.fields = 12;
    } else {
      return -1;
    }
  } else {
    if (k !== 6) return -1;
    d.drops = tail[5] as number;
    d.fields = 13;
  }
  d.slot = slot;
  d.la0 = la0 >>> 0;
  d.lport = lport;
  d.ra0 = ra0 >>> 0;
  d.rport = rport;
  d.st = st;
  d.tx = tx >>> 0;
  d.rx = rx >>> 0;
  d.tr = tr;
  d.when = when >>> 0;
  d.retr = retr >>> 0;
  d.uid = tail[0] as number;
  d.probes = tail[1] as number;
  d.inode = inode;
  d.inodeText = undefined;
  d.ref = tail[3] as number;
  d.extra = EMPTY;
  return p;
}

/** Kernel column names by token index (TCP names the unnamed tail columns after their kernel fields). */
const FIELD_NAMES: readonly string[] = (
  'sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer ' +
  'rto ato quick/pingpong snd_cwnd ssthresh'
).split(' ');

/**
 * The decoder of one parse call: the table's settings, the position of the current line (for errors), its field
 * spans, and the current line decoded into {@link d}.
 */
export class InetLineDecoder extends LinePosition {
  readonly kind: InetTableKind;
  readonly protocol: InetProtocol;
  readonly family: AddressFamily;
  readonly order: ByteOrder;
  readonly userHz: number;
  /** Longest line accepted (`maxLineLength`). */
  readonly maxLine: number;
  /** The current line's field spans (when it is tokenized). */
  readonly t: Tokens = createTokens();
  /** The current line, decoded. */
  readonly d: DecodedRow = emptyDecoded();
  /** Width of the table's pointers, from its first row that has a field after the pointer (0 until then). */
  ptrWidth = 0;

  constructor(
    kind: InetTableKind,
    info: { protocol: InetProtocol; family: AddressFamily },
    options: ParseOptions | undefined,
  ) {
    super(new Uint8Array(0), options?.file ?? kind);
    const userHz = options?.userHz ?? 100;
    if (!(userHz > 0)) throw new RangeError('procnet: userHz must be a positive number');
    this.kind = kind;
    this.protocol = info.protocol;
    this.family = info.family;
    this.order = options?.byteOrder ?? 'little';
    this.userHz = userHz;
    this.maxLine = maxLineLengthOf(options);
  }

  /** The error for a row that has no token `i`: cut short at the end of the input, or malformed. */
  missing(i: number): ProcNetParseError {
    const t = this.t;
    return this.endsBefore(
      FIELD_NAMES[i] ?? 'field',
      t.count > 0 ? (t.ends[Math.min(t.count, MAX_TOKENS) - 1] as number) : this.lineStart,
    );
  }

  /**
   * On the unterminated last line, an error in the last token means the input was cut inside that field: say so.
   */
  truncated(e: ProcNetParseError): ProcNetParseError {
    const t = this.t;
    const last = t.starts[Math.min(t.count, MAX_TOKENS) - 1] as number;
    if (e.code === 'TRUNCATED_ROW' || e.offset < this.base + last) return e;
    return this.cutInside(e.field, this.lineEnd);
  }

  private hexField(field: string, s: number, e: number): number {
    const v = hexSpan(this.buf, s, e);
    if (v < 0) throw this.error('BAD_HEX', field, `${field} must be hexadecimal`, s, e);
    return v;
  }

  private decField(i: number, signed: boolean): number {
    if (i >= this.t.count) throw this.missing(i);
    const s = this.t.starts[i] as number;
    const e = this.t.ends[i] as number;
    const v = decSpan(this.buf, s, e);
    if (Number.isNaN(v) || (!signed && v < 0)) {
      const field = FIELD_NAMES[i] as string;
      throw this.error('BAD_NUMBER', field, `${field} must be a ${signed ? '' : 'non-negative '}decimal number`, s, e);
    }
    return v;
  }

  /** Token `i` as `A:B` in hex; returns B and stores A in `pairFirst`. */
  private pairFirst = 0;
  private hexPair(i: number, first: string, second: string, wide: boolean): number {
    if (i >= this.t.count) throw this.missing(i);
    const b = this.buf;
    const s = this.t.starts[i] as number;
    const e = this.t.ends[i] as number;
    let c = s + 8 < e && b[s + 8] === COLON ? s + 8 : -1;
    if (c < 0) {
      for (let p = s; p < e; p++) {
        if (b[p] === COLON) {
          c = p;
          break;
        }
      }
      if (c < 0) {
        throw this.error('BAD_SEPARATOR', first, `expected '${first}:${second}' with a ':' between them`, s, e);
      }
    }
    this.pairFirst = this.hexField(first, s, c);
    return wide ? this.wideHex(c + 1, e, second) : this.hexField(second, c + 1, e);
  }

  /** `tm->when` may have 16 hex digits (an overdue timer on old 64-bit kernels printed wrapped): read it signed. */
  private wideHex(s: number, e: number, field: string): number {
    if (e - s <= 13) return this.hexField(field, s, e);
    if (e - s > 16) throw this.error('BAD_HEX', field, `${field} has more than 16 hex digits`, s, e);
    const v = hexSpan64(this.buf, s, e);
    if (Number.isNaN(v)) throw this.error('BAD_HEX', field, `${field} must be hexadecimal`, s, e);
    return v;
  }

  /** Token `i` as `ADDRESS:PORT`: stores the address words and the port of the local (i 1) or remote end. */
  private endpoint(i: number): void {
    if (i >= this.t.count) throw this.missing(i);
    const field = i === 1 ? 'local_address' : this.family === 'IPv4' ? 'rem_address' : 'remote_address';
    const b = this.buf;
    const s = this.t.starts[i] as number;
    const e = this.t.ends[i] as number;
    const width = this.family === 'IPv4' ? 8 : 32;
    let c = s + width;
    if (c >= e || b[c] !== COLON) {
      c = s;
      while (c < e && b[c] !== COLON) c++;
      const len = c - s;
      if (c >= e) throw this.error('BAD_ADDRESS', field, `${field} must be ADDRESS:PORT in hex`, s, e);
      const want = this.family === 'IPv4' ? '8 hex digits (IPv4)' : '32 hex digits (IPv6)';
      const hint = len === 8 || len === 32 ? `; is this the ${len === 8 ? 'IPv4' : 'IPv6'} table?` : '';
      throw this.error('BAD_ADDRESS', field, `${field} must have ${want}, not ${len}${hint}`, s, e);
    }
    const w0 = hexSpan(b, s, s + 8);
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    if (width === 32) {
      w1 = hexSpan(b, s + 8, s + 16);
      w2 = hexSpan(b, s + 16, s + 24);
      w3 = hexSpan(b, s + 24, s + 32);
    }
    if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) {
      throw this.error('BAD_ADDRESS', field, `${field} must be hexadecimal`, s, c);
    }
    const port = hexSpan(b, c + 1, e);
    if (port < 0 || e - c - 1 > 4) {
      throw this.error('BAD_ADDRESS', field, `the port of ${field} must be 1 to 4 hex digits`, c + 1, e);
    }
    const d = this.d;
    if (i === 1) {
      d.la0 = w0;
      d.la1 = w1;
      d.la2 = w2;
      d.la3 = w3;
      d.lport = port;
    } else {
      d.ra0 = w0;
      d.ra1 = w1;
      d.ra2 = w2;
      d.ra3 = w3;
      d.rport = port;
    }
  }

  /** Decodes the current (tokenized) line into `d`, checking every field. Throws ProcNetParseError. */
  decodeTokens(): void {
    const t = this.t;
    const b = this.buf;
    const d = this.d;
    const n = t.count;
    if (n > MAX_TOKENS) {
      throw this.error(
        'FIELD_COUNT',
        '',
        `a row has ${n} fields; no kernel prints more than ${MAX_TOKENS}`,
        this.lineStart,
        t.ends[MAX_TOKENS - 1] as number,
      );
    }
    // sl: decimal then ':'
    const s0 = t.starts[0] as number;
    const e0 = t.ends[0] as number;
    if (b[e0 - 1] !== COLON)
      throw this.error('BAD_SEPARATOR', 'sl', "expected ':' after the sl number (rows start like '   0: ')", s0, e0);
    const slot = decSpan(b, s0, e0 - 1);
    if (!(slot >= 0)) throw this.error('BAD_NUMBER', 'sl', 'sl must be a decimal row or bucket number', s0, e0);
    d.slot = slot;
    this.endpoint(1);
    this.endpoint(2);
    if (n <= 3) throw this.missing(3);
    const stateCode = this.hexField('st', t.starts[3] as number, t.ends[3] as number);
    d.st = stateCode;
    d.rx = this.hexPair(4, 'tx_queue', 'rx_queue', false);
    d.tx = this.pairFirst;
    d.when = this.hexPair(5, 'tr', 'tm->when', true);
    const timerCode = this.pairFirst;
    d.tr = timerCode;
    if (n <= 6) throw this.missing(6);
    d.retr = this.hexField('retrnsmt', t.starts[6] as number, t.ends[6] as number);
    d.uid = this.decField(7, true);
    d.probes = this.decField(8, true);
    if (n <= 9) throw this.missing(9);
    this.readInode(t.starts[9] as number, t.ends[9] as number);
    d.ref = this.decField(10, true);
    if (n <= 11) throw this.missing(11);
    this.readPointer(t.starts[11] as number, t.ends[11] as number, n === 12);
    d.fields = n;
    if (this.protocol === 'tcp') {
      if (n === 12) {
        // A TIME_WAIT mini-socket (tr 3) or a request socket (tr 1).
        if (tcpMiniRecord(timerCode, stateCode) === null) {
          if (this.unterminated) throw this.missing(12);
          throw this.error(
            'FIELD_COUNT',
            '',
            'a 12-field TCP row must be TIME_WAIT (tr 03) or a request socket (tr 01); full sockets have 17 fields',
            this.lineStart,
            t.ends[11] as number,
          );
        }
        d.extra = EMPTY;
        this.pointerWidthOk();
        return;
      }
      d.rto = this.decField(12, false);
      d.ato = this.decField(13, false);
      d.qp = this.decField(14, false);
      d.cwnd = this.decField(15, false);
      d.last = this.decField(16, true);
      d.extra = n > 17 ? this.rest(17) : EMPTY;
      this.pointerWidthOk();
      return;
    }
    d.drops = n > 12 ? this.decField(12, true) : 0;
    d.extra = n > 13 ? this.rest(13) : EMPTY;
    this.pointerWidthOk();
  }

  /** The inode: a number up to 15 digits, else canonical decimal text (exact at any length). */
  private readInode(s: number, e: number): void {
    const d = this.d;
    const text = e - s > 15 ? decimalText(this.buf, s, e) : undefined;
    const v = text === undefined ? decSpan(this.buf, s, e) : 0;
    if (!(v >= 0) || text === null) throw this.error('BAD_NUMBER', 'inode', 'inode must be a decimal number', s, e);
    d.inode = v;
    d.inodeText = text;
  }

  /**
   * The kernel pointer: `%pK`, 16 hex digits on a 64-bit kernel and 8 on a 32-bit one, or the early-boot
   * `(____ptrval____)` / `(ptrval)` of the same widths. Every row of one table has the same width: a row whose
   * pointer is not followed by another field (TCP TIME_WAIT and request rows) and is narrower than the table's was
   * cut there, not printed so (on the unterminated last line: a truncated dump). Sets the span, and the words when
   * it is lower-case hex as `%pK` prints it.
   */
  private readPointer(s: number, e: number, last: boolean): void {
    const b = this.buf;
    const len = e - s;
    const cut = this.unterminated && last;
    if (!isPointerText(b, s, e)) {
      if (cut) throw this.cutInside('pointer', e);
      throw this.error('BAD_HEX', 'pointer', 'pointer must be 8 or 16 hex digits (a kernel pointer)', s, e);
    }
    if (this.ptrWidth !== 0 && len !== this.ptrWidth) {
      if (cut) throw this.cutInside('pointer', e);
      throw this.error(
        'BAD_HEX',
        'pointer',
        `pointer has ${len} digits where this table's rows have ${this.ptrWidth}: the row was cut or edited`,
        s,
        e,
      );
    }
    const d = this.d;
    d.ptrStart = s;
    d.ptrEnd = e;
    const hi = len === 16 ? lowerHex8(b, s) : 0;
    const lo = lowerHex8(b, e - 8);
    d.ptrHi = hi;
    d.ptrLo = lo;
    d.ptrDigits = hi < 0 || lo < 0 ? 0 : len;
  }

  /**
   * After a row is decoded: false when its pointer's width is not the table's (the checking decoder then explains);
   * the first row with a field after its pointer sets the table's width.
   */
  pointerWidthOk(): boolean {
    const d = this.d;
    const len = d.ptrEnd - d.ptrStart;
    if (this.ptrWidth !== 0) return len === this.ptrWidth;
    if (d.fields > 12) this.ptrWidth = len;
    return true;
  }

  private rest(from: number): readonly string[] {
    const out: string[] = [];
    for (let i = from; i < this.t.count; i++)
      out.push(latin1(this.buf, this.t.starts[i] as number, this.t.ends[i] as number));
    return out;
  }
}
