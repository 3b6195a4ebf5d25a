/**
 * Row assembly for the inet tables: tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6, icmp, icmp6.
 * Each line is split into field spans once (scan/tokens); each field is decoded in place; each row is one
 * object literal per record kind, so every row of a kind has the same shape.
 * @module
 */
import { ipv4FromWord, ipv6FromWords } from '../decode/address.js';
import { decodeTcpState } from '../decode/tcp-state.js';
import { decodeTimerKind } from '../decode/timer.js';
import { type ProcNetErrorCode, ProcNetParseError } from '../errors.js';
import { excerpt, latin1 } from '../scan/bytes.js';
import { createTokens, decSpan, hexDigit, hexSpan, MAX_TOKENS, type Tokens } from '../scan/tokens.js';
import type {
  AddressFamily,
  ByteOrder,
  DatagramState,
  Endpoint,
  InetProtocol,
  InetSocket,
  InetTableKind,
  SocketTimer,
  TcpRequestSocket,
  TcpTimeWaitSocket,
} from '../types.js';
import type { CompiledFilter } from './filter.js';
import type { ParseOptions } from './options.js';

const COLON = 0x3a;
const _NL = 0x0a;

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

const EMPTY: readonly string[] = Object.freeze([]);
/** The timer of most rows (none pending): one shared, frozen object instead of one per row. */
const TIMER_OFF: SocketTimer = Object.freeze({ kind: 'off', code: 0, ticks: 0, ms: 0 });
const ZERO_POINTER_16 = '0000000000000000';
const ZERO_POINTER_8 = '00000000';

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
  readonly t: Tokens = createTokens();
  line = 0;
  lineStart = 0;
  lineEnd = 0;
  unterminated = false;

  constructor(buf: Uint8Array, kind: InetTableKind, options: ParseOptions | undefined) {
    const info = INET_TABLES[kind];
    if (info === undefined) throw new TypeError(`procnet: unknown table kind ${JSON.stringify(kind)}`);
    const userHz = options?.userHz ?? 100;
    if (!(userHz > 0)) throw new RangeError('procnet: userHz must be a positive number');
    this.buf = buf;
    this.kind = kind;
    this.protocol = info.protocol;
    this.family = info.family;
    this.order = options?.byteOrder ?? 'little';
    this.userHz = userHz;
    this.file = options?.file ?? kind;
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
    return this.error(
      'TRUNCATED_ROW',
      e.field,
      `the last row ends inside its ${e.field || 'last'} field: the input was cut short`,
      this.lineStart,
      this.lineEnd,
    );
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

  /** Token `i` as `ADDRESS:PORT`. Returns the endpoint; for raw tables the caller reads the port as the protocol. */
  private endpoint(i: number): Endpoint {
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
    let address: string;
    if (width === 8) {
      const w = hexSpan(b, s, s + 8);
      if (w < 0) throw this.error('BAD_ADDRESS', field, `${field} must be hexadecimal`, s, c);
      address = ipv4FromWord(w, this.order);
    } else {
      const w0 = hexSpan(b, s, s + 8);
      const w1 = hexSpan(b, s + 8, s + 16);
      const w2 = hexSpan(b, s + 16, s + 24);
      const w3 = hexSpan(b, s + 24, s + 32);
      if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) {
        throw this.error('BAD_ADDRESS', field, `${field} must be hexadecimal`, s, c);
      }
      address = ipv6FromWords(w0, w1, w2, w3, this.order);
    }
    const port = hexSpan(b, c + 1, e);
    if (port < 0 || e - c - 1 > 4) {
      throw this.error('BAD_ADDRESS', field, `the port of ${field} must be 1 to 4 hex digits`, c + 1, e);
    }
    return { address, port, family: this.family };
  }

  /**
   * True if the current (tokenized) line can match `filter`, judged from `st` and the ports alone, before any
   * object is built. Lines too broken to judge are accepted, so `row()` reports them.
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
      if (filter.localPorts !== undefined && !filter.localPorts.has(lp)) return false;
      if (filter.remotePorts !== undefined && !filter.remotePorts.has(rp)) return false;
      if (filter.ports !== undefined && !filter.ports.has(lp) && !filter.ports.has(rp)) return false;
    }
    return true;
  }

  /** Parses the current line (already tokenized) into a row. Throws ProcNetParseError. */
  row(): InetSocket {
    const t = this.t;
    const b = this.buf;
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
    const local = this.endpoint(1);
    const remote = this.endpoint(2);
    if (n <= 3) throw this.missing(3);
    const stateCode = this.hexField('st', t.starts[3] as number, t.ends[3] as number);
    const rxQueue = this.hexPair(4, 'tx_queue', 'rx_queue', false);
    const txQueue = this.pairFirst;
    const ticks = this.hexPair(5, 'tr', 'tm->when', true);
    const timerCode = this.pairFirst;
    if (n <= 6) throw this.missing(6);
    const retransmits = this.hexField('retrnsmt', t.starts[6] as number, t.ends[6] as number);
    const uid = this.decField(7, true);
    const probes = this.decField(8, true);
    if (n <= 9) throw this.missing(9);
    const inode = this.inode(t.starts[9] as number, t.ends[9] as number);
    const refcount = this.decField(10, true);
    if (n <= 11) throw this.missing(11);
    const pointer = this.pointer(t.starts[11] as number, t.ends[11] as number, n === 12);
    const timer =
      timerCode === 0 && ticks === 0
        ? TIMER_OFF
        : { kind: decodeTimerKind(timerCode), code: timerCode, ticks, ms: (ticks * 1000) / this.userHz };
    const family = this.family;
    if (this.protocol === 'tcp') {
      const kind = this.kind as 'tcp' | 'tcp6';
      const state = decodeTcpState(stateCode);
      if (n === 12) {
        // A TIME_WAIT mini-socket (tr 3) or a request socket (tr 1).
        const isTimeWait = timerCode === 3 || (timerCode !== 1 && (stateCode === 6 || stateCode === 5));
        if (!isTimeWait && timerCode !== 1 && stateCode !== 3) {
          if (this.unterminated) throw this.missing(12);
          throw this.error(
            'FIELD_COUNT',
            '',
            'a 12-field TCP row must be TIME_WAIT (tr 03) or a request socket (tr 01); full sockets have 17 fields',
            this.lineStart,
            t.ends[11] as number,
          );
        }
        return {
          kind,
          protocol: 'tcp',
          family,
          record: isTimeWait ? 'timewait' : 'request',
          slot,
          local,
          remote,
          state,
          stateCode,
          txQueue,
          rxQueue,
          timer,
          retransmits,
          uid,
          probes,
          inode,
          refcount,
          pointer,
          extra: EMPTY,
        } as TcpTimeWaitSocket | TcpRequestSocket;
      }
      const rto = this.decField(12, false);
      const ato = this.decField(13, false);
      const qp = this.decField(14, false);
      const cwnd = this.decField(15, false);
      const last = this.decField(16, true);
      const listening = stateCode === 10;
      const hz = this.userHz;
      return {
        kind,
        protocol: 'tcp',
        family,
        record: 'socket',
        slot,
        local,
        remote,
        state,
        stateCode,
        txQueue,
        rxQueue,
        timer,
        retransmits,
        uid,
        probes,
        inode,
        refcount,
        pointer,
        extra: n > 17 ? this.rest(17) : EMPTY,
        rtoMs: (rto * 1000) / hz,
        atoMs: (ato * 1000) / hz,
        quickAck: qp >>> 1,
        pingpong: (qp & 1) === 1,
        cwnd,
        ssthresh: listening || last < 0 ? null : last,
        fastOpenQueueLimit: listening ? last : null,
      };
    }
    const drops = n > 12 ? this.decField(12, true) : null;
    const state: DatagramState = stateCode === 1 ? 'connected' : stateCode === 7 ? 'unconnected' : 'unknown';
    const extra = n > 13 ? this.rest(13) : EMPTY;
    if (this.protocol === 'raw') {
      return {
        kind: this.kind as 'raw' | 'raw6',
        protocol: 'raw',
        family,
        slot,
        local: { address: local.address, port: 0, family },
        remote,
        state,
        stateCode,
        txQueue,
        rxQueue,
        timer,
        retransmits,
        uid,
        probes,
        inode,
        refcount,
        pointer,
        extra,
        drops,
        ipProtocol: local.port,
      };
    }
    return {
      kind: this.kind as 'udp',
      protocol: this.protocol as 'udp',
      family,
      slot,
      local,
      remote,
      state,
      stateCode,
      txQueue,
      rxQueue,
      timer,
      retransmits,
      uid,
      probes,
      inode,
      refcount,
      pointer,
      extra,
      drops,
    };
  }

  /** The inode as canonical decimal text, exact at any length. */
  private inode(s: number, e: number): string {
    const b = this.buf;
    if (e - s <= 15) {
      const v = decSpan(b, s, e);
      if (!(v >= 0)) throw this.error('BAD_NUMBER', 'inode', 'inode must be a decimal number', s, e);
      return v < 10 ? (DIGITS[v] as string) : String(v);
    }
    let i = s;
    for (let p = s; p < e; p++) {
      const c = b[p] as number;
      if (c < 0x30 || c > 0x39) throw this.error('BAD_NUMBER', 'inode', 'inode must be a decimal number', s, e);
    }
    while (i < e - 1 && b[i] === 0x30) i++;
    return latin1(b, i, e);
  }

  /** The kernel pointer, as text. All-zero pointers (kptr_restrict) share one string. */
  private pointer(s: number, e: number, last: boolean): string {
    const b = this.buf;
    const len = e - s;
    // A real pointer is 8 or 16 hex digits (or "(ptrval)"); a shorter last token on an unterminated line was cut.
    if (this.unterminated && last && len !== 8 && len !== 16 && b[s] !== 0x28) {
      throw this.error(
        'TRUNCATED_ROW',
        'pointer',
        'the last row ends inside its pointer field: the input was cut short',
        this.lineStart,
        e,
      );
    }
    if (len === 16 && b[s] === 0x30 && b[s + 15] === 0x30 && isZeros(b, s, e)) return ZERO_POINTER_16;
    if (len === 8 && b[s] === 0x30 && isZeros(b, s, e)) return ZERO_POINTER_8;
    return latin1(b, s, e);
  }

  private rest(from: number): readonly string[] {
    const out: string[] = [];
    for (let i = from; i < this.t.count; i++)
      out.push(latin1(this.buf, this.t.starts[i] as number, this.t.ends[i] as number));
    return out;
  }

  /** Checks line 1. Returns true if it is a header, false if it looks like a data row (header missing). */
  header(): boolean {
    const b = this.buf;
    const t = this.t;
    const s = t.starts[0] as number;
    const e = t.ends[0] as number;
    if (e - s === 2 && b[s] === 0x73 && b[s + 1] === 0x6c) {
      // "sl": check the family by the remote column's name (IPv4 "rem_address", IPv6 "remote_address").
      const text = latin1(b, this.lineStart, this.lineEnd);
      const v6 = text.includes('remote_address');
      const v4 = text.includes('rem_address');
      if ((v6 && this.family === 'IPv4') || (!v6 && v4 && this.family === 'IPv6')) {
        const other = v6 ? 'an IPv6 table (tcp6, udp6, raw6, ...)' : 'an IPv4 table (tcp, udp, raw, ...)';
        throw this.error(
          'UNKNOWN_HEADER',
          '',
          `this is the header of ${other}, not of ${this.kind}`,
          this.lineStart,
          this.lineEnd,
        );
      }
      return true;
    }
    // A row in place of the header: digits followed by ':'.
    let p = s;
    while (p < e && (b[p] as number) >= 0x30 && (b[p] as number) <= 0x39) p++;
    if (p > s && b[p] === COLON) return false;
    throw this.error(
      'UNKNOWN_HEADER',
      '',
      `line 1 is not the header of /proc/net/${this.kind} (it starts with "sl")`,
      s,
      e,
    );
  }
}

/** The hex port after the last ':' of an `ADDRESS:PORT` token, or -1. */
function portOf(b: Uint8Array, s: number, e: number): number {
  let c = e - 1;
  while (c > s && b[c] !== COLON) c--;
  return c > s ? hexSpan(b, c + 1, e) : -1;
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function isZeros(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0x30) return false;
  return true;
}
