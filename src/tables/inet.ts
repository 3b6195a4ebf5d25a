/**
 * Row assembly for the inet tables: tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6, icmp, icmp6.
 * One pass over the bytes; one object literal per row kind, so every row of a kind has the same shape.
 * @module
 */
import { ipv4FromWord, ipv6FromWords } from '../decode/address.js';
import { decodeTcpState } from '../decode/tcp-state.js';
import { decodeTimerKind } from '../decode/timer.js';
import { isProcNetParseError, ProcNetParseError } from '../errors.js';
import { latin1 } from '../scan/bytes.js';
import { Cursor, hexDigit } from '../scan/cursor.js';
import type {
  AddressFamily,
  ByteOrder,
  DatagramState,
  Endpoint,
  InetProtocol,
  InetSocket,
  InetTableKind,
  SocketByKind,
  SocketTimer,
  TcpRequestSocket,
  TcpTimeWaitSocket,
} from '../types.js';
import { type ParseOptions, reportInvalid } from './options.js';

const COLON = 0x3a;
const SP = 0x20;
const TAB = 0x09;
const NL = 0x0a;

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

const EMPTY: readonly string[] = Object.freeze([]);

/** The per-call state of an inet table parse. */
class InetRowReader extends Cursor {
  readonly order: ByteOrder;
  readonly family: AddressFamily;
  readonly userHz: number;
  constructor(buf: Uint8Array, file: string, order: ByteOrder, family: AddressFamily, userHz: number) {
    super(buf, file);
    this.order = order;
    this.family = family;
    this.userHz = userHz;
  }

  /** `sl:` — decimal then a colon. */
  slot(): number {
    this.skipBlanks();
    const b = this.buf;
    const start = this.pos;
    let p = start;
    let v = 0;
    while (p < this.end) {
      const c = b[p] as number;
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      p++;
    }
    if (p === start) throw this.error('BAD_NUMBER', 'sl', 'sl must be a decimal row or bucket number', start);
    this.pos = p;
    this.expect(COLON, 'sl', "after the sl number (rows start like '   0: ')");
    return v;
  }

  /** One 8-hex-digit word at pos (no bounds beyond the caller's check). */
  private word(field: string, at: number): number {
    const b = this.buf;
    let v = 0;
    for (let i = at; i < at + 8; i++) {
      const d = hexDigit(b[i] as number);
      if (d < 0) throw this.error('BAD_ADDRESS', field, `${field} must be hexadecimal`, at, at + 8);
      v = v * 16 + d;
    }
    return v;
  }

  /** `ADDR:PORT` with ADDR 8 or 32 hex digits. */
  endpoint(field: string, isRemote: boolean): Endpoint {
    this.skipBlanks();
    const b = this.buf;
    const start = this.pos;
    if (start >= this.end) throw this.missing(field);
    let p = start;
    while (p < this.end && b[p] !== COLON && b[p] !== SP && b[p] !== TAB) p++;
    const len = p - start;
    if (p >= this.end || b[p] !== COLON) {
      throw this.error('BAD_ADDRESS', field, `${field} must be ADDRESS:PORT in hex`, start);
    }
    let address: string;
    if (len === 8 && this.family === 'IPv4') {
      address = ipv4FromWord(this.word(field, start), this.order);
    } else if (len === 32 && this.family === 'IPv6') {
      address = ipv6FromWords(
        this.word(field, start),
        this.word(field, start + 8),
        this.word(field, start + 16),
        this.word(field, start + 24),
        this.order,
      );
    } else {
      const want = this.family === 'IPv4' ? '8 hex digits (IPv4)' : '32 hex digits (IPv6)';
      const hint = len === 8 || len === 32 ? `; is this the ${len === 8 ? 'IPv4' : 'IPv6'} table?` : '';
      throw this.error('BAD_ADDRESS', field, `${field} must have ${want}, not ${len}${hint}`, start);
    }
    this.pos = p + 1;
    const portStart = this.pos;
    const port = this.hex(field, 0);
    if (port > 0xffff || this.pos - portStart > 4) {
      throw this.error('BAD_ADDRESS', field, `the port of ${field} must be at most 4 hex digits`, portStart);
    }
    void isRemote;
    return { address, port, family: this.family };
  }

  /** `tr:tm->when`; `tm->when` may be 16 hex digits (an overdue timer on old 64-bit kernels printed wrapped). */
  timer(): SocketTimer {
    const code = this.hex('tr', COLON);
    this.expect(COLON, 'tm->when', "between tr and tm->when (as in '00:00000000')");
    const b = this.buf;
    const start = this.pos;
    let p = start;
    while (p < this.end && b[p] !== SP && b[p] !== TAB) p++;
    let ticks: number;
    if (p - start <= 13) {
      ticks = this.hex('tm->when', 0);
    } else {
      for (let i = start; i < p; i++) {
        if (hexDigit(b[i] as number) < 0)
          throw this.error('BAD_HEX', 'tm->when', 'tm->when must be hexadecimal', start);
      }
      if (p - start > 16) throw this.error('BAD_HEX', 'tm->when', 'tm->when has more than 16 hex digits', start);
      // A 64-bit unsigned long: values with the top bit set are negative deltas (overdue timers).
      ticks = Number(BigInt.asIntN(64, BigInt(`0x${latin1(b, start, p)}`)));
      this.pos = p;
    }
    return { kind: decodeTimerKind(code), code, ticks, ms: (ticks * 1000) / this.userHz };
  }

  /** Remaining whitespace-separated tokens as strings. */
  rest(): readonly string[] {
    if (this.atEnd()) return EMPTY;
    const out: string[] = [];
    while (!this.atEnd()) {
      const e = this.tokenEnd();
      out.push(latin1(this.buf, this.pos, e));
      this.pos = e;
    }
    return out;
  }

  /** A hex-digit token kept as text (the kernel pointer). */
  pointer(): string {
    this.skipBlanks();
    const start = this.pos;
    if (start >= this.end) throw this.missing('pointer');
    const e = this.tokenEnd();
    this.pos = e;
    const len = e - start;
    // A real pointer is 8 or 16 hex digits (or "(ptrval)"); a shorter last token on an unterminated line was cut.
    if (this.lastUnterminated && e >= this.end && len !== 8 && len !== 16 && this.buf[start] !== 0x28) {
      throw this.error(
        'TRUNCATED_ROW',
        'pointer',
        'the last row ends inside its pointer field: the input was cut short',
        this.lineStart,
        this.end,
      );
    }
    return latin1(this.buf, start, e);
  }
}

function datagramState(code: number): DatagramState {
  return code === 1 ? 'connected' : code === 7 ? 'unconnected' : 'unknown';
}

/** Parses one row at the cursor. */
function readRow(r: InetRowReader, kind: InetTableKind, protocol: InetProtocol): InetSocket {
  const slot = r.slot();
  const local = r.endpoint('local_address', false);
  const remote = r.endpoint(r.family === 'IPv4' ? 'rem_address' : 'remote_address', true);
  const stateCode = r.hex('st', 0);
  const txQueue = r.hex('tx_queue', COLON);
  r.expect(COLON, 'rx_queue', "between tx_queue and rx_queue (as in '00000000:00000000')");
  const rxQueue = r.hex('rx_queue', 0);
  const timer = r.timer();
  const retransmits = r.hex('retrnsmt', 0);
  const uid = r.dec('uid', true);
  const probes = r.dec('timeout', true);
  const inode = r.decString('inode');
  const refcount = r.dec('ref', true);
  const pointer = r.pointer();
  const family = r.family;
  if (protocol === 'tcp') {
    const k = kind as 'tcp' | 'tcp6';
    const state = decodeTcpState(stateCode);
    if (r.atEnd()) {
      // 12 fields: a TIME_WAIT mini-socket (tr 3) or a request socket (tr 1).
      const isTimeWait = timer.code === 3 || (timer.code !== 1 && (stateCode === 6 || stateCode === 5));
      const isRequest = !isTimeWait && (timer.code === 1 || stateCode === 3);
      if (!isTimeWait && !isRequest) {
        if (r.lastUnterminated) throw r.missing('rto');
        throw r.error(
          'FIELD_COUNT',
          '',
          'a 12-field TCP row must be TIME_WAIT (tr 03) or a request socket (tr 01); full sockets have 17 fields',
          r.lineStart,
          r.end,
        );
      }
      return {
        kind: k,
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
    const rto = r.dec('rto', false);
    const ato = r.dec('ato', false);
    const qp = r.dec('quick/pingpong', false);
    const cwnd = r.dec('snd_cwnd', false);
    const last = r.dec('ssthresh', true);
    const listening = stateCode === 10;
    const hz = r.userHz;
    return {
      kind: k,
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
      extra: r.rest(),
      rtoMs: (rto * 1000) / hz,
      atoMs: (ato * 1000) / hz,
      quickAck: qp >>> 1,
      pingpong: (qp & 1) === 1,
      cwnd,
      ssthresh: listening || last < 0 ? null : last,
      fastOpenQueueLimit: listening ? last : null,
    };
  }
  const drops = r.atEnd() ? null : r.dec('drops', true);
  const state = datagramState(stateCode);
  const extra = r.rest();
  if (protocol === 'raw') {
    return {
      kind: kind as 'raw' | 'raw6',
      protocol,
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
    kind: kind as 'udp',
    protocol: protocol as 'udp',
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

/** Checks line 1. Returns true if it is a header, false if it looks like a data row (header missing). */
function checkHeader(r: InetRowReader, kind: InetTableKind): boolean {
  r.skipBlanks();
  const b = r.buf;
  const start = r.pos;
  const e = r.tokenEnd();
  if (e - start === 2 && b[start] === 0x73 && b[start + 1] === 0x6c) {
    // "sl": check the family by the remote column's name (IPv4 "rem_address", IPv6 "remote_address").
    const text = latin1(b, r.lineStart, r.end);
    const v6 = text.includes('remote_address');
    const v4 = text.includes('rem_address');
    if ((v6 && r.family === 'IPv4') || (!v6 && v4 && r.family === 'IPv6')) {
      const other = v6 ? 'an IPv6 table (tcp6, udp6, raw6, ...)' : 'an IPv4 table (tcp, udp, raw, ...)';
      throw r.error('UNKNOWN_HEADER', '', `this is the header of ${other}, not of ${kind}`, r.lineStart, r.end);
    }
    return true;
  }
  // A row in place of the header: digits followed by ':'.
  let p = start;
  while (p < e && (b[p] as number) >= 0x30 && (b[p] as number) <= 0x39) p++;
  if (p > start && b[p] === COLON) return false;
  throw r.error('UNKNOWN_HEADER', '', `line 1 is not the header of /proc/net/${kind} (it starts with "sl")`, start);
}

/**
 * Parses the whole text of one inet table. `bytes` holds the file, header included.
 * @internal use `parseTable`
 */
export function parseInetTable<K extends InetTableKind>(
  kind: K,
  bytes: Uint8Array,
  options?: ParseOptions,
): SocketByKind[K][] {
  const info = INET_TABLES[kind];
  if (info === undefined) throw new TypeError(`procnet: unknown table kind ${JSON.stringify(kind)}`);
  const handler = options?.onInvalidRow ?? 'throw';
  const userHz = options?.userHz ?? 100;
  if (!(userHz > 0)) throw new RangeError('procnet: userHz must be a positive number');
  const r = new InetRowReader(bytes, options?.file ?? kind, options?.byteOrder ?? 'little', info.family, userHz);
  const out: InetSocket[] = [];
  const n = bytes.length;
  let pos = 0;
  let line = 0;
  let headerSeen = false;
  while (pos < n) {
    let nl = bytes.indexOf(NL, pos);
    const unterminated = nl < 0;
    if (unterminated) nl = n;
    line++;
    r.setLine(pos, nl, line, unterminated);
    pos = nl + 1;
    if (!headerSeen) {
      headerSeen = true;
      if (r.atEnd()) {
        reportInvalid(
          handler,
          r.error('MISSING_HEADER', '', `line 1 is empty; /proc/net/${kind} starts with a header`, r.lineStart, r.end),
        );
        continue;
      }
      if (checkHeader(r, kind)) continue;
      reportInvalid(
        handler,
        r.error(
          'MISSING_HEADER',
          '',
          `the header line of /proc/net/${kind} is missing; line 1 is a row`,
          r.lineStart,
          r.end,
        ),
      );
      r.pos = r.lineStart;
    }
    if (r.atEnd()) continue;
    try {
      out.push(readRow(r, kind, info.protocol));
    } catch (e) {
      if (!isProcNetParseError(e)) throw e;
      reportInvalid(handler, e as ProcNetParseError);
    }
  }
  if (!headerSeen) {
    reportInvalid(
      handler,
      new ProcNetParseError({
        code: 'MISSING_HEADER',
        reason: `the input is empty; /proc/net/${kind} always has a header line`,
        file: options?.file ?? kind,
        line: 1,
        column: 1,
        offset: 0,
        field: '',
        text: '',
      }),
    );
  }
  return out as SocketByKind[K][];
}
