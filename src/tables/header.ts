/**
 * What line 1 of a `/proc/net` file says the file is. Each table kind has its own header (spec §2.2, §3.2, §4, §5);
 * a table given as another kind is refused at line 1 with a message that names what it is.
 * @module
 */
import type { LinePosition } from '../scan/line-position.js';
import type { InetTableKind, TableKind } from '../types.js';

/**
 * A header procnet recognises. Some kinds print the same header, so the header cannot tell them apart: `udp`,
 * `udplite`, `raw` and `icmp` (`dgram`), and their IPv6 tables (`dgram6`). The leading blanks and the padding that
 * differ between them are not kept by every saved sample, so they are not evidence.
 */
export type HeaderFound =
  | 'tcp'
  | 'tcp6'
  | 'dgram'
  | 'dgram6'
  | 'unix'
  | 'packet'
  | 'netlink'
  | 'counters'
  /** `sl` and inet columns that are not any table's. */
  | 'sl'
  /** Anything else. */
  | 'other';

/** The words of an inet header up to `inode` (compared without case: some saved samples spell `Inode`). */
const INET_WORDS = [
  'sl',
  'local_address',
  '',
  'st',
  'tx_queue',
  'rx_queue',
  'tr',
  'tm->when',
  'retrnsmt',
  'uid',
  'timeout',
  'inode',
];
/** Words after `inode` that only the datagram tables (udp, udplite, raw, icmp) print. */
const DGRAM_WORDS: ReadonlySet<string> = new Set(['ref', 'pointer', 'drops']);
/**
 * First words of the counter files: `Ip:` (snmp), `TcpExt:` (netstat), `sockets:` (sockstat), `TCP6:` (sockstat6),
 * `Ip6InReceives` (snmp6). A letter past `f` tells them from a row's hex pointer (`ffff8801…:`).
 */
const COUNTER_FIRST = /^[A-Za-z][A-Za-z0-9]*:$|^(?:Ip6|Icmp6|Udp6|UdpLite6)[A-Za-z]+$/;
const NOT_HEX = /[g-zG-Z]/;

/** How each header is named in an error. */
export const HEADER_NAMES: Readonly<Record<HeaderFound, string>> = {
  tcp: 'a tcp table',
  tcp6: 'a tcp6 table',
  dgram: 'an IPv4 datagram table (udp, udplite, raw or icmp)',
  dgram6: 'an IPv6 datagram table (udp6, udplite6, raw6 or icmp6)',
  unix: 'a unix table',
  packet: '/proc/net/packet',
  netlink: '/proc/net/netlink',
  counters: 'a counter file (snmp, netstat, snmp6 or sockstat)',
  sl: 'a table header with unknown columns',
  other: 'not a table header',
};

/** The header each kind has. */
const EXPECTED: ReadonlyMap<TableKind, HeaderFound> = new Map<TableKind, HeaderFound>([
  ['tcp', 'tcp'],
  ['tcp6', 'tcp6'],
  ['udp', 'dgram'],
  ['udplite', 'dgram'],
  ['raw', 'dgram'],
  ['icmp', 'dgram'],
  ['udp6', 'dgram6'],
  ['udplite6', 'dgram6'],
  ['raw6', 'dgram6'],
  ['icmp6', 'dgram6'],
  ['unix', 'unix'],
]);

/** The header a table of `kind` starts with. */
function expectedHeader(kind: TableKind): HeaderFound {
  return EXPECTED.get(kind) as HeaderFound;
}

/** Most bytes of line 1 looked at: every real header is shorter (the padded tcp header is 149 bytes). */
const HEADER_SCAN = 1024;

/** The blank-separated words of `[start, end)` (space, tab, CR), of its first {@link HEADER_SCAN} bytes. */
export function headerWords(b: Uint8Array, start: number, end: number): string[] {
  const stop = Math.min(end, start + HEADER_SCAN);
  const words: string[] = [];
  let p = start;
  while (p < stop) {
    const c = b[p] as number;
    if (c === 0x20 || c === 0x09 || c === 0x0d) {
      p++;
      continue;
    }
    let w = '';
    while (p < stop) {
      const d = b[p] as number;
      if (d === 0x20 || d === 0x09 || d === 0x0d) break;
      w += String.fromCharCode(d);
      p++;
    }
    words.push(w);
  }
  return words;
}

/** What the words of line 1 are the header of. */
export function identifyHeader(words: readonly string[]): HeaderFound {
  const first = words[0] ?? '';
  if (first === 'Num' && words[1] === 'RefCount') return 'unix';
  if (first === 'sk') return words[1] === 'RefCnt' ? 'packet' : words[1] === 'Eth' ? 'netlink' : 'other';
  if (first.toLowerCase() === 'sl') {
    const remote = (words[2] ?? '').toLowerCase();
    if (remote !== 'rem_address' && remote !== 'remote_address') return 'sl';
    for (let i = 0; i < INET_WORDS.length; i++) {
      if (i !== 2 && (words[i] ?? '').toLowerCase() !== INET_WORDS[i]) return 'sl';
    }
    const dgram = words.slice(INET_WORDS.length).some((w) => DGRAM_WORDS.has(w.toLowerCase()));
    const v6 = remote === 'remote_address';
    return dgram ? (v6 ? 'dgram6' : 'dgram') : v6 ? 'tcp6' : 'tcp';
  }
  if (COUNTER_FIRST.test(first) && NOT_HEX.test(first)) return 'counters';
  return 'other';
}

/**
 * Checks line 1 of an inet table of `kind` (its first token at `[s, e)` of `r`'s current line): true if it is that
 * kind's header, false if it looks like a data row (the header is missing); throws `UNKNOWN_HEADER`, naming what it
 * is, for any other line.
 */
export function checkInetHeader(r: LinePosition, kind: InetTableKind, s: number, e: number): boolean {
  const b = r.buf;
  // A row in place of the header: digits followed by ':'.
  let p = s;
  while (p < e && (b[p] as number) >= 0x30 && (b[p] as number) <= 0x39) p++;
  if (p > s && b[p] === 0x3a) return false;
  const found = identifyHeader(headerWords(b, r.lineStart, r.lineEnd));
  if (found === expectedHeader(kind)) return true;
  const what =
    found === 'other'
      ? `line 1 is not the header of a ${kind} table (that starts with "sl  local_address")`
      : `this is the header of ${HEADER_NAMES[found]}, not of a ${kind} table`;
  throw r.error('UNKNOWN_HEADER', '', what, s, r.lineEnd);
}
