/**
 * State anomalies: accumulations of TCP states that point to bugs or attacks.
 * @module
 */
import { type AnalysisOptions, type ResolvedAnalysisOptions, resolveAnalysisOptions } from './options.js';
import { formatDuration, sendQueue, traceOf } from './queue-trace.js';
import {
  findListener,
  formatEndpoint,
  type InetRow,
  indexListeners,
  inetRows,
  type ListenerIndex,
  makeFinding,
  maxOf,
  nsKey,
  ownersOf,
  plural,
  processesOf,
  processLabel,
  recordOf,
  toFindingSocket,
} from './socket-ref.js';
import { type SocketTrack, sortSamples, trackSockets, trailingRun } from './track-sockets.js';
import type { AnalysisSocket, Finding, Sample, Severity } from './types.js';

const CLOSING_STATES = new Set(['FIN_WAIT1', 'CLOSING', 'LAST_ACK']);

function isSamples(input: readonly AnalysisSocket[] | readonly Sample[]): input is readonly Sample[] {
  const first = input[0] as unknown;
  return typeof first === 'object' && first !== null && 'sockets' in first && 'time' in first;
}

function byCount(count: number, warning: number, critical: number): Severity | undefined {
  return count >= critical ? 'critical' : count >= warning ? 'warning' : undefined;
}

/** `60 %`, `4.2 %`, `0.01 %`. */
function percent(ratio: number): string {
  const p = ratio * 100;
  return `${p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toFixed(2)} %`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** How long each current socket has been in its present state, by row: from the samples (0 with one snapshot). */
function stateAges(tracks: readonly SocketTrack[]): Map<InetRow, number> {
  const ages = new Map<InetRow, number>();
  for (const t of tracks) {
    if (!t.current) continue;
    const last = (t.points[t.points.length - 1] as { socket: InetRow }).socket;
    const run = trailingRun(t.points, (s) => s.state === last.state && recordOf(s) === recordOf(last));
    ages.set(last, (run[run.length - 1] as { time: number }).time - (run[0] as { time: number }).time);
  }
  return ages;
}

function closeWait(
  rows: readonly InetRow[],
  listeners: ListenerIndex,
  ages: Map<InetRow, number>,
  o: ResolvedAnalysisOptions,
): Finding[] {
  const groups = new Map<string, { label: string; rows: InetRow[] }>();
  for (const s of rows) {
    if (s.protocol !== 'tcp' || s.record !== 'socket' || s.state !== 'CLOSE_WAIT') continue;
    const owners = ownersOf(s);
    let key: string;
    let label: string;
    if (owners !== null && owners.length > 0) {
      key = `p\n${[...new Set(owners.map((w) => w.pid))].sort((a, b) => a - b).join(',')}`;
      label = '';
    } else {
      const listener = findListener(listeners, s);
      if (listener !== undefined) {
        key = `l\n${listener.kind}\n${formatEndpoint(listener.local)}`;
        label = `of the service on ${listener.kind} ${formatEndpoint(listener.local)}`;
      } else {
        key = `r\n${s.kind}\n${formatEndpoint(s.remote)}`;
        label = `to ${formatEndpoint(s.remote)}`;
      }
    }
    key = `${nsKey(s)}\n${key}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { label, rows: [s] });
    else g.rows.push(s);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const count = g.rows.length;
    const oldest = maxOf(g.rows, (s) => ages.get(s) ?? 0);
    let severity = byCount(count, o.closeWaitWarning, o.closeWaitCritical);
    if (severity === undefined && oldest >= o.closeWaitPersistMs) severity = 'warning';
    if (severity === undefined) continue;
    const processes = processesOf(g.rows);
    const who = processes.length > 0 ? `of ${processLabel(processes)}` : g.label;
    const peers = new Set(g.rows.map((s) => s.remote.address)).size;
    const age = oldest > 0 ? `, the oldest seen for ${formatDuration(oldest)}` : '';
    out.push(
      makeFinding(
        'close-wait-leak',
        severity,
        `${plural(count, 'connection')} ${who} in CLOSE_WAIT${age}.`,
        g.rows.map((s) => toFindingSocket(s)),
        processes,
        {
          closeWait: count,
          oldestMs: oldest,
          peers,
          unreadBytes: g.rows.reduce((sum, s) => sum + Math.max(s.rxQueue - 1, 0), 0),
        },
      ),
    );
  }
  return out.sort((a, b) => (b.evidence.closeWait as number) - (a.evidence.closeWait as number));
}

function synRecv(rows: readonly InetRow[], listeners: ListenerIndex, o: ResolvedAnalysisOptions): Finding[] {
  const groups = new Map<string, { listener: InetRow | undefined; rows: InetRow[] }>();
  for (const s of rows) {
    if (s.protocol !== 'tcp' || s.state !== 'SYN_RECV') continue;
    const listener = findListener(listeners, s);
    const key = `${nsKey(s)}\n${listener ? `l\n${listener.kind}\n${formatEndpoint(listener.local)}` : `s\n${s.kind}\n${formatEndpoint(s.local)}`}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { listener, rows: [s] });
    else g.rows.push(s);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const count = g.rows.length;
    const severity = byCount(count, o.synRecvWarning, o.synRecvCritical);
    if (severity === undefined) continue;
    const where = g.listener ?? (g.rows[0] as InetRow);
    const processes = g.listener ? processesOf([g.listener]) : [];
    const retransmitted = g.rows.filter((s) => s.retransmits > 0).length;
    const sources = new Set(g.rows.map((s) => s.remote.address)).size;
    out.push(
      makeFinding(
        'syn-recv-flood',
        severity,
        `${plural(count, 'half-open connection')} (SYN_RECV) on ${where.kind} ${formatEndpoint(where.local)}${processes.length > 0 ? ` of ${processLabel(processes)}` : ''}, from ${plural(sources, 'address', 'addresses')}; ${retransmitted} had the SYN-ACK retransmitted.`,
        g.rows.map((s) => toFindingSocket(s)),
        processes,
        {
          synRecv: count,
          retransmitted,
          sources,
          listener: g.listener ? formatEndpoint(g.listener.local) : null,
          acceptQueue: g.listener ? g.listener.rxQueue : null,
        },
      ),
    );
  }
  return out.sort((a, b) => (b.evidence.synRecv as number) - (a.evidence.synRecv as number));
}

function timeWait(rows: readonly InetRow[], o: ResolvedAnalysisOptions): Finding[] {
  const [from, to] = o.localPortRange;
  const size = to - from + 1;
  const byNamespace = new Map<string, InetRow[]>();
  for (const s of rows) {
    if (s.protocol === 'tcp' && s.record === 'timewait' && s.state === 'TIME_WAIT') push(byNamespace, nsKey(s), s);
  }
  const out: Finding[] = [];
  for (const all of byNamespace.values()) {
    const destinations = new Map<string, InetRow[]>();
    let ephemeral = 0;
    for (const s of all) {
      if (s.local.port < from || s.local.port > to) continue;
      ephemeral++;
      push(destinations, `${s.local.address}\n${formatEndpoint(s.remote)}`, s);
    }
    let busiest: InetRow[] = [];
    for (const list of destinations.values()) if (list.length > busiest.length) busiest = list;
    const ratio = busiest.length / size;
    const severity =
      ratio >= o.timeWaitCriticalRatio ? 'critical' : ratio >= o.timeWaitWarningRatio ? 'warning' : undefined;
    if (severity === undefined || busiest.length === 0) continue;
    const first = busiest[0] as InetRow;
    out.push(
      makeFinding(
        'time-wait-ports',
        severity,
        `TIME_WAIT from ${first.local.address} to ${formatEndpoint(first.remote)}: ${plural(busiest.length, 'local port')}, ${percent(ratio)} of the local port range ${from}-${to} (${size} ports); ${all.length} TIME_WAIT in all, ${ephemeral} on local ports in the range.`,
        busiest.map((s) => toFindingSocket(s)),
        [],
        {
          busiestDestination: formatEndpoint(first.remote),
          busiestDestinationTimeWait: busiest.length,
          portRangeSize: size,
          ratio,
          timeWaitTotal: all.length,
          timeWaitEphemeral: ephemeral,
          destinations: destinations.size,
        },
      ),
    );
  }
  return out;
}

function orphanFinWait2(rows: readonly InetRow[], o: ResolvedAnalysisOptions): Finding[] {
  const byNamespace = new Map<string, InetRow[]>();
  for (const s of rows) {
    if (s.protocol === 'tcp' && s.record === 'timewait' && s.state === 'FIN_WAIT2') push(byNamespace, nsKey(s), s);
  }
  const out: Finding[] = [];
  for (const list of byNamespace.values()) {
    const severity = byCount(list.length, o.orphanFinWait2Warning, o.orphanFinWait2Critical);
    if (severity === undefined) continue;
    const peers = new Set(list.map((s) => s.remote.address)).size;
    const ports = new Map<number, number>();
    for (const s of list) ports.set(s.local.port, (ports.get(s.local.port) ?? 0) + 1);
    let topPort = 0;
    let topCount = 0;
    for (const [port, n] of ports) if (n > topCount) [topPort, topCount] = [port, n];
    out.push(
      makeFinding(
        'orphaned-fin-wait2',
        severity,
        `${plural(list.length, 'orphaned FIN_WAIT2 connection')} (closed here, never closed by the peer), to ${plural(peers, 'peer address', 'peer addresses')}.`,
        list.map((s) => toFindingSocket(s)),
        [],
        { orphanFinWait2: list.length, peers, topLocalPort: topPort, topLocalPortCount: topCount },
      ),
    );
  }
  return out;
}

function stuckClosing(tracks: readonly SocketTrack[], o: ResolvedAnalysisOptions): Finding[] {
  const byNamespace = new Map<string, { socket: InetRow; trace: ReturnType<typeof traceOf> }[]>();
  for (const t of tracks) {
    if (!t.current) continue;
    const last = (t.points[t.points.length - 1] as { socket: InetRow }).socket;
    if (last.protocol !== 'tcp' || last.record !== 'socket' || !CLOSING_STATES.has(last.state)) continue;
    // Not moving: the same closing state, and the send queue never went down.
    let run = trailingRun(t.points, (s) => recordOf(s) === 'socket' && s.state === last.state);
    for (let i = run.length - 1; i > 0; i--) {
      if ((run[i] as { socket: InetRow }).socket.txQueue < (run[i - 1] as { socket: InetRow }).socket.txQueue) {
        run = run.slice(i);
        break;
      }
    }
    if (run.length < 2) continue;
    const trace = traceOf(run, 'send', (s) => sendQueue(s, true) ?? 0);
    if (trace.durationMs < o.stuckClosingMs) continue;
    push(byNamespace, nsKey(last), { socket: last, trace });
  }
  const out: Finding[] = [];
  for (const hits of byNamespace.values()) {
    hits.sort((a, b) => b.trace.durationMs - a.trace.durationMs);
    const rows = hits.map((h) => h.socket);
    const states: Record<string, number> = { FIN_WAIT1: 0, CLOSING: 0, LAST_ACK: 0 };
    for (const s of rows) states[s.state] = (states[s.state] ?? 0) + 1;
    const longest = (hits[0] as { trace: { durationMs: number } }).trace.durationMs;
    const parts = Object.entries(states)
      .filter(([, n]) => n > 0)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ');
    const processes = processesOf(rows);
    out.push(
      makeFinding(
        'stuck-closing',
        'warning',
        `${plural(rows.length, 'closing connection')} (${parts}) made no progress for up to ${formatDuration(longest)}.`,
        hits.map((h) => toFindingSocket(h.socket, h.trace)),
        processes,
        {
          stuck: rows.length,
          finWait1: states.FIN_WAIT1 ?? 0,
          closing: states.CLOSING ?? 0,
          lastAck: states.LAST_ACK ?? 0,
          longestMs: longest,
          unsentBytes: hits.reduce((sum, h) => sum + h.trace.last, 0),
          zeroWindowProbing: rows.filter((s) => s.timer.kind === 'probe').length,
        },
      ),
    );
  }
  return out;
}

/**
 * State anomalies, from one snapshot (an array of sockets) or from samples (the last one is counted; the earlier ones
 * tell how long sockets have been in their state):
 * - `close-wait-leak`: CLOSE_WAIT per process (or, owners unknown, per local service or remote endpoint), from
 *   `closeWaitWarning`/`closeWaitCritical` sockets, or any seen for `closeWaitPersistMs`;
 * - `syn-recv-flood`: SYN_RECV request sockets per listener, from `synRecvWarning`/`synRecvCritical`;
 * - `time-wait-ports`: TIME_WAIT sockets on local ports in `localPortRange`, towards the busiest destination, as a share
 *   of the range, from `timeWaitWarningRatio`/`timeWaitCriticalRatio`;
 * - `orphaned-fin-wait2`: FIN_WAIT2 mini-sockets, from `orphanFinWait2Warning`/`orphanFinWait2Critical`;
 * - `stuck-closing` (samples only): FIN_WAIT1, CLOSING and LAST_ACK connections whose state and send queue did not
 *   move for `stuckClosingMs`.
 *
 * @throws {RangeError} for a bad option or a sample time that is not a finite number.
 */
export function analyzeStates(
  input: readonly AnalysisSocket[] | readonly Sample[],
  options?: AnalysisOptions,
): Finding[] {
  const o = resolveAnalysisOptions(options);
  if (input.length === 0) return [];
  if (!isSamples(input)) return stateFindings(inetRows(input as readonly AnalysisSocket[]), null, o);
  const samples = sortSamples(input);
  const rows = inetRows((samples[samples.length - 1] as Sample).sockets);
  return stateFindings(rows, samples.length > 1 ? trackSockets(samples) : null, o);
}

/**
 * {@link analyzeStates} on the rows of the last sample and the tracks already built from every sample (`null` for a
 * single snapshot), shared with `diagnose`.
 */
export function stateFindings(
  rows: readonly InetRow[],
  tracks: readonly SocketTrack[] | null,
  o: ResolvedAnalysisOptions,
): Finding[] {
  const listeners = indexListeners(rows);
  return [
    ...closeWait(rows, listeners, tracks === null ? new Map() : stateAges(tracks), o),
    ...synRecv(rows, listeners, o),
    ...timeWait(rows, o),
    ...orphanFinWait2(rows, o),
    ...(tracks === null ? [] : stuckClosing(tracks, o)),
  ];
}
