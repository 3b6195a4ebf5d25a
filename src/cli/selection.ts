/**
 * Which tables and rows a command line asks for, with netstat's rules: protocol and family options pick the
 * tables, `-l` / `-a` / neither pick listening, all or connected rows.
 * @module
 */
import type { DecodedLine } from '../tables/inet.js';
import type { InetSocket, TableKind, UnixSocket } from '../types.js';
import type { CliOptions } from './options.js';

/** The tables to read and the rows to keep. */
export interface Selection {
  kinds: TableKind[];
  /** Show the "Active Internet connections" section. */
  inet: boolean;
  /** Show the "Active UNIX domain sockets" section. */
  unix: boolean;
  /** `'connected'` (netstat's default), `'listening'` (-l) or `'all'` (-a). */
  rows: 'connected' | 'listening' | 'all';
}

const V4 = { tcp: 'tcp', udp: 'udp', udplite: 'udplite', raw: 'raw', icmp: 'icmp' } as const;
const V6 = { tcp: 'tcp6', udp: 'udp6', udplite: 'udplite6', raw: 'raw6', icmp: 'icmp6' } as const;

/**
 * netstat's selection: no protocol option means every inet protocol and unix; `-4`/`-6` alone mean every inet
 * protocol of that family (no unix); protocol options without `-4`/`-6` mean both families. `-u` includes UDP-Lite
 * (netstat needs `-U` for it), and every inet selection without a protocol option includes ICMP ping sockets,
 * which netstat cannot show.
 */
export function selectTables(o: CliOptions): Selection {
  const anyProto = o.tcp || o.udp || o.udplite || o.raw || o.icmp;
  const anyFamily = o.ipv4 || o.ipv6;
  const protos = {
    tcp: o.tcp || !anyProto,
    udp: o.udp || !anyProto,
    udplite: o.udp || o.udplite || !anyProto,
    raw: o.raw || !anyProto,
    icmp: o.icmp || !anyProto,
  };
  const inet = anyProto || anyFamily || !o.unix;
  const unix = o.unix || (!anyProto && !anyFamily);
  const families = anyFamily ? [...(o.ipv4 ? [V4] : []), ...(o.ipv6 ? [V6] : [])] : [V4, V6];
  const kinds: TableKind[] = [];
  if (inet) {
    for (const p of ['tcp', 'udp', 'udplite', 'raw', 'icmp'] as const) {
      if (!protos[p]) continue;
      for (const f of families) kinds.push(f[p]);
    }
  }
  if (unix) kinds.push('unix');
  return { kinds, inet, unix, rows: o.all ? 'all' : o.listening ? 'listening' : 'connected' };
}

const isWildcard = (address: string) => address === '0.0.0.0' || address === '::';

/**
 * netstat's notion of a server socket: TCP with no remote port (LISTEN), a datagram or raw socket with no remote
 * address, a unix socket that is unconnected and accepting (`[ ACC ]`).
 */
export function isListening(s: InetSocket | UnixSocket): boolean {
  if (s.kind === 'unix') return s.state === 'unconnected' && s.listening;
  if (s.protocol === 'tcp') return s.remote.port === 0;
  return isWildcard(s.remote.address);
}

/**
 * {@link isListening} on a decoded IPv4 or IPv6 TCP or datagram line, before any row is made: TCP with no remote
 * port, a datagram socket with the wildcard remote address (all four words zero, in either byte order).
 */
export function isListeningDecoded(line: DecodedLine, tcp: boolean): boolean {
  if (tcp) return line.remotePort === 0;
  return line.remoteWord(0) === 0 && line.remoteWord(1) === 0 && line.remoteWord(2) === 0 && line.remoteWord(3) === 0;
}

/** The row filter of a selection. */
export function rowFilter(sel: Selection): (s: InetSocket | UnixSocket) => boolean {
  if (sel.rows === 'all') return () => true;
  const want = sel.rows === 'listening';
  return (s) => isListening(s) === want;
}

/** The words netstat puts after its section titles. */
export function sectionScope(sel: Selection): string {
  return sel.rows === 'all'
    ? '(servers and established)'
    : sel.rows === 'listening'
      ? '(only servers)'
      : '(w/o servers)';
}
