/**
 * `procnet top`'s screen as a pure function: the rows of one refresh, what the previous refreshes saw (how long each
 * queue has stayed non-zero), and the view's settings give the lines of the screen. No terminal and no I/O here:
 * the driver (top-terminal.ts) draws these lines, and the tests check them without a terminal.
 * @module
 */
import type { InetSocket, SocketFilter } from '../index.js';
import { escapeTerminal } from '../netstat.js';
import type { ProcessScanStats, SocketOwner } from '../node/index.js';
import type { Paint } from './paint.js';
import { compareBy, type SortKey, sortRows } from './sort.js';

/** A socket as top shows it: an inet row with its owners (`[]` none found, `null` not looked up). */
export type TopRow = InetSocket & { owners: readonly SocketOwner[] | null };

/** How the rows are grouped: under their listener, under their process, or not at all. */
export type TopGroup = 'listener' | 'process' | 'flat';

/** One refresh's read. */
export interface TopSnapshot {
  /** When the read started (ms since the epoch). */
  time: number;
  rows: readonly TopRow[];
  /** `net.core.somaxconn` of the namespace (the cap of every listen backlog), `null` when unknown. */
  somaxconn: number | null;
  /** When `somaxconn` is unknown: how to read it (another namespace's is read from inside it), or `null`. */
  somaxconnHint: string | null;
  /** The owner scan's counts, `null` when owners were not looked up. */
  processes: ProcessScanStats | null;
  /** Where the rows come from, for the title (`this namespace`, `pid 42's namespace`, `the dump DIR`). */
  source: string;
}

/** What the view shows. */
export interface TopView {
  sort: SortKey;
  group: TopGroup;
  filter: SocketFilter | null;
  /** Seconds between refreshes. */
  interval: number;
  width: number;
  height: number;
  /** First body line shown (scrolling); clamped. */
  scroll: number;
  /** The status line: the keys, a filter being typed, or a filter's error. */
  status: string;
  /** Whether the reader is root (the words about processes that could not be read depend on it). */
  root: boolean;
}

/** A socket's identity across refreshes: its table, both ends and its inode (0 for mini-sockets). */
export function socketKey(s: InetSocket): string {
  return `${s.kind} ${s.local.address} ${s.local.port} ${s.remote.address} ${s.remote.port} ${s.inode}`;
}

/** Queues that stay non-zero: since when each socket's Recv-Q or Send-Q has been non-zero, refresh after refresh. */
export class QueueTracker {
  #since = new Map<string, number>();
  #refreshes = new Map<string, number>();

  /** Records one refresh: a socket whose queues are both zero, or that is gone, starts again. */
  update(rows: readonly InetSocket[], time: number): void {
    const since = new Map<string, number>();
    const refreshes = new Map<string, number>();
    for (const s of rows) {
      if (s.rxQueue === 0 && s.txQueue === 0) continue;
      const key = socketKey(s);
      since.set(key, this.#since.get(key) ?? time);
      refreshes.set(key, (this.#refreshes.get(key) ?? 0) + 1);
    }
    this.#since = since;
    this.#refreshes = refreshes;
  }

  /**
   * How long (ms) the socket's queue has been non-zero, measured from the first refresh that saw it, or `null` when
   * it is empty or was non-zero in this refresh only (one sample says nothing about staying).
   */
  stuckFor(s: InetSocket, now: number): number | null {
    const key = socketKey(s);
    if ((this.#refreshes.get(key) ?? 0) < 2) return null;
    return now - (this.#since.get(key) as number);
  }
}

/** `12s`, `3m04`, `2h05`, `3d02`: at most 5 characters. */
export function shortDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}`;
  const d = Math.floor(h / 24);
  return d < 100 ? `${d}d${String(h % 24).padStart(2, '0')}` : `${d}d`;
}

/** A queue in at most 6 characters: bytes (or connections) as they are, then K, M, G. */
export function shortCount(n: number): string {
  if (n < 1_000_000) return String(n);
  for (const [unit, size] of [
    ['M', 1e6],
    ['G', 1e9],
    ['T', 1e12],
  ] as const) {
    const v = n / size;
    if (v < 1000) return `${v < 10 ? v.toFixed(1) : Math.floor(v)}${unit}`;
  }
  return 'huge';
}

/** ss's state names (shorter than netstat's: the columns must fit 80). */
const SS_STATE: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE: 'UNCONN',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
  NEW_SYN_RECV: 'SYN-RECV',
};

/** netstat's name of each ss name, for the colours (which are keyed by netstat's names). */
const NETSTAT_STATE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SS_STATE).map(([netstat, ss]) => [ss, netstat]),
);

/** The state word top shows (ss's): datagram sockets are ESTAB (connected) or UNCONN. */
export function stateWord(s: InetSocket): string {
  if (s.protocol === 'tcp') return SS_STATE[s.state] ?? 'UNKNOWN';
  if (s.protocol === 'raw' || s.protocol === 'icmp') return s.stateCode === 1 ? 'ESTAB' : 'UNCONN';
  return s.state === 'connected' ? 'ESTAB' : s.state === 'unconnected' ? 'UNCONN' : 'UNKNOWN';
}

/** Untrusted text (a process name) for a cell: escaped, and anything not printable ASCII as `?` (fixed widths). */
export function cellText(text: string): string {
  return escapeTerminal(text).replace(/[^\x20-\x7e]/g, '?');
}

/** `pid/comm` of the row's first owner (by pid), `+N` for the others; `-` when none is known. */
export function ownerText(s: TopRow): string {
  const owners = s.owners ?? [];
  if (owners.length === 0) return '-';
  let first = owners[0] as SocketOwner;
  for (const o of owners) if (o.pid < first.pid) first = o;
  const pids = new Set(owners.map((o) => o.pid));
  const name = first.comm === null ? String(first.pid) : `${first.pid}/${cellText(first.comm)}`;
  return pids.size > 1 ? `${name} +${pids.size - 1}` : name;
}

const isWildcard = (address: string) => address === '0.0.0.0' || address === '::';

/** Whether connection `c` came in through listener `l`: the same table family, the listener's port and address. */
function accepts(l: InetSocket, c: InetSocket): boolean {
  if (c.local.port !== l.local.port || c.protocol !== 'tcp') return false;
  if (l.local.address === c.local.address) return true;
  if (!isWildcard(l.local.address)) return false;
  // 0.0.0.0 takes IPv4 connections; :: takes IPv6 ones (and IPv4-mapped ones, which are in tcp6 too).
  return l.family === c.family;
}

/** A styled piece of a line: its text and how it is painted. */
type Segment = readonly [text: string, style?: ((text: string) => string) | undefined];

/** A line of segments cut to `width` visible characters, then painted. */
function fitLine(segments: readonly Segment[], width: number): string {
  let out = '';
  let room = width;
  for (const [text, style] of segments) {
    if (room <= 0) break;
    const cut = text.length > room ? text.slice(0, room) : text;
    room -= cut.length;
    out += style === undefined || cut === '' ? cut : style(cut);
  }
  return out;
}

/**
 * Text in `width` columns: padded, or cut with `~`: from the left for an address (it keeps its port), from the right
 * for a process (it keeps its pid).
 */
function cell(text: string, width: number, align: 'left' | 'right' | 'cut-right' = 'left'): string {
  if (text.length > width) {
    if (width <= 1) return '~'.slice(0, width);
    return align === 'cut-right' ? `${text.slice(0, width - 1)}~` : `~${text.slice(text.length - width + 1)}`;
  }
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/** `addr:port`, IPv6 in brackets; `*` for port 0 of an unset end. */
function endpoint(e: { address: string; port: number }, family: 'IPv4' | 'IPv6'): string {
  const port = e.port === 0 ? '*' : String(e.port);
  return family === 'IPv6' ? `[${e.address}]:${port}` : `${e.address}:${port}`;
}

/** The widths of the socket columns for this screen width and these rows. */
interface Columns {
  local: number;
  remote: number;
  owner: number;
}

/** proto 5, state 10, Recv-Q 6, Send-Q 6, stuck 5, and a blank between each of the 8 columns. */
const FIXED = 5 + 10 + 6 + 6 + 5 + 7;

/**
 * The widths of the columns that vary, to fit `width`: each as wide as its longest text; when they do not fit, the
 * process column gives way first (down to 8: the pid and the start of the name), then both addresses (down to 15:
 * an IPv4 address with its port, mostly), then the process again.
 */
function columnsFor(rows: readonly TopRow[], width: number): Columns {
  let local = 'Local'.length;
  let remote = 'Peer'.length;
  let owner = 'Process'.length;
  for (const s of rows) {
    local = Math.max(local, endpoint(s.local, s.family).length);
    remote = Math.max(remote, endpoint(s.remote, s.family).length);
    owner = Math.max(owner, ownerText(s).length);
  }
  const room = Math.max(width - FIXED, 24);
  const over = () => local + remote + owner - room;
  if (over() > 0) owner = Math.max(8, owner - over());
  while (over() > 0 && (local > 15 || remote > 15)) {
    if (local >= remote) local--;
    else remote--;
  }
  if (over() > 0) owner = Math.max(4, owner - over());
  return { local, remote, owner: Math.max(owner, room - local - remote) };
}

function headerLine(c: Columns, width: number, paint: Paint): string {
  const text = `${cell('Proto', 5)} ${cell('Local', c.local)} ${cell('Peer', c.remote)} ${cell('State', 10)} ${cell('Recv-Q', 6, 'right')} ${cell('Send-Q', 6, 'right')} ${cell('Stuck', 5, 'right')} Process`;
  return paint.bold(text.slice(0, width));
}

/** Datagram protocols shortened to fit the 5-wide Proto column (`udpl6` as netstat). */
function protoText(s: InetSocket): string {
  return s.kind.replace('udplite', 'udpl');
}

function socketLine(s: TopRow, c: Columns, stuck: number | null, width: number, paint: Paint): string {
  const word = stateWord(s);
  const queued = stuck !== null;
  const queueStyle = queued ? paint.red : undefined;
  const segments: Segment[] = [
    [`${cell(protoText(s), 5)} `],
    [`${cell(endpoint(s.local, s.family), c.local)} `],
    [`${cell(endpoint(s.remote, s.family), c.remote)} `],
    [cell(word, 10), (t) => paint.state(t, NETSTAT_STATE[word] ?? word)],
    [' '],
    [cell(shortCount(s.rxQueue), 6, 'right'), s.rxQueue > 0 ? queueStyle : undefined],
    [' '],
    [cell(shortCount(s.txQueue), 6, 'right'), s.txQueue > 0 ? queueStyle : undefined],
    [' '],
    [cell(stuck === null ? '' : shortDuration(stuck), 5, 'right'), queueStyle],
    [' '],
    [cell(ownerText(s), c.owner, 'cut-right')],
  ];
  return fitLine(segments, width);
}

/** A group of rows and its title line. */
interface Group {
  title: Segment[];
  /** The row the group is about, shown first whatever the order (a listener), or `null`. */
  head: TopRow | null;
  /** The group of what is left (under no listener, no process): always last. */
  tail: boolean;
  rows: TopRow[];
}

/** What starts a group's title line (rows start with their protocol). */
const GROUP_MARK = '-- ';

const STATE_ORDER = [
  'LISTEN',
  'ESTAB',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'UNCONN',
  'CLOSE-WAIT',
  'LAST-ACK',
  'CLOSING',
  'UNKNOWN',
];

/** `ESTAB 3, CLOSE-WAIT 12` of some rows, each state in its colour. */
function stateCounts(rows: readonly TopRow[], paint: Paint, skip?: string): Segment[] {
  const counts = new Map<string, number>();
  for (const s of rows) {
    const w = stateWord(s);
    if (w !== skip) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const out: Segment[] = [];
  for (const w of STATE_ORDER) {
    const n = counts.get(w);
    if (n === undefined) continue;
    if (out.length > 0) out.push([', ']);
    out.push([w, (t) => paint.state(t, NETSTAT_STATE[w] ?? w)], [` ${n}`]);
  }
  return out;
}

const queueOf = (s: TopRow) => s.rxQueue + s.txQueue;

function sumQueues(rows: readonly TopRow[]): number {
  let n = 0;
  for (const s of rows) n += queueOf(s);
  return n;
}

/** Groups under each TCP listener (its accepted connections and handshakes), then everything else. */
function listenerGroups(rows: readonly TopRow[], snap: TopSnapshot, paint: Paint): Group[] {
  const listeners = rows.filter((s) => s.protocol === 'tcp' && s.state === 'LISTEN');
  const members = new Map<TopRow, TopRow[]>(listeners.map((l) => [l, []]));
  const other: TopRow[] = [];
  for (const s of rows) {
    if (members.has(s)) continue;
    // The most specific listener wins (an address over a wildcard).
    const home =
      listeners.find((l) => l.local.address === s.local.address && accepts(l, s)) ??
      listeners.find((l) => accepts(l, s));
    if (home === undefined) other.push(s);
    else (members.get(home) as TopRow[]).push(s);
  }
  const cap = snap.somaxconn === null ? '?' : String(snap.somaxconn);
  const groups: Group[] = listeners.map((l) => {
    const conns = members.get(l) as TopRow[];
    const title: Segment[] = [
      [`${GROUP_MARK}${protoText(l)} ${endpoint(l.local, l.family)}`, paint.bold],
      [' accept queue '],
      [`${l.rxQueue}/${cap}`, l.rxQueue > 0 ? paint.red : undefined],
      [`, ${conns.length} connection${conns.length === 1 ? '' : 's'}${conns.length > 0 ? ': ' : ''}`],
      ...stateCounts(conns, paint),
    ];
    return { title, head: l, tail: false, rows: conns };
  });
  if (other.length > 0) {
    groups.push({
      title: [
        [`${GROUP_MARK}not under a listener: ${other.length} socket${other.length === 1 ? '' : 's'}`, paint.bold],
      ],
      head: null,
      tail: true,
      rows: other,
    });
  }
  return groups;
}

/** Groups under each process (a socket held by several is under each), then the sockets no process holds. */
function processGroups(rows: readonly TopRow[], snap: TopSnapshot, view: TopView, paint: Paint): Group[] {
  const byPid = new Map<number, { comm: string | null; rows: TopRow[] }>();
  const none: TopRow[] = [];
  for (const s of rows) {
    const owners = s.owners ?? [];
    if (owners.length === 0) none.push(s);
    const seen = new Set<number>();
    for (const o of owners) {
      if (seen.has(o.pid)) continue;
      seen.add(o.pid);
      const g = byPid.get(o.pid) ?? { comm: o.comm, rows: [] };
      g.rows.push(s);
      byPid.set(o.pid, g);
    }
  }
  const groups: Group[] = [...byPid].map(([pid, g]) => {
    const closeWait = g.rows.filter((s) => stateWord(s) === 'CLOSE-WAIT').length;
    const queued = sumQueues(g.rows);
    return {
      title: [
        [`${GROUP_MARK}${pid}/${g.comm === null ? '?' : cellText(g.comm)}`, paint.bold],
        [`: ${g.rows.length} socket${g.rows.length === 1 ? '' : 's'}`],
        ...(closeWait > 0 ? ([[', '], [`CLOSE-WAIT ${closeWait}`, paint.red]] as Segment[]) : []),
        ...(queued > 0 ? ([[`, queued ${shortCount(queued)}`]] as Segment[]) : []),
        [': '],
        ...stateCounts(g.rows, paint, 'CLOSE-WAIT'),
      ],
      head: null,
      tail: false,
      rows: g.rows,
    };
  });
  if (none.length > 0) {
    const p = snap.processes;
    const why =
      p === null
        ? 'owners not looked up'
        : p.denied > 0
          ? `no readable process (${p.denied} process${p.denied === 1 ? '' : 'es'} could not be read${view.root ? '' : ': run as root'})`
          : 'no process (time-wait, handshakes, orphans)';
    groups.push({
      title: [[`${GROUP_MARK}${why}: ${none.length} socket${none.length === 1 ? '' : 's'}`, paint.bold]],
      head: null,
      tail: true,
      rows: none,
    });
  }
  return groups;
}

/** The first lines: what is shown, the states, the CLOSE_WAIT piles by process. */
function topLines(snap: TopSnapshot, rows: readonly TopRow[], view: TopView, paint: Paint): Segment[][] {
  const clock = new Date(snap.time).toTimeString().slice(0, 8);
  const title: Segment[] = [
    ['procnet top', paint.bold],
    [`  ${clock}  every ${view.interval}s  ${snap.source}  ${rows.length} socket${rows.length === 1 ? '' : 's'}`],
  ];
  const states: Segment[] = [['states: '], ...stateCounts(rows, paint)];
  if (rows.length === 0) states.push(['none']);
  const piles = new Map<string, number>();
  for (const s of rows) {
    if (stateWord(s) !== 'CLOSE-WAIT') continue;
    const who = ownerText(s);
    piles.set(who, (piles.get(who) ?? 0) + 1);
  }
  const pileText = [...piles]
    .sort((a, b) => b[1] - a[1])
    .map(([who, n]) => `${who} ${n}`)
    .join(', ');
  const closeWait: Segment[] =
    piles.size === 0 ? [['CLOSE-WAIT by process: none']] : [['CLOSE-WAIT by process: '], [pileText, paint.red]];
  const cap: Segment[] =
    snap.somaxconn === null
      ? [[`accept queue cap: somaxconn unknown${snap.somaxconnHint === null ? '' : ` (${snap.somaxconnHint})`}`]]
      : [[`accept queue cap: somaxconn ${snap.somaxconn} (a listener's own backlog is not in /proc)`]];
  const settings: Segment[] = [
    [`sort ${view.sort}  group ${view.group}  filter ${view.filter === null ? '-' : cellText(view.filter.text)}`],
  ];
  return [title, states, closeWait, cap, settings];
}

/** The body lines (scrollable) of the view. */
function bodyLines(
  rows: TopRow[],
  snap: TopSnapshot,
  tracker: QueueTracker,
  view: TopView,
  c: Columns,
  paint: Paint,
): string[] {
  const compare = compareBy(view.sort);
  const line = (s: TopRow) => socketLine(s, c, tracker.stuckFor(s, snap.time), view.width, paint);
  if (view.group === 'flat') return sortRows(rows, view.sort).map(line);
  const groups = view.group === 'listener' ? listenerGroups(rows, snap, paint) : processGroups(rows, snap, view, paint);
  for (const g of groups) g.rows.sort(compare);
  // Groups in the order of their first row (a listener's: itself); by the most queued first for `queue`. Groups
  // with no head (the sockets under no listener, or no process) come last.
  const first = (g: Group) => g.head ?? g.rows[0];
  const isTail = (g: Group) => g.tail;
  const order = groups.map((g, i) => ({ g, i, queued: sumQueues(g.rows) + (g.head === null ? 0 : queueOf(g.head)) }));
  order.sort((a, b) => {
    const tail = Number(isTail(a.g)) - Number(isTail(b.g));
    if (tail !== 0) return tail;
    if (view.sort === 'queue') return b.queued - a.queued || a.i - b.i;
    const x = first(a.g);
    const y = first(b.g);
    return (x === undefined || y === undefined ? 0 : compare(x, y)) || a.i - b.i;
  });
  const out: string[] = [];
  for (const { g } of order) {
    out.push(fitLine(g.title, view.width));
    if (g.head !== null) out.push(line(g.head));
    for (const s of g.rows) out.push(line(s));
  }
  return out;
}

/** A screen to draw, and where its body is scrolled to. */
export interface TopScreen {
  /** Exactly `view.height` lines (at least 8), none wider than `view.width` visible characters. */
  lines: string[];
  /** The first body line shown (`view.scroll`, clamped). */
  scroll: number;
  /** The largest useful scroll offset. */
  maxScroll: number;
}

/**
 * The screen: five lines of summary, the column header, the body (grouped and sorted, from `view.scroll`), and the
 * status line.
 */
export function topScreen(snap: TopSnapshot, tracker: QueueTracker, view: TopView, paint: Paint): TopScreen {
  const rows = view.filter === null ? [...snap.rows] : snap.rows.filter((s) => view.filter?.matches(s));
  const c = columnsFor(rows, view.width);
  const head = topLines(snap, rows, view, paint).map((segments) => fitLine(segments, view.width));
  const body = bodyLines(rows, snap, tracker, view, c, paint);
  const room = Math.max(1, view.height - head.length - 2);
  const maxScroll = Math.max(0, body.length - room);
  const scroll = Math.max(0, Math.min(view.scroll, maxScroll));
  const shown = body.slice(scroll, scroll + room);
  while (shown.length < room) shown.push('');
  const more = body.length > scroll + room ? `  (${body.length - scroll - room} more lines)` : '';
  const status = fitLine([[view.status, paint.dim], [more]], view.width);
  return { lines: [...head, headerLine(c, view.width, paint), ...shown, status], scroll, maxScroll };
}
