/**
 * The inverse of the parsers: sockets back to the exact lines the kernel prints.
 * Used for round-trip tests, for writing synthetic tables, and for re-emitting filtered dumps.
 * @module
 */
import { encodeSocketAddress } from '../decode/address.js';
import { INET_TABLES } from '../tables/inet.js';
import type { ByteOrder, InetSocket, InetTableKind, SocketByKind } from '../types.js';

/** Options for {@link formatTable} and {@link formatRow}. */
export interface FormatOptions {
  /** Byte order to print addresses in. Default `'little'`. */
  byteOrder?: ByteOrder | undefined;
  /** USER_HZ used to turn ms back into ticks. Default 100. */
  userHz?: number | undefined;
}

const TCP4_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const V6_HEADER_START =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const DGRAM4_TAIL =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';

/** The exact header line of each table (without padding or newline). */
export const TABLE_HEADERS: Readonly<Record<InetTableKind, string>> = {
  tcp: TCP4_HEADER,
  tcp6: V6_HEADER_START,
  udp: ` ${DGRAM4_TAIL}`,
  udplite: ` ${DGRAM4_TAIL}`,
  raw: DGRAM4_TAIL,
  icmp: DGRAM4_TAIL,
  udp6: `${V6_HEADER_START} ref pointer drops`,
  udplite6: `${V6_HEADER_START} ref pointer drops`,
  raw6: `${V6_HEADER_START} ref pointer drops`,
  icmp6: `${V6_HEADER_START} ref pointer drops`,
};

/** Width the kernel pads each line of a table to (`seq_pad`), or 0 for none. */
export const TABLE_PADDING: Readonly<Record<InetTableKind, number>> = {
  tcp: 149,
  udp: 127,
  udplite: 127,
  icmp: 127,
  tcp6: 0,
  udp6: 0,
  udplite6: 0,
  raw: 0,
  raw6: 0,
  icmp6: 0,
};

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(width, '0');
}

function hexWide(n: number, width: number): string {
  if (n >= 0 && n <= 0xffffffff) return hex(n, width);
  const v = n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n);
  return v.toString(16).toUpperCase().padStart(width, '0');
}

function padStart(v: number | string, width: number): string {
  return String(v).padStart(width, ' ');
}

function ticks(ms: number, hz: number): number {
  return Math.round((ms * hz) / 1000);
}

/** One socket as the kernel line (no padding, no newline). */
export function formatRow(row: InetSocket, options?: FormatOptions): string {
  const order = options?.byteOrder ?? 'little';
  const hz = options?.userHz ?? 100;
  const v6 = row.family === 'IPv6';
  const slotWidth = row.protocol === 'tcp' || (row.protocol === 'raw' && !v6) ? 4 : 5;
  const localPort = row.protocol === 'raw' ? row.ipProtocol : row.local.port;
  const local = encodeSocketAddress({ ...row.local, port: localPort }, { byteOrder: order });
  const remote = encodeSocketAddress(row.remote, { byteOrder: order });
  let s = `${padStart(row.slot, slotWidth)}: ${local} ${remote} ${hex(row.stateCode, 2)} ${hex(row.txQueue, 8)}:${hex(
    row.rxQueue,
    8,
  )} ${hex(row.timer.code, 2)}:${hexWide(row.timer.ticks, 8)} ${hex(row.retransmits, 8)} ${padStart(row.uid, 5)} ${padStart(
    row.probes,
    8,
  )} ${row.inode} ${row.refcount} ${row.pointer}`;
  if (row.protocol === 'tcp') {
    if (row.record === 'socket') {
      const last = row.fastOpenQueueLimit ?? row.ssthresh ?? -1;
      s += ` ${ticks(row.rtoMs, hz)} ${ticks(row.atoMs, hz)} ${(row.quickAck << 1) | (row.pingpong ? 1 : 0)} ${row.cwnd} ${last}`;
    }
  } else if (row.drops !== null) {
    s += ` ${row.drops}`;
  }
  for (const x of row.extra) s += ` ${x}`;
  return s;
}

/** A whole table as the kernel prints it: header, rows, padding where the kernel pads, `\n` after each line. */
export function formatTable<K extends InetTableKind>(
  kind: K,
  rows: readonly SocketByKind[K][],
  options?: FormatOptions,
): string {
  if (INET_TABLES[kind] === undefined) throw new TypeError(`procnet: unknown table kind ${JSON.stringify(kind)}`);
  const width = TABLE_PADDING[kind];
  const pad = (l: string) => (width > 0 ? l.padEnd(width, ' ') : l);
  let out = `${pad(TABLE_HEADERS[kind])}\n`;
  for (const row of rows) out += `${pad(formatRow(row as InetSocket, options))}\n`;
  return out;
}
