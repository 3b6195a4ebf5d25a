/**
 * `--sort KEY`: the order of the listed rows (and of `procnet top`'s). Every order is stable: rows that compare
 * equal keep the kernel's order, table by table.
 * @module
 */
import type { InetSocket, UnixSocket } from '../index.js';
import type { SocketOwner } from '../node/index.js';

/** The keys of `--sort`, in the order `--help` lists them. */
export const SORT_KEYS = ['queue', 'state', 'local', 'remote', 'pid', 'program'] as const;

/** One of {@link SORT_KEYS}. */
export type SortKey = (typeof SORT_KEYS)[number];

/** A row as the sort reads it: a parsed row with its owners when they were looked up. */
export type SortRow = (InetSocket | UnixSocket) & { owners?: readonly SocketOwner[] | null };

/**
 * TCP states in the order of a connection's life, as `--summary` lists them: listeners first, then the handshake's
 * result, the opening states, the closing ones.
 */
const TCP_ORDER: Readonly<Record<string, number>> = {
  LISTEN: 0,
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  CLOSING: 10,
  NEW_SYN_RECV: 3,
};

const UNIX_ORDER: Readonly<Record<string, number>> = {
  connected: 1,
  connecting: 2,
  disconnecting: 3,
  unconnected: 4,
};

/** A row's place in the state order: a datagram or raw socket that is not connected sorts with the listeners. */
function stateRank(s: SortRow): number {
  if (s.kind === 'unix') return s.listening ? 0 : (UNIX_ORDER[s.state] ?? 5);
  if (s.protocol === 'tcp') return TCP_ORDER[s.state] ?? 11;
  return s.stateCode === 1 ? 1 : s.stateCode === 7 ? 0 : 11;
}

/** Recv-Q + Send-Q (unix rows have none). */
function queueOf(s: SortRow): number {
  return s.kind === 'unix' ? 0 : s.rxQueue + s.txQueue;
}

/** Addresses already turned into numbers: a table repeats few addresses, and a sort compares each many times. */
const WORDS = new Map<string, number[]>();
const WORDS_MAX = 4096;

/** An address as numbers compared one by one: the family (IPv4 first), then its 16-bit groups. */
function addressWords(address: string, family: 'IPv4' | 'IPv6'): number[] {
  let words = WORDS.get(address);
  if (words === undefined) {
    words = parseAddressWords(address, family);
    if (WORDS.size >= WORDS_MAX) WORDS.clear();
    WORDS.set(address, words);
  }
  return words;
}

function parseAddressWords(address: string, family: 'IPv4' | 'IPv6'): number[] {
  if (family === 'IPv4') {
    const parts = address.split('.').map(Number);
    return [0, ((parts[0] ?? 0) << 8) | (parts[1] ?? 0), ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)];
  }
  let text = address;
  const dot = text.lastIndexOf('.');
  if (dot >= 0) {
    // An IPv4 tail (::ffff:127.0.0.1) as its two groups.
    const colon = text.lastIndexOf(':');
    const v4 = text
      .slice(colon + 1)
      .split('.')
      .map(Number);
    const hex = (hi: number | undefined, lo: number | undefined) => (((hi ?? 0) << 8) | (lo ?? 0)).toString(16);
    text = `${text.slice(0, colon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (t: string) => (t === '' ? [] : t.split(':').map((g) => Number.parseInt(g, 16) || 0));
  const left = groups(head);
  const right = groups(rest ?? '');
  const fill = rest === undefined ? [] : new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0);
  return [1, ...left, ...fill, ...right];
}

function compareWords(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Unix names: named first, by name (`null`, unnamed, last). */
function compareNames(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function compareEnds(a: SortRow, b: SortRow, side: 'local' | 'remote'): number {
  if (a.kind === 'unix' || b.kind === 'unix') {
    if (a.kind !== 'unix') return -1;
    if (b.kind !== 'unix') return 1;
    return side === 'local' ? compareNames(a.path, b.path) : 0;
  }
  const x = a[side];
  const y = b[side];
  return compareWords(addressWords(x.address, a.family), addressWords(y.address, b.family)) || x.port - y.port;
}

/** The owner a row sorts by: the one with the lowest pid; `undefined` when no owner is known. */
function firstOwner(s: SortRow): SocketOwner | undefined {
  let best: SocketOwner | undefined;
  for (const o of s.owners ?? []) if (best === undefined || o.pid < best.pid) best = o;
  return best;
}

function compareOwners(a: SortRow, b: SortRow, byName: boolean): number {
  const x = firstOwner(a);
  const y = firstOwner(b);
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  if (byName) {
    const n = compareNames(x.comm, y.comm);
    if (n !== 0) return n;
  }
  return x.pid - y.pid;
}

/** The comparison of a key. */
export function compareBy(key: SortKey): (a: SortRow, b: SortRow) => number {
  switch (key) {
    case 'queue':
      return (a, b) =>
        queueOf(b) - queueOf(a) || (b.kind === 'unix' ? 0 : b.rxQueue) - (a.kind === 'unix' ? 0 : a.rxQueue);
    case 'state':
      return (a, b) => stateRank(a) - stateRank(b);
    case 'local':
      return (a, b) => compareEnds(a, b, 'local');
    case 'remote':
      return (a, b) => compareEnds(a, b, 'remote');
    case 'pid':
      return (a, b) => compareOwners(a, b, false);
    case 'program':
      return (a, b) => compareOwners(a, b, true);
  }
}

/**
 * The rows in the order of `key` (a new array; `Array.prototype.sort` is stable, so equal rows keep their order):
 * - `queue`: largest Recv-Q + Send-Q first (then largest Recv-Q);
 * - `state`: LISTEN (and unconnected datagram sockets), ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2,
 *   TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, CLOSING;
 * - `local`, `remote`: IPv4 before IPv6, by address then port, numerically (unix rows by name);
 * - `pid`: by the lowest pid that holds the socket; `program`: by that process's name, then pid. Rows without a
 *   known owner come last.
 */
export function sortRows<T extends SortRow>(rows: readonly T[], key: SortKey): T[] {
  return [...rows].sort(compareBy(key));
}
