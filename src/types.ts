/**
 * Public socket types. Each field's TSDoc names the kernel column it comes from.
 * See docs/columns.md for the full mapping and spec references.
 * @module
 */
import type { TcpState } from './decode/tcp-state.js';
import type { TimerKind } from './decode/timer.js';

/** The inet tables under /proc/net. */
export type InetTableKind =
  | 'tcp'
  | 'tcp6'
  | 'udp'
  | 'udp6'
  | 'udplite'
  | 'udplite6'
  | 'raw'
  | 'raw6'
  | 'icmp'
  | 'icmp6';

/** Every socket table procnet parses. */
export type TableKind = InetTableKind | 'unix';

/** Transport protocol of an inet table (`tcp6` is `'tcp'` with `family: 'IPv6'`). */
export type InetProtocol = 'tcp' | 'udp' | 'udplite' | 'raw' | 'icmp';

/** Address family, spelled as Node's `socket.address()` spells it. */
export type AddressFamily = 'IPv4' | 'IPv6';

/** Byte order of the machine that printed the table (s390x, ppc64 BE, sparc: `'big'`). */
export type ByteOrder = 'little' | 'big';

/** An address and port, in the shape of Node's `socket.address()`. */
export interface Endpoint {
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (`::1`, `::ffff:127.0.0.1`). */
  address: string;
  /** Port in host order (0 for "any", and always 0 on the remote side of raw sockets). */
  port: number;
  family: AddressFamily;
}

/** A kernel timer column pair (`tr:tm->when`). */
export interface SocketTimer {
  /** `tr`, decoded. */
  kind: TimerKind;
  /** `tr`, the raw code (0 off, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe). */
  code: number;
  /** `tm->when`: USER_HZ clock ticks until the timer fires. Negative only on old kernels that printed an overdue timer wrapped. */
  ticks: number;
  /** `tm->when` in milliseconds (`ticks * 1000 / userHz`). */
  ms: number;
}

/** Columns every inet row has (tcp, udp, raw, icmp; full, request and TIME_WAIT rows alike). */
export interface InetSocketBase {
  /** The table the row came from. */
  kind: InetTableKind;
  protocol: InetProtocol;
  family: AddressFamily;
  /** `sl`: TCP: running row number of this read. UDP/RAW/ICMP: the hash bucket (gaps and repeats are normal). */
  slot: number;
  /** `local_address` (bound address and port; `0.0.0.0`/`::` for a wildcard). */
  local: Endpoint;
  /** `rem_address` / `remote_address` (all zero when unconnected or listening). */
  remote: Endpoint;
  /** `st`, the raw code. */
  stateCode: number;
  /** `tx_queue` (netstat Send-Q). TCP: bytes not yet acknowledged (+1 while a SYN or FIN is unacknowledged). Datagram tables: send-buffer memory in bytes. */
  txQueue: number;
  /** `rx_queue` (netstat Recv-Q). TCP LISTEN: connections waiting in the accept queue (the accept backlog). TCP otherwise: unread bytes (+1 for an unread FIN). Datagram tables: queued memory (skb truesize), not payload bytes. */
  rxQueue: number;
  /** `tr:tm->when`. */
  timer: SocketTimer;
  /** `retrnsmt` (hex): consecutive RTO retransmits; for a request socket the SYN-ACK retransmits. */
  retransmits: number;
  /** `uid`: owner, as seen from the reading process's user namespace (65534 when unmapped). */
  uid: number;
  /** The misnamed `timeout` column: unanswered zero-window or keepalive probes (`icsk_probes_out`). */
  probes: number;
  /** `inode` as a decimal string (exact for 64-bit values). `'0'` when no file holds the socket. */
  inode: string;
  /** Reference count (`ref`; the unnamed 11th TCP column). */
  refcount: number;
  /** Kernel socket address (`pointer`, `%pK`): opaque; hashed, real, or zeros depending on kptr_restrict. */
  pointer: string;
  /** Fields after the last known one (a newer kernel's additions), kept raw. Usually empty. */
  extra: readonly string[];
}

/** A full TCP socket row (17 fields): listeners, connections, and FIN_WAIT2 with its fd still open. */
export interface TcpSocket extends InetSocketBase {
  kind: 'tcp' | 'tcp6';
  protocol: 'tcp';
  record: 'socket';
  /** `st`, decoded. */
  state: TcpState;
  /** Column 13 (`icsk_rto`): retransmit timeout in ms. */
  rtoMs: number;
  /** Column 14 (`icsk_ack.ato`): delayed-ACK timeout estimate in ms. */
  atoMs: number;
  /** Column 15, bits 1+ (`icsk_ack.quick`): quick-ACKs still to send. */
  quickAck: number;
  /** Column 15, bit 0: interactive (pingpong, delayed-ACK) mode. */
  pingpong: boolean;
  /** Column 16 (`snd_cwnd`): congestion window in segments. */
  cwnd: number;
  /** Column 17 on a non-listener: `snd_ssthresh` in segments, or `null` while in initial slow start (printed `-1`). Always `null` on a listener. */
  ssthresh: number | null;
  /** Column 17 on a LISTEN socket (`fastopenq->max_qlen`): the TCP Fast Open queue limit, 0 when TFO is off. `null` on other states. */
  fastOpenQueueLimit: number | null;
}

/**
 * A TCP TIME_WAIT mini-socket (12 fields, `tr` 3). `state` is `TIME_WAIT`, or `FIN_WAIT2` for an orphaned FIN_WAIT2
 * (`st` 05: the application closed, the kernel waits for the peer's FIN). No file, so `inode` is `'0'` and `uid` 0.
 */
export interface TcpTimeWaitSocket extends InetSocketBase {
  kind: 'tcp' | 'tcp6';
  protocol: 'tcp';
  record: 'timewait';
  state: TcpState;
}

/**
 * A TCP request socket (12 fields, `tr` 1): a half-open connection in a listener's SYN queue, printed as SYN_RECV.
 * `uid` is the listener's; `inode`, `refcount` are 0; `retransmits` counts SYN-ACK retransmits.
 */
export interface TcpRequestSocket extends InetSocketBase {
  kind: 'tcp' | 'tcp6';
  protocol: 'tcp';
  record: 'request';
  state: TcpState;
}

/** Any row of /proc/net/tcp or tcp6; switch on `record`. */
export type TcpRow = TcpSocket | TcpTimeWaitSocket | TcpRequestSocket;

/**
 * Datagram socket state. The kernel reuses TCP codes: `01` ESTABLISHED means `connect()`ed, `07` CLOSE means
 * unconnected (netstat prints an empty state, ss `UNCONN`). Anything else is `'unknown'` (raw code in `stateCode`).
 */
export type DatagramState = 'connected' | 'unconnected' | 'unknown';

/** Columns shared by udp, udplite, raw and icmp rows (13 fields; 12 on very old kernels). */
export interface DatagramSocketBase extends InetSocketBase {
  state: DatagramState;
  /** `drops`: datagrams dropped on this socket. `null` on very old kernels whose table has no drops column. */
  drops: number | null;
}

/** A row of /proc/net/udp, udp6, udplite or udplite6. */
export interface UdpSocket extends DatagramSocketBase {
  kind: 'udp' | 'udp6' | 'udplite' | 'udplite6';
  protocol: 'udp' | 'udplite';
}

/**
 * A row of /proc/net/raw or raw6. The kernel prints the socket's IP protocol number where the local port would be:
 * it is `ipProtocol` here, and `local.port` and `remote.port` are 0.
 */
export interface RawSocket extends DatagramSocketBase {
  kind: 'raw' | 'raw6';
  protocol: 'raw';
  /** The local "port" column: IP protocol number (1 ICMP, 58 ICMPv6, 255 IPPROTO_RAW). */
  ipProtocol: number;
}

/** A row of /proc/net/icmp or icmp6 (unprivileged ping sockets). `local.port` is the ICMP echo identifier. */
export interface IcmpSocket extends DatagramSocketBase {
  kind: 'icmp' | 'icmp6';
  protocol: 'icmp';
}

/** Any inet socket row. */
export type InetSocket = TcpRow | UdpSocket | RawSocket | IcmpSocket;

/** The row type each table kind yields. */
export interface SocketByKind {
  tcp: TcpRow;
  tcp6: TcpRow;
  udp: UdpSocket;
  udp6: UdpSocket;
  udplite: UdpSocket;
  udplite6: UdpSocket;
  raw: RawSocket;
  raw6: RawSocket;
  icmp: IcmpSocket;
  icmp6: IcmpSocket;
  unix: UnixSocket;
}

/** `Type` column of /proc/net/unix (`0001` stream, `0002` dgram, `0005` seqpacket; raw and rdm are not offered by AF_UNIX). */
export type UnixSocketType = 'stream' | 'dgram' | 'raw' | 'rdm' | 'seqpacket' | 'unknown';

/**
 * `St` column of /proc/net/unix (`socket_state` in `include/uapi/linux/net.h`): derived by the kernel, not stored.
 * `connecting` is the server-side embryo of a connection still in a listener's accept queue (inode 0).
 */
export type UnixSocketState = 'free' | 'unconnected' | 'connecting' | 'connected' | 'disconnecting' | 'unknown';

/**
 * Why a unix row cannot be trusted. Any local user can make rows appear in /proc/net/unix by binding a socket to a
 * name that contains a newline and text shaped like a row; see docs/unix.md for the attack and how to weigh each
 * reason.
 */
export type UnixSuspicion =
  /**
   * The row could be text inside an earlier socket's name: it follows a line of a path, and that path's first byte
   * is at most 108 bytes (`sun_path`) before the row's end. Common on honest tables (a short row after a short name):
   * it says "cannot be ruled out", not "forged".
   */
  | 'after-newline-path'
  /** Another row has the same non-zero inode (this one and the one it repeats are both marked). */
  | 'duplicate-inode'
  /** A live check found that no process holds this inode. */
  | 'no-owner';

/** A row of /proc/net/unix. */
export interface UnixSocket {
  kind: 'unix';
  /** `Num` (`%pK`): the kernel socket address, opaque (hashed, real or zeros, §1.6 of the spec), without the `:`. */
  pointer: string;
  /** `RefCount` (hex). */
  refcount: number;
  /** `Protocol` (always 0). */
  protocol: number;
  /** `Flags` (hex): `0x10000` (`__SO_ACCEPTCON`) on a listener. */
  flags: number;
  /** `Flags & __SO_ACCEPTCON`: the socket is listening. */
  listening: boolean;
  /** `Type`, decoded. */
  type: UnixSocketType;
  /** `Type`, the raw number. */
  typeCode: number;
  /** `St`, decoded. */
  state: UnixSocketState;
  /** `St`, the raw number. */
  stateCode: number;
  /**
   * `Inode` as a decimal string (exact for 64-bit values). `'0'` for an embryo (St 02: no file yet), and on every row
   * of the old layout that has no Inode column.
   */
  inode: string;
  /**
   * `Path` as readable text (UTF-8; invalid bytes become U+FFFD; a NUL printed raw by an old kernel becomes `@`).
   * `null` when the socket has no address. Everything after the single space that follows the inode, spaces, tabs
   * and newlines included (a path with a newline spans several lines of the file).
   * Abstract names start with `@` (a NUL in the kernel); later `@`s may also have been NULs.
   */
  path: string | null;
  /** `Path` exactly as the kernel printed it (lossless), or `null`. A copy, never a view of the input. */
  pathBytes: Uint8Array | null;
  /**
   * The name is in the abstract namespace (the path starts with `@`). A relative pathname that starts with `@` prints
   * the same way; the table cannot tell them apart.
   */
  abstract: boolean;
  /** Reasons not to trust this row, empty when there are none. */
  suspicious: readonly UnixSuspicion[];
  /** 1-based physical line of the record in the input (a path with newlines spans several lines). */
  line: number;
}
