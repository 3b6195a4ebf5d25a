/**
 * Public types of `parseColumns`: a table as typed columns, one array element (or, for IPv6 addresses, four) per
 * row. Each column's TSDoc names the kernel column it holds; see docs/api.md ("Columns") and docs/columns.md.
 * @module
 */
import type {
  AddressFamily,
  ByteOrder,
  InetProtocol,
  InetTableKind,
  SocketByKind,
  TableKind,
  UnixSocket,
} from './types.js';

/**
 * A column of unsigned 32-bit kernel values (`%08X`, `%u`, `%lu`). It is a `Float64Array` instead when some row of
 * this table holds a value outside 0..2^32-1 (negative, `-0`, larger, or over 2^53 for the inode): no kernel prints
 * one, but the parser accepts them, and the column then holds exactly the number `parseTable` gives.
 */
export type U32Column = Uint32Array | Float64Array;

/** A column of signed 32-bit kernel values (`%d`); a `Float64Array` under the same rule as {@link U32Column}. */
export type I32Column = Int32Array | Float64Array;

/** A column of 8-bit codes (`%02X`); a `Float64Array` under the same rule as {@link U32Column}. */
export type U8Column = Uint8Array | Float64Array;

/**
 * The two identities the kernel prints for a socket, in every table: its inode (`%lu`) and its kernel address
 * (`%pK`, the inet `pointer` column and the unix `Num` column).
 */
export interface IdentityColumns {
  /**
   * The inode as a number (0 when no file holds the socket). Exact up to 2^53; a row with a larger inode (no kernel
   * allocates one: socket inodes are 32-bit) has `NaN` here and its decimal text in `inodeText`.
   */
  readonly inode: U32Column;
  /** Rows whose inode is over 2^53 (`NaN` in `inode`): row index → canonical decimal text. */
  readonly inodeText: ReadonlyMap<number, string>;
  /** The kernel address: the high 32 bits of a 16-digit value (0 for an 8-digit one). */
  readonly pointerHigh: Uint32Array;
  /** The kernel address: the low 32 bits (all of an 8-digit value). */
  readonly pointerLow: Uint32Array;
  /**
   * How many lower-case hex digits the address was printed with (16, or 8 on a 32-bit kernel), or 0 when it was
   * printed any other way (upper case, another width, `(ptrval)`): then its text is in `pointerText`.
   */
  readonly pointerDigits: Uint8Array;
  /** Rows whose address is not 8 or 16 lower-case hex digits (`pointerDigits` 0): row index → text as printed. */
  readonly pointerText: ReadonlyMap<number, string>;
}

/**
 * Columns every inet table has. Row `i` is element `i` of each per-row column; an address column holds
 * {@link InetColumnsBase.addressWords} words per row (row `i` at `[i * addressWords, (i + 1) * addressWords)`).
 *
 * The columns are plain typed arrays: read them directly, or get a row as the plain object `parseTable` gives with
 * `row(i)` (or by iterating). Values that no column can hold exactly (none in a table a kernel printed) are kept in
 * the side maps `inodeText`, `pointerText` and `extra`, keyed by row index, and `row(i)` puts them back.
 * `inode`, `pointer` and their side maps: see {@link IdentityColumns}.
 */
export interface InetColumnsBase<K extends InetTableKind> extends IdentityColumns, Iterable<SocketByKind[K]> {
  /** The table the rows came from. */
  readonly kind: K;
  readonly protocol: InetProtocol;
  readonly family: AddressFamily;
  /** Byte order of the machine that printed the table (the `byteOrder` option): the order of the address words. */
  readonly byteOrder: ByteOrder;
  /** USER_HZ used for the `...Ms` fields of `row(i)` (the `userHz` option). */
  readonly userHz: number;
  /** Rows kept (after the filter and without the rows `onInvalidRow` skipped). */
  readonly length: number;
  /** Address words per row: 1 (IPv4) or 4 (IPv6). */
  readonly addressWords: 1 | 4;
  /** `sl`: TCP: running row number of this read. UDP/RAW/ICMP: the hash bucket. */
  readonly slot: U32Column;
  /**
   * `local_address`, the address part: each `%08X` word as printed, so in the host byte order of the machine that
   * printed the table (`byteOrder`): on a little-endian host `127.0.0.1` is `0x0100007F`. IPv6: four words per row,
   * in the order printed. `decodeSocketAddress` or `row(i).local.address` give the text.
   */
  readonly localAddress: Uint32Array;
  /** `local_address`, the port (`%04X`, host order). Raw tables print the socket's IP protocol here (`ipProtocol`). */
  readonly localPort: Uint16Array;
  /** `rem_address` / `remote_address`, the address part, as `localAddress`. */
  readonly remoteAddress: Uint32Array;
  /** `rem_address` / `remote_address`, the port. */
  readonly remotePort: Uint16Array;
  /** `st`, the raw state code (`TCP_STATES`; datagram tables: 1 connected, 7 unconnected). */
  readonly stateCode: U8Column;
  /** `tx_queue` (netstat Send-Q). */
  readonly txQueue: U32Column;
  /** `rx_queue` (netstat Recv-Q; a TCP listener's accept backlog). */
  readonly rxQueue: U32Column;
  /** `tr`: the timer code (0 off, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe). */
  readonly timerCode: U8Column;
  /**
   * `tm->when`: USER_HZ ticks until the timer fires. A `Float64Array` when a row holds a 16-digit (negative)
   * value, as old 64-bit kernels printed an overdue timer.
   */
  readonly timerTicks: U32Column;
  /** `retrnsmt` (hex): consecutive RTO retransmits (a request socket: SYN-ACK retransmits). */
  readonly retransmits: U32Column;
  /** `uid`, in the reader's user namespace. */
  readonly uid: U32Column;
  /** The misnamed `timeout` column: unanswered zero-window or keepalive probes. */
  readonly probes: I32Column;
  /** `ref`: the socket's reference count. */
  readonly refcount: I32Column;
  /**
   * Fields on the row's line: 12 (a TCP TIME_WAIT or request socket; an old kernel's datagram row without
   * `drops`), 13 (datagram), 17 (a full TCP socket), more when a newer kernel added columns (see `extra`).
   */
  readonly fields: Uint8Array;
  /** Rows with fields after the last known column (a newer kernel's additions): row index → those fields. */
  readonly extra: ReadonlyMap<number, readonly string[]>;
  /**
   * Row `i` as the plain object `parseTable` gives for it (deep-equal, the same field order). A new object on each
   * call. Throws a `RangeError` when `i` is not an integer in `[0, length)`.
   */
  row(i: number): SocketByKind[K];
  /** The rows as plain objects, in order (`row(0)`, `row(1)`, …). */
  [Symbol.iterator](): IterableIterator<SocketByKind[K]>;
}

/**
 * `/proc/net/tcp` or `tcp6` as columns. The five columns after `pointer` belong to full sockets (`record` 0); they
 * are 0 on TIME_WAIT and request rows.
 */
export interface TcpColumns<K extends 'tcp' | 'tcp6' = 'tcp' | 'tcp6'> extends InetColumnsBase<K> {
  readonly protocol: 'tcp';
  /**
   * What each row is: 0 a full socket (17 fields), 1 a TIME_WAIT mini-socket (or an orphaned FIN_WAIT2), 2 a
   * request socket (SYN_RECV in a listener's queue): `record` `'socket'`, `'timewait'`, `'request'` of `row(i)`.
   */
  readonly record: Uint8Array;
  /** Column 13 (`icsk_rto`), in USER_HZ ticks (`rtoMs` = `rto * 1000 / userHz`). */
  readonly rto: U32Column;
  /** Column 14 (`icsk_ack.ato`), in USER_HZ ticks (`atoMs`). */
  readonly ato: U32Column;
  /** Column 15 as printed: `icsk_ack.quick << 1 | pingpong` (`quickAck` = `>>> 1`, `pingpong` = bit 0). */
  readonly quickAckPingpong: U32Column;
  /** Column 16 (`snd_cwnd`), in segments. */
  readonly cwnd: U32Column;
  /**
   * Column 17 as printed: `snd_ssthresh` (-1 while in initial slow start: `ssthresh` `null`), or on a LISTEN socket
   * the TCP Fast Open queue limit (`fastOpenQueueLimit`).
   */
  readonly ssthresh: I32Column;
}

/** `/proc/net/udp`, `udplite`, `raw`, `icmp` (or the IPv6 tables) as columns. */
export interface DatagramColumns<
  K extends Exclude<InetTableKind, 'tcp' | 'tcp6'> = Exclude<InetTableKind, 'tcp' | 'tcp6'>,
> extends InetColumnsBase<K> {
  readonly protocol: Exclude<InetProtocol, 'tcp'>;
  /** `drops` (`%u`): datagrams dropped. 0 on rows without the column (`fields` 12: `row(i).drops` is `null`). */
  readonly drops: U32Column;
}

/** Any inet table as columns: switch on `protocol` (`'tcp'` gives {@link TcpColumns}). */
export type InetColumns = TcpColumns | DatagramColumns;

/**
 * `/proc/net/unix` as columns. Paths are bytes in one shared store, `paths`: row `i`'s path is
 * `paths.subarray(pathStart[i], pathEnd[i])`, or none when `pathStart[i]` is -1. `inode` is the `Inode` column (0 for an
 * embryo, and on every row of the old layout without it), the pointer the `Num` column: see {@link IdentityColumns}.
 */
export interface UnixColumns extends IdentityColumns, Iterable<UnixSocket> {
  readonly kind: 'unix';
  /** Rows of the table. */
  readonly length: number;
  /** `RefCount` (hex). */
  readonly refcount: Uint32Array;
  /** `Protocol` (always 0). */
  readonly protocol: Uint32Array;
  /** `Flags` (hex): `SO_ACCEPTCON` (0x10000) on a listener. */
  readonly flags: Uint32Array;
  /** `Type`: 1 stream, 2 dgram, 5 seqpacket. */
  readonly typeCode: Uint16Array;
  /** `St` (`socket_state`): 0 free … 4 disconnecting. */
  readonly stateCode: Uint8Array;
  /** Start of each row's `Path` in `paths`, or -1 for a socket without an address. */
  readonly pathStart: Int32Array;
  /** End (exclusive) of each row's `Path` in `paths`. */
  readonly pathEnd: Int32Array;
  /** Every `Path` exactly as printed (a CRLF inside a path of a CRLF-converted dump is LF), one after another. */
  readonly paths: Uint8Array;
  /**
   * Why row `i` cannot be trusted, as bits: 1 `'after-newline-path'`, 2 `'duplicate-inode'`, 4 `'no-owner'` (see
   * `UnixSocket.suspicious` and docs/unix.md).
   */
  readonly suspicious: Uint8Array;
  /** 1-based physical line of the record in the input. */
  readonly line: Uint32Array;
  /** Row `i` as the plain object `parseTable('unix', …)` gives (deep-equal); `RangeError` outside `[0, length)`. */
  row(i: number): UnixSocket;
  /** The rows as plain objects, in order. */
  [Symbol.iterator](): IterableIterator<UnixSocket>;
}

/** The columns `parseColumns` gives for each table kind. */
export interface ColumnsByKind {
  tcp: TcpColumns<'tcp'>;
  tcp6: TcpColumns<'tcp6'>;
  udp: DatagramColumns<'udp'>;
  udp6: DatagramColumns<'udp6'>;
  udplite: DatagramColumns<'udplite'>;
  udplite6: DatagramColumns<'udplite6'>;
  raw: DatagramColumns<'raw'>;
  raw6: DatagramColumns<'raw6'>;
  icmp: DatagramColumns<'icmp'>;
  icmp6: DatagramColumns<'icmp6'>;
  unix: UnixColumns;
}

/** Any table as columns. */
export type TableColumns = ColumnsByKind[TableKind];
