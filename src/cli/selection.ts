/**
 * Which tables and rows a command line asks for, with netstat's rules: protocol and family options pick the
 * tables, `-l` / `-a` / neither pick listening, all or connected rows; then ss's: a filter's `inet:`, `inet6:` or
 * `unix:` narrows the tables, its state words replace `-l` / `-a`, and its expression selects among the rows.
 * @module
 */
import type { InetSocket, SocketFilter, TableKind, UnixSocket } from '../index.js';
import type { CliOptions } from './options.js';

/** The tables to read and the rows to keep. */
export interface Selection {
  kinds: TableKind[];
  /** Show the "Active Internet connections" section. */
  inet: boolean;
  /** Show the "Active UNIX domain sockets" section. */
  unix: boolean;
  /**
   * `'connected'` (netstat's default), `'listening'` (-l) or `'all'` (-a, or a filter that names states: its states
   * decide then, as in ss).
   */
  rows: 'connected' | 'listening' | 'all';
  /** The command line's filter (ss's language), or `null`. */
  filter: SocketFilter | null;
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
  const filter = o.filter;
  const narrowed = filter?.family == null ? kinds : kinds.filter((k) => familyOf(k) === filter.family);
  const rows = filter?.states != null || o.all ? 'all' : o.listening ? 'listening' : 'connected';
  // A section the filter's family leaves no table for is not shown (unless none is left: empty sections say so).
  const some = narrowed.length > 0;
  return {
    kinds: narrowed,
    inet: inet && (!some || narrowed.some((k) => k !== 'unix')),
    unix: unix && (!some || narrowed.includes('unix')),
    rows,
    filter,
  };
}

/** The family of a table's rows, as a filter's `inet:`, `inet6:`, `unix:` name them. */
function familyOf(kind: TableKind): 'IPv4' | 'IPv6' | 'unix' {
  return kind === 'unix' ? 'unix' : kind.endsWith('6') ? 'IPv6' : 'IPv4';
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

/** The row filter of a selection: netstat's listening/connected choice, then the filter. */
export function rowFilter(sel: Selection): (s: InetSocket | UnixSocket) => boolean {
  const filter = sel.filter;
  if (sel.rows === 'all') return filter === null ? () => true : (s) => filter.matches(s);
  const want = sel.rows === 'listening';
  if (filter === null) return (s) => isListening(s) === want;
  return (s) => isListening(s) === want && filter.matches(s);
}

/** The words netstat puts after its section titles. */
export function sectionScope(sel: Selection): string {
  return sel.rows === 'all'
    ? '(servers and established)'
    : sel.rows === 'listening'
      ? '(only servers)'
      : '(w/o servers)';
}
