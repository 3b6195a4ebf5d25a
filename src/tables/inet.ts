/**
 * The checking reader of the inet tables (tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6, icmp, icmp6):
 * a line is decoded by the fast path (decoded-row.ts) when it has the kernel's exact layout, else split into
 * field spans (scan/tokens) and each field checked and decoded in place, with a positioned error for the first
 * bad one. Rows are built from the decoded values by inet-build.ts.
 * @module
 */
import { tcpMiniRecord } from '../decode/tcp-state.js';
import { type ProcNetErrorCode, ProcNetParseError } from '../errors.js';
import { excerpt, latin1 } from '../scan/bytes.js';
import { createTokens, decSpan, hexDigit, hexSpan, MAX_TOKENS, type Tokens } from '../scan/tokens.js';
import type { AddressFamily, ByteOrder, InetProtocol, InetSocket, InetTableKind } from '../types.js';
import { type DecodedRow, EMPTY, emptyDecoded } from './decoded-row.js';
import type { CompiledFilter } from './filter.js';
import { expectedHeader, HEADER_NAMES, headerWords, identifyHeader } from './header.js';
import { buildRow, pointerText } from './inet-build.js';
import { maxLineLengthOf, type ParseOptions } from './options.js';

const COLON = 0x3a;

/** Protocol and family of each inet table. */
export const INET_TABLES: Readonly<Record<InetTableKind, { protocol: InetProtocol; family: AddressFamily }>> = {
  tcp: { protocol: 'tcp', family: 'IPv4' },
  tcp6: { protocol: 'tcp', family: 'IPv6' },
  udp: { protocol: 'udp', family: 'IPv4' },
  udp6: { protocol: 'udp', family: 'IPv6' },
  udplite: { protocol: 'udplite', family: 'IPv4' },
  udplite6: { protocol: 'udplite', family: 'IPv6' },
  raw: { protocol: 'raw', family: 'IPv4' },
  raw6: { protocol: 'raw', family: 'IPv6' },
  icmp: { protocol: 'icmp', family: 'IPv4' },
  icmp6: { protocol: 'icmp', family: 'IPv6' },
};

/** The protocol and family of an inet table kind; a `TypeError` for anything else (`'constructor'` too). */
export function inetTableInfo(kind: string): { protocol: InetProtocol; family: AddressFamily } {
  if (!isInetTableKind(kind)) throw new TypeError(`procnet: unknown table kind ${JSON.stringify(kind)}`);
  return INET_TABLES[kind];
}

/** True for the ten inet table kinds (own keys of {@link INET_TABLES}, never inherited ones). */
export function isInetTableKind(kind: unknown): kind is InetTableKind {
  return typeof kind === 'string' && Object.hasOwn(INET_TABLES, kind);
}

/** Kernel column names by token index (TCP names the unnamed tail columns after their kernel fields). */
const FIELD_NAMES = [
  'sl',
  'local_address',
  'rem_address',
  'st',
  'tx_queue:rx_queue',
  'tr:tm->when',
  'retrnsmt',
  'uid',
  'timeout',
  'inode',
  'ref',
  'pointer',
];
const TCP_TAIL = ['rto', 'ato', 'quick/pingpong', 'snd_cwnd', 'ssthresh'];

/** Everything one parse call needs, and the position of the current line for errors. */
export class InetLineReader {
  /** The bytes being read (one whole input, or the current batch of lines when streaming). */
  buf: Uint8Array;
  /** Offset of `buf[0]` in the whole input (non-zero when streaming). */
  base = 0;
  readonly kind: InetTableKind;
  readonly protocol: InetProtocol;
  readonly family: AddressFamily;
  readonly order: ByteOrder;
  readonly userHz: number;
  readonly file: string;
  /** Longest line accepted (`maxLineLength`). */
  readonly maxLine: number;
  readonly t: Tokens = createTokens();
  /** The current line, decoded. */
  readonly d: DecodedRow = emptyDecoded();
  line = 0;
  lineStart = 0;
  lineEnd = 0;
  unterminated = false;
  /** Width of the table's pointers, from its first row that has a field after the pointer (0 until then). */
  ptrWidth = 0;

  constructor(buf: Uint8Array, kind: InetTableKind, options: ParseOptions | undefined) {
    const info = inetTableInfo(kind);
    const userHz = options?.userHz ?? 100;
    if (!(userHz > 0)) throw new RangeError('procnet: userHz must be a positive number');
    this.buf = buf;
    this.kind = kind;
    this.protocol = info.protocol;
    this.family = info.family;
    this.order = options?.byteOrder ?? 'little';
    this.userHz = userHz;
    this.file = options?.file ?? kind;
    this.maxLine = maxLineLengthOf(options);
  }

  /** A positioned error over `[start, end)` of the current line. */
  error(code: ProcNetErrorCode, field: string, reason: string, start: number, end: number): ProcNetParseError {
    return new ProcNetParseError({
      code,
      reason,
      file: this.file,
      line: this.line,
      column: start - this.lineStart + 1,
      offset: this.base + start,
      field,
      text: excerpt(this.buf, start, end),
    });
  }

  /** The error for a row that has no token `i`: cut short at the end of the input, or malformed. */
  missing(i: number): ProcNetParseError {
    const field = i < FIELD_NAMES.length ? (FIELD_NAMES[i] as string) : (TCP_TAIL[i - FIELD_NAMES.length] ?? 'field');
    const t = this.t;
    const end = t.count > 0 ? (t.ends[Math.min(t.count, MAX_TOKENS) - 1] as number) : this.lineStart;
    if (this.unterminated) {
      return this.error(
        'TRUNCATED_ROW',
        field,
        `the last row ends before its ${field} field: the input was cut short`,
        this.lineStart,
        end,
      );
    }
    return this.error('FIELD_COUNT', field, `the row ends before its ${field} field`, this.lineStart, end);
  }

  /**
   * On the unterminated last line, an error in the last token means the input was cut inside that field: say so.
   */
  truncated(e: ProcNetParseError): ProcNetParseError {
    const t = this.t;
    const last = t.starts[Math.min(t.count, MAX_TOKENS) - 1] as number;
    if (e.code === 'TRUNCATED_ROW' || e.offset < this.base + last) return e;
    return this.truncatedAt(e.field, this.lineEnd);
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
      const field = i < FIELD_NAMES.length ? (FIELD_NAMES[i] as string) : (TCP_TAIL[i - FIELD_NAMES.length] as string);
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
    for (let p = s; p < e; p++) {
      if (hexDigit(this.buf[p] as number) < 0) throw this.error('BAD_HEX', field, `${field} must be hexadecimal`, s, e);
    }
    return Number(BigInt.asIntN(64, BigInt(`0x${latin1(this.buf, s, e)}`)));
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

  /**
   * True if the current (tokenized) line can match `filter`, judged from `st` and the ports alone, before any
   * object is built. Lines too broken to judge are accepted, so `decodeTokens()` reports them.
   */
  accepts(filter: CompiledFilter): boolean {
    const t = this.t;
    const b = this.buf;
    if (t.count < 4) return true;
    if (filter.states !== undefined) {
      const st = hexSpan(b, t.starts[3] as number, t.ends[3] as number);
      if (st >= 0 && !filter.states.has(st)) return false;
    }
    if (filter.ports !== undefined || filter.localPorts !== undefined || filter.remotePorts !== undefined) {
      const lp = portOf(b, t.starts[1] as number, t.ends[1] as number);
      const rp = portOf(b, t.starts[2] as number, t.ends[2] as number);
      if (lp < 0 || rp < 0) return true;
      return acceptsValues(filter, st0(b, t), lp, rp);
    }
    return true;
  }

  /** True if the decoded row (by `decodeFast` or `decodeTokens()`) matches `filter`. */
  acceptsDecoded(filter: CompiledFilter): boolean {
    const d = this.d;
    return acceptsValues(filter, d.st, d.lport, d.rport);
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
    this.inode(t.starts[9] as number, t.ends[9] as number);
    d.ref = this.decField(10, true);
    if (n <= 11) throw this.missing(11);
    this.pointer(t.starts[11] as number, t.ends[11] as number, n === 12);
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

  /** Parses the current (tokenized) line into a row. Throws ProcNetParseError. */
  row(): InetSocket {
    this.decodeTokens();
    return this.build();
  }

  /** The row object of the decoded line (by `decodeFast` or `decodeTokens()`). */
  build(): InetSocket {
    return buildRow(this.d, pointerText(this.buf, this.d.ptrStart, this.d.ptrEnd), this);
  }

  /** The inode: a number up to 15 digits, else canonical decimal text (exact at any length). */
  private inode(s: number, e: number): void {
    const b = this.buf;
    const d = this.d;
    if (e - s <= 15) {
      const v = decSpan(b, s, e);
      if (!(v >= 0)) throw this.error('BAD_NUMBER', 'inode', 'inode must be a decimal number', s, e);
      d.inode = v;
      d.inodeText = undefined;
      return;
    }
    let i = s;
    for (let p = s; p < e; p++) {
      const c = b[p] as number;
      if (c < 0x30 || c > 0x39) throw this.error('BAD_NUMBER', 'inode', 'inode must be a decimal number', s, e);
    }
    while (i < e - 1 && b[i] === 0x30) i++;
    d.inode = 0;
    d.inodeText = latin1(b, i, e);
  }

  /**
   * The kernel pointer's span: `%pK`, 16 hex digits on a 64-bit kernel and 8 on a 32-bit one, or the early-boot
   * `(____ptrval____)` / `(ptrval)` of the same widths. Every row of one table has the same width: a row whose
   * pointer is not followed by another field (TCP TIME_WAIT and request rows) and is narrower than the table's was
   * cut there, not printed so (on the unterminated last line: a truncated dump).
   */
  private pointer(s: number, e: number, last: boolean): void {
    const len = e - s;
    const cut = this.unterminated && last;
    if (!pointerShape(this.buf, s, e)) {
      if (cut) throw this.truncatedAt('pointer', e);
      throw this.error('BAD_HEX', 'pointer', 'pointer must be 8 or 16 hex digits (a kernel pointer)', s, e);
    }
    if (this.ptrWidth !== 0 && len !== this.ptrWidth) {
      if (cut) throw this.truncatedAt('pointer', e);
      throw this.error(
        'BAD_HEX',
        'pointer',
        `pointer has ${len} digits where this table's rows have ${this.ptrWidth}: the row was cut or edited`,
        s,
        e,
      );
    }
    this.d.ptrStart = s;
    this.d.ptrEnd = e;
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

  /** `TRUNCATED_ROW`: the unterminated last line stops inside `field` (`''`: its last one). */
  private truncatedAt(field: string, end: number): ProcNetParseError {
    return this.error(
      'TRUNCATED_ROW',
      field,
      `the last row ends inside its ${field || 'last'} field: the input was cut short`,
      this.lineStart,
      end,
    );
  }

  private rest(from: number): readonly string[] {
    const out: string[] = [];
    for (let i = from; i < this.t.count; i++)
      out.push(latin1(this.buf, this.t.starts[i] as number, this.t.ends[i] as number));
    return out;
  }

  /**
   * Checks line 1. Returns true if it is this kind's header, false if it looks like a data row (header missing);
   * throws `UNKNOWN_HEADER`, naming what it is, for any other line.
   */
  header(): boolean {
    const b = this.buf;
    const t = this.t;
    const s = t.starts[0] as number;
    const e = t.ends[0] as number;
    // A row in place of the header: digits followed by ':'.
    let p = s;
    while (p < e && (b[p] as number) >= 0x30 && (b[p] as number) <= 0x39) p++;
    if (p > s && b[p] === COLON) return false;
    const found = identifyHeader(headerWords(b, this.lineStart, this.lineEnd));
    const want = expectedHeader(this.kind);
    if (found === want) return true;
    const what =
      found === 'other'
        ? `line 1 is not the header of a ${this.kind} table (that starts with "sl  local_address")`
        : `this is the header of ${HEADER_NAMES[found]}, not of a ${this.kind} table`;
    throw this.error('UNKNOWN_HEADER', '', what, s, this.lineEnd);
  }
}

/** 8 or 16 hex digits, or the `(ptrval)` placeholder (any number of `_` around `ptrval`) of that width. */
function pointerShape(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len !== 8 && len !== 16) return false;
  if (b[s] === 0x28) return b[e - 1] === 0x29 && latin1(b, s, e).replaceAll('_', '') === '(ptrval)';
  for (let p = s; p < e; p++) if (hexDigit(b[p] as number) < 0) return false;
  return true;
}

/** The hex port after the last ':' of an `ADDRESS:PORT` token, or -1. */
function portOf(b: Uint8Array, s: number, e: number): number {
  let c = e - 1;
  while (c > s && b[c] !== COLON) c--;
  return c > s ? hexSpan(b, c + 1, e) : -1;
}

/** `st` of a tokenized line, or -1. */
function st0(b: Uint8Array, t: Tokens): number {
  return hexSpan(b, t.starts[3] as number, t.ends[3] as number);
}

/** The filter test on raw values (`st` -1: unknown, accepted by the state test). */
function acceptsValues(filter: CompiledFilter, st: number, lp: number, rp: number): boolean {
  if (filter.states !== undefined && st >= 0 && !filter.states.has(st)) return false;
  if (filter.localPorts !== undefined && !filter.localPorts.has(lp)) return false;
  if (filter.remotePorts !== undefined && !filter.remotePorts.has(rp)) return false;
  if (filter.ports !== undefined && !filter.ports.has(lp) && !filter.ports.has(rp)) return false;
  return true;
}
