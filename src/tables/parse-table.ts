/**
 * `parseTable(kind, input)`: the one entry point over every table parser.
 * @module
 */
import { type TableInput, toBytes } from '../scan/bytes.js';
import type { IcmpSocket, InetTableKind, RawSocket, SocketByKind, TcpRow, UdpSocket } from '../types.js';
import { parseInetTable } from './inet.js';
import type { ParseOptions } from './options.js';

/**
 * Parses the whole text (or bytes) of one `/proc/net` table, header included, into typed sockets.
 *
 * ```ts
 * const rows = parseTable('tcp', readFileSync('/proc/net/tcp'));
 * ```
 * Throws `ProcNetParseError` on the first bad row unless `onInvalidRow` is `'skip'` or a function.
 */
export function parseTable<K extends InetTableKind>(
  kind: K,
  input: TableInput,
  options?: ParseOptions,
): SocketByKind[K][] {
  return parseInetTable(kind, toBytes(input), options);
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
