/**
 * `parseTable(kind, input)`: the one entry point over every table parser.
 * @module
 */
import { type TableInput, toBytes } from '../scan/bytes.js';
import type {
  IcmpSocket,
  InetTableKind,
  RawSocket,
  SocketByKind,
  TableKind,
  TcpRow,
  UdpSocket,
  UnixSocket,
} from '../types.js';
import { parseInetTable } from './inet.js';
import type { ParseOptions } from './options.js';
import { parseUnixTable } from './unix.js';

/**
 * Parses the whole text (or bytes) of one `/proc/net` table, header included, into typed sockets.
 *
 * ```ts
 * const rows = parseTable('tcp', readFileSync('/proc/net/tcp'));
 * ```
 * Throws `ProcNetParseError` on the first bad row unless `onInvalidRow` is `'skip'` or a function.
 */
export function parseTable<K extends TableKind>(kind: K, input: TableInput, options?: ParseOptions): SocketByKind[K][] {
  const bytes = toBytes(input);
  if (kind === 'unix') return parseUnixTable(bytes, options) as SocketByKind[K][];
  return parseInetTable(kind as Exclude<K, 'unix'> & InetTableKind, bytes, options);
}

/** `/proc/net/tcp` (or `tcp6` with `family: 'IPv6'`). */
export function parseTcp(input: TableInput, options?: ParseOptions & { family?: 'IPv4' | 'IPv6' }): TcpRow[] {
  return parseTable(options?.family === 'IPv6' ? 'tcp6' : 'tcp', input, options);
}

/** `/proc/net/udp` (or `udp6`; `lite: true` for udplite/udplite6). */
export function parseUdp(
  input: TableInput,
  options?: ParseOptions & { family?: 'IPv4' | 'IPv6'; lite?: boolean },
): UdpSocket[] {
  const v6 = options?.family === 'IPv6';
  const kind = options?.lite ? (v6 ? 'udplite6' : 'udplite') : v6 ? 'udp6' : 'udp';
  return parseTable(kind, input, options);
}

/** `/proc/net/raw` (or `raw6`). */
export function parseRaw(input: TableInput, options?: ParseOptions & { family?: 'IPv4' | 'IPv6' }): RawSocket[] {
  return parseTable(options?.family === 'IPv6' ? 'raw6' : 'raw', input, options);
}

/** `/proc/net/icmp` (or `icmp6`): unprivileged ping sockets. */
export function parseIcmp(input: TableInput, options?: ParseOptions & { family?: 'IPv4' | 'IPv6' }): IcmpSocket[] {
  return parseTable(options?.family === 'IPv6' ? 'icmp6' : 'icmp', input, options);
}

/**
 * `/proc/net/unix`. Pass the file's bytes (`readFileSync('/proc/net/unix')`): paths are bytes and come back exact in
 * `pathBytes`. A string is UTF-8 encoded first, so bytes that were not UTF-8 are already lost (as U+FFFD) if the
 * file was decoded as UTF-8 to make it; a string decoded as latin1 gives paths with each byte ≥ 0x80 re-encoded.
 *
 * Never fails because of what a socket name contains; rows a name could have forged are marked in `suspicious`
 * (docs/unix.md).
 */
export function parseUnix(input: TableInput, options?: ParseOptions): UnixSocket[] {
  return parseUnixTable(toBytes(input), options);
}
