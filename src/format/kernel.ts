/**
 * The inverse of the parsers: sockets back to the exact lines the kernel prints.
 * Used for round-trip tests, for writing synthetic tables, and for re-emitting filtered dumps.
 * @module
 */
import { encodeSocketAddress } from '../decode/address.js';
import { inetTableInfo } from '../tables/inet.js';
import type { ByteOrder, InetSocket, InetTableKind, SocketByKind, TableKind, UnixSocket } from '../types.js';

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

/** The header of /proc/net/unix (`unix_seq_show()`). */
const UNIX_HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';

/** The exact header line of each table (without padding or newline). */
export const TABLE_HEADERS: Readonly<Record<TableKind, string>> = {
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
  unix: UNIX_HEADER,
};

/** Width the kernel pads each line of a table to (`seq_pad`), or 0 for none. */
export const TABLE_PADDING: Readonly<Record<TableKind, number>> = {
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
  unix: 0,
};

const encoder = /* @__PURE__ */ new TextEncoder();

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

/**
 * One socket as the kernel prints its line, without padding or newline: a string for an inet row, bytes for a unix
 * row (its path is bytes: `pathBytes` is written as is, or the `path` text UTF-8 encoded when `pathBytes` is null).
 */
export function formatRow(row: UnixSocket): Uint8Array;
export function formatRow(row: InetSocket, options?: FormatOptions): string;
export function formatRow(row: InetSocket | UnixSocket, options?: FormatOptions): string | Uint8Array {
  return row.kind === 'unix' ? formatUnixRow(row) : formatInetRow(row, options);
}

function formatInetRow(row: InetSocket, options: FormatOptions | undefined): string {
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

/**
 * One unix socket as the kernel prints it (`%pK: %08X %08X %08X %04X %02X %5lu`, then a space and the path bytes if it
 * has a name). `Flags` comes from `flags`; `listening` is not consulted.
 */
function formatUnixRow(row: UnixSocket): Uint8Array {
  const head = `${row.pointer}: ${hex(row.refcount, 8)} ${hex(row.protocol, 8)} ${hex(row.flags, 8)} ${hex(
    row.typeCode,
    4,
  )} ${hex(row.stateCode, 2)} ${padStart(row.inode, 5)}`;
  const path = row.pathBytes ?? (row.path === null ? null : encoder.encode(row.path));
  const out = new Uint8Array(head.length + (path === null ? 0 : path.length + 1));
  writeAscii(out, 0, head);
  if (path !== null) {
    out[head.length] = 0x20;
    out.set(path, head.length + 1);
  }
  return out;
}

/** Writes an ASCII string into `out` at `at`; returns the offset after it. */
function writeAscii(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

/** /proc/net/unix as the kernel prints it: the header, then each row and `\n`. Bytes (see {@link formatRow}). */
function formatUnixTable(rows: readonly UnixSocket[]): Uint8Array {
  const lines = rows.map(formatUnixRow);
  let size = UNIX_HEADER.length + 1;
  for (const l of lines) size += l.length + 1;
  const out = new Uint8Array(size);
  let at = writeAscii(out, 0, UNIX_HEADER);
  out[at++] = 0x0a;
  for (const l of lines) {
    out.set(l, at);
    at += l.length;
    out[at++] = 0x0a;
  }
  return out;
}

/**
 * A whole table as the kernel prints it: header, rows, padding where the kernel pads, `\n` after each line.
 * `'unix'` gives bytes (a unix path need not be text); the inet tables give a string.
 */
export function formatTable(kind: 'unix', rows: readonly UnixSocket[]): Uint8Array;
export function formatTable<K extends InetTableKind>(
  kind: K,
  rows: readonly SocketByKind[K][],
  options?: FormatOptions,
): string;
export function formatTable(
  kind: TableKind,
  rows: readonly (InetSocket | UnixSocket)[],
  options?: FormatOptions,
): string | Uint8Array {
  if (kind === 'unix') return formatUnixTable(rows as readonly UnixSocket[]);
  inetTableInfo(kind);
  const width = TABLE_PADDING[kind];
  const pad = (l: string) => (width > 0 ? l.padEnd(width, ' ') : l);
  let out = `${pad(TABLE_HEADERS[kind])}\n`;
  for (const row of rows) out += `${pad(formatInetRow(row as InetSocket, options))}\n`;
  return out;
}
