/**
 * The inet tables (tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6, icmp, icmp6): the line loop over a table
 * (header once, then each line to the decoder, inet-decode.ts), the sinks that check, filter and report each
 * decoded line, and the row objects. Shared by `parseTable`, the streams, the summaries and the column builder.
 * @module
 */
import { ipv4FromWord, ipv6FromWords } from '../decode/address.js';
import { pointerText } from '../decode/pointer.js';
import { decodeDatagramState, decodeTcpState, tcpMiniRecord } from '../decode/tcp-state.js';
import { timerOf } from '../decode/timer.js';
import { ProcNetParseError } from '../errors.js';
import { tokenize } from '../scan/tokens.js';
import type {
  AddressFamily,
  ByteOrder,
  DatagramState,
  Endpoint,
  InetProtocol,
  InetSocket,
  InetTableKind,
  SocketByKind,
  TcpRequestSocket,
  TcpTimeWaitSocket,
} from '../types.js';
import { compileFilter, filterAccepts, tokensAccept } from './filter.js';
import { checkInetHeader } from './header.js';
import { type DecodedRow, decodeFast, InetLineDecoder } from './inet-decode.js';
import { type InvalidRowHandler, type ParseOptions, reportInvalid } from './options.js';

const NL = 0x0a;

/** What `buildRow` needs to know of the table. */
export interface TableInfo {
  readonly kind: InetTableKind;
  readonly protocol: InetProtocol;
  readonly family: AddressFamily;
  readonly order: ByteOrder;
  readonly userHz: number;
}

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

/** True for the ten inet table kinds (own keys of {@link INET_TABLES}, never inherited ones). */
export function isInetTableKind(kind: unknown): kind is InetTableKind {
  return typeof kind === 'string' && Object.hasOwn(INET_TABLES, kind);
}

/** The protocol and family of an inet table kind; a `TypeError` for anything else (`'constructor'` too). */
export function inetTableInfo(kind: string): { protocol: InetProtocol; family: AddressFamily } {
  if (!isInetTableKind(kind)) throw new TypeError(`procnet: unknown table kind ${JSON.stringify(kind)}`);
  return INET_TABLES[kind];
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The row object of a decoded line, with its pointer text: one object literal per record kind (one shape each). */
export function buildRow(d: DecodedRow, pointer: string, table: TableInfo): InetSocket {
  const family = table.family;
  const order = table.order;
  let localAddress: string;
  let remoteAddress: string;
  if (family === 'IPv4') {
    localAddress = ipv4FromWord(d.la0, order);
    remoteAddress = ipv4FromWord(d.ra0, order);
  } else {
    localAddress = ipv6FromWords(d.la0, d.la1, d.la2, d.la3, order);
    remoteAddress = ipv6FromWords(d.ra0, d.ra1, d.ra2, d.ra3, order);
  }
  const remote: Endpoint = { address: remoteAddress, port: d.rport, family };
  const timer = timerOf(d.tr, d.when, table.userHz);
  const inode = d.inodeText ?? (d.inode < 10 ? (DIGITS[d.inode] as string) : String(d.inode));
  const slot = d.slot;
  const stateCode = d.st;
  const txQueue = d.tx;
  const rxQueue = d.rx;
  const retransmits = d.retr;
  const uid = d.uid;
  const probes = d.probes;
  const refcount = d.ref;
  if (table.protocol === 'tcp') {
    const kind = table.kind as 'tcp' | 'tcp6';
    const state = decodeTcpState(stateCode);
    const local: Endpoint = { address: localAddress, port: d.lport, family };
    if (d.fields === 12) {
      return {
        kind,
        protocol: 'tcp',
        family,
        record: tcpMiniRecord(d.tr, stateCode) ?? 'request',
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
        extra: d.extra,
      } as TcpTimeWaitSocket | TcpRequestSocket;
    }
    const listening = stateCode === 10;
    const hz = table.userHz;
    const qp = d.qp;
    const last = d.last;
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
      extra: d.extra,
      rtoMs: (d.rto * 1000) / hz,
      atoMs: (d.ato * 1000) / hz,
      quickAck: qp >>> 1,
      pingpong: (qp & 1) === 1,
      cwnd: d.cwnd,
      ssthresh: listening || last < 0 ? null : last,
      fastOpenQueueLimit: listening ? last : null,
    };
  }
  const drops = d.fields > 12 ? d.drops : null;
  const state: DatagramState = decodeDatagramState(stateCode);
  const extra = d.extra;
  if (table.protocol === 'raw') {
    return {
      kind: table.kind as 'raw' | 'raw6',
      protocol: 'raw',
      family,
      slot,
      local: { address: localAddress, port: 0, family },
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
      ipProtocol: d.lport,
    };
  }
  return {
    kind: table.kind as 'udp',
    protocol: table.protocol as 'udp',
    family,
    slot,
    local: { address: localAddress, port: d.lport, family },
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

/** The row object of the decoder's current (decoded) line. */
export function rowOf(r: InetLineDecoder): InetSocket {
  const d = r.d;
  return buildRow(d, pointerText(r.buf, d.ptrStart, d.ptrEnd), r);
}

/**
 * Called for every data line with the decoder positioned on it: `decoded` true when the fast path has already
 * decoded it into `r.d`; false when it is tokenized (in `r.t`) and not decoded: call `r.decodeTokens()`.
 */
export type InetLineSink = (r: InetLineDecoder, decoded: boolean) => void;

/**
 * The line loop shared by the whole-input parser, the streaming parser and the summaries: splits `bytes` into
 * lines, checks the header once, tokenizes each line and hands data lines to `sink`. Call `feed` with batches
 * of complete lines (the last batch may end without a newline), then `end`.
 */
export class InetLineLoop {
  readonly r: InetLineDecoder;
  private readonly handler: InvalidRowHandler;
  private readonly sink: InetLineSink;
  /** Longest line accepted, in bytes (`maxLineLength`). */
  readonly maxLine: number;
  private line = 0;
  private headerSeen = false;

  constructor(kind: InetTableKind, options: ParseOptions | undefined, sink: InetLineSink) {
    this.r = new InetLineDecoder(kind, inetTableInfo(kind), options);
    this.handler = options?.onInvalidRow ?? 'throw';
    this.sink = sink;
    this.maxLine = this.r.maxLine;
  }

  /** Processes the lines of `bytes[0, end)`; `base` is the offset of `bytes[0]` in the whole input. */
  feed(bytes: Uint8Array, end: number, base: number): void {
    const r = this.r;
    const t = r.t;
    const kind = r.kind;
    const handler = this.handler;
    r.buf = bytes;
    r.base = base;
    const ipv6 = r.family === 'IPv6';
    const tcp = r.protocol === 'tcp';
    const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    while (pos < end) {
      r.line = ++this.line;
      r.lineStart = pos;
      if (this.headerSeen) {
        // The fast path finds the line's end itself.
        const fastEnd = decodeFast(bytes, words, pos, end, ipv6, tcp, r.d);
        if (fastEnd >= 0 && fastEnd - pos <= this.maxLine && r.pointerWidthOk()) {
          r.lineEnd = fastEnd;
          r.unterminated = false;
          pos = fastEnd + 1;
          this.sink(r, true);
          continue;
        }
      }
      let nl = bytes.indexOf(NL, pos);
      const unterminated = nl < 0 || nl >= end;
      if (unterminated) nl = end;
      r.lineEnd = nl;
      r.unterminated = unterminated;
      pos = nl + 1;
      if (nl - r.lineStart > this.maxLine) {
        this.tooLong();
        continue;
      }
      if (tokenize(bytes, r.lineStart, nl, t) === 0) {
        if (!this.headerSeen) {
          this.headerSeen = true;
          reportInvalid(
            handler,
            r.error('MISSING_HEADER', '', `line 1 is empty; /proc/net/${kind} starts with a header`, r.lineStart, nl),
          );
        }
        continue;
      }
      if (!this.headerSeen) {
        this.headerSeen = true;
        if (checkInetHeader(r, kind, t.starts[0] as number, t.ends[0] as number)) continue;
        reportInvalid(
          handler,
          r.error(
            'MISSING_HEADER',
            '',
            `the header line of /proc/net/${kind} is missing; line 1 is a row`,
            r.lineStart,
            nl,
          ),
        );
      }
      this.sink(r, false);
    }
  }

  /**
   * A line longer than {@link maxLine} that a stream did not hold whole: its first bytes (`head`, at offset `base`
   * of the whole input) stand for it. The line counts, and its error goes to the handler as for any bad row.
   */
  feedTooLong(head: Uint8Array, base: number): void {
    const r = this.r;
    r.buf = head;
    r.base = base;
    r.line = ++this.line;
    r.lineStart = 0;
    r.lineEnd = head.length;
    r.unterminated = false;
    this.tooLong();
  }

  /** The current line is over {@link maxLine}: a bad row, or, as line 1, a table that cannot be read at all. */
  private tooLong(): void {
    const r = this.r;
    const e = r.error(
      'LINE_TOO_LONG',
      '',
      `the line is longer than ${this.maxLine} bytes (maxLineLength): no kernel prints a line near that long`,
      r.lineStart,
      r.lineEnd,
    );
    // Without a header no row can be trusted (as with UNKNOWN_HEADER).
    if (!this.headerSeen) {
      this.headerSeen = true;
      throw e;
    }
    reportInvalid(this.handler, e);
  }

  /** Call once after the last `feed`: an input with no line at all has no header. */
  end(): void {
    if (this.headerSeen) return;
    reportInvalid(
      this.handler,
      new ProcNetParseError({
        code: 'MISSING_HEADER',
        reason: `the input is empty; /proc/net/${this.r.kind} always has a header line`,
        file: this.r.file,
        line: 1,
        column: 1,
        offset: 0,
        field: '',
        text: '',
      }),
    );
  }
}

/**
 * A sink that decodes (and checks) each line, applies the filter, and calls `accept` with the decoder holding the
 * decoded row in `r.d`; bad rows go to the handler (after `invalid`, when given). `fast` is true when the fast path
 * decoded the line (`decodeFast`: kernel layout, so every hex value is in its printed width and no value is -0).
 */
export function decodedSink(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  accept: (r: InetLineDecoder, fast: boolean) => void,
  invalid?: () => void,
): InetLineSink {
  const handler = options?.onInvalidRow ?? 'throw';
  const filter = compileFilter(kind, options?.filter);
  return (r, decoded) => {
    try {
      if (!decoded) {
        if (filter !== undefined && !tokensAccept(filter, r.buf, r.t)) return;
        r.decodeTokens();
      }
      const d = r.d;
      if (filter !== undefined && !filterAccepts(filter, d.st, d.lport, d.rport)) return;
      accept(r, decoded);
    } catch (e) {
      if (!(e instanceof ProcNetParseError)) throw e;
      invalid?.();
      reportInvalid(handler, r.unterminated ? r.truncated(e) : e);
    }
  };
}

/** A sink that parses each accepted line and hands the row to `emit`, and bad rows to the handler. */
export function rowSink(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  emit: (row: InetSocket) => void,
): InetLineSink {
  return decodedSink(kind, options, (r) => emit(rowOf(r)));
}

/** Runs the line loop over one whole input with `sink`. */
export function runInetLines(
  kind: InetTableKind,
  bytes: Uint8Array,
  options: ParseOptions | undefined,
  sink: InetLineSink,
): void {
  const loop = new InetLineLoop(kind, options, sink);
  loop.feed(bytes, bytes.length, 0);
  loop.end();
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
  const out: InetSocket[] = [];
  runInetLines(
    kind,
    bytes,
    options,
    rowSink(kind, options, (row) => out.push(row)),
  );
  return out as SocketByKind[K][];
}
