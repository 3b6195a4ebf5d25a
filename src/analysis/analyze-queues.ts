/**
 * Queue health: Recv-Q and Send-Q that stay non-zero across samples.
 * @module
 */
import { compareFindings, type FindingId } from './findings.js';
import { type AnalysisOptions, type ResolvedAnalysisOptions, resolveAnalysisOptions } from './options.js';
import { formatDuration, receiveQueue, sendQueue, traceOf } from './queue-trace.js';
import {
  connectionText,
  formatEndpoint,
  type InetRow,
  localText,
  makeFinding,
  maxOf,
  minOf,
  nsKey,
  ownersOf,
  plural,
  processesOf,
  processLabel,
  toFindingSocket,
} from './socket-ref.js';
import { type SocketTrack, sortSamples, trackSockets, trailingRun } from './track-sockets.js';
import type { Finding, FindingSocket, QueueTrace, Sample } from './types.js';

interface Hit {
  socket: InetRow;
  trace: QueueTrace;
}

const UNIT_TEXT = { bytes: 'bytes', connections: 'connections', memory: 'bytes of buffer memory' } as const;

/** Who a group of sockets belongs to: its processes when known, else its local endpoint (a group never mixes units). */
function groupKey(s: InetRow): string {
  const owners = ownersOf(s);
  if (owners !== null && owners.length > 0) {
    return `${nsKey(s)}\np\n${[...new Set(owners.map((o) => o.pid))].sort((a, b) => a - b).join(',')}`;
  }
  return `${nsKey(s)}\nl\n${s.kind}\n${localText(s)}`;
}

function range(min: number, max: number): string {
  return min === max ? String(min) : `${min} to ${max}`;
}

function persistentRun(
  track: SocketTrack,
  value: (s: InetRow) => number | null,
  queue: 'receive' | 'send',
  o: ResolvedAnalysisOptions,
): QueueTrace | undefined {
  if (!track.current) return undefined;
  const run = trailingRun(track.points, (s) => (value(s) ?? 0) > 0);
  if (run.length < o.queueMinSamples) return undefined;
  const trace = traceOf(run, queue, (s) => value(s) ?? 0);
  return trace.durationMs >= o.queueMinDurationMs ? trace : undefined;
}

function findingOf(id: FindingId, hits: Hit[], o: ResolvedAnalysisOptions): Finding {
  hits.sort((a, b) => b.trace.max - a.trace.max || b.trace.durationMs - a.trace.durationMs);
  const rows = hits.map((h) => h.socket);
  const processes = processesOf(rows);
  const sockets: FindingSocket[] = hits.map((h) => toFindingSocket(h.socket, h.trace));
  const longest = maxOf(hits, (h) => h.trace.durationMs);
  const min = minOf(hits, (h) => h.trace.min);
  const max = maxOf(hits, (h) => h.trace.max);
  const growing = hits.filter((h) => h.trace.trend === 'growing').length;
  const steady = hits.filter((h) => h.trace.trend === 'steady').length;
  const unit = (hits[0] as Hit).trace.unit;
  const first = rows[0] as InetRow;
  const owner = processes.length > 0 ? processLabel(processes) : undefined;
  const trend = growing === hits.length ? ', growing' : steady === hits.length ? ', not moving' : '';
  const amount = max === 1 && unit === 'connections' ? '1 connection' : `${range(min, max)} ${UNIT_TEXT[unit]}`;
  const during = `for ${formatDuration(longest)}${trend}`;
  const what =
    id === 'accept-queue-backlog'
      ? 'waiting to be accepted'
      : id === 'recv-queue-backlog'
        ? 'unread'
        : 'not acknowledged';
  let summary: string;
  if (id === 'accept-queue-backlog' && hits.length === 1) {
    summary = `Listener ${first.kind} ${formatEndpoint(first.local)}${owner ? ` of ${owner}` : ''}: ${amount} ${what} ${during}.`;
  } else if (id === 'accept-queue-backlog') {
    summary = `${owner ?? `${first.kind} ${formatEndpoint(first.local)}`}: ${plural(hits.length, 'listener')} with ${amount} ${what} ${during}.`;
  } else if (hits.length === 1) {
    summary = `${owner ? `${owner}, ` : ''}${connectionText(first)}: ${amount} ${what} ${during}.`;
  } else {
    summary = `${owner ?? `${first.kind} ${localText(first)}`}: ${plural(hits.length, 'socket')} with ${amount} ${what} ${during}.`;
  }
  return makeFinding(id, longest >= o.queueCriticalMs ? 'critical' : 'warning', summary, sockets, processes, {
    sockets: hits.length,
    unit,
    minQueue: min,
    maxQueue: max,
    lastTotal: hits.reduce((sum, h) => sum + h.trace.last, 0),
    longestMs: longest,
    growing,
    steady,
    samples: maxOf(hits, (h) => h.trace.samples),
  });
}

/**
 * Sockets whose Recv-Q or Send-Q stayed non-zero over the last samples (at least `queueMinSamples` samples spanning
 * `queueMinDurationMs`; a queue that drained by the last sample is not reported): `accept-queue-backlog` (a TCP
 * listener's accept queue), `recv-queue-backlog` (unread data), `send-queue-backlog` (unacknowledged data; connections
 * closing from our side are left to `analyzeStates`' `stuck-closing`). Sockets are matched across samples by inode, or
 * by address tuple where the inode is 0. One finding per process (or per local endpoint when owners are unknown), the
 * largest first; each socket carries its `trace` (first, last, min, max, trend, duration). Fewer than two samples give
 * no finding.
 *
 * @throws {RangeError} for a bad option or a sample time that is not a finite number.
 */
export function analyzeQueues(samples: readonly Sample[], options?: AnalysisOptions): Finding[] {
  const o = resolveAnalysisOptions(options);
  const sorted = sortSamples(samples);
  return sorted.length < 2 ? [] : queueFindings(trackSockets(sorted), o);
}

/** {@link analyzeQueues} on tracks already built (shared with `diagnose`). */
export function queueFindings(tracks: readonly SocketTrack[], o: ResolvedAnalysisOptions): Finding[] {
  const groups = new Map<string, { id: FindingId; hits: Hit[] }>();
  const add = (id: FindingId, socket: InetRow, trace: QueueTrace) => {
    const key = `${id}\n${trace.unit}\n${groupKey(socket)}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { id, hits: [{ socket, trace }] });
    else g.hits.push({ socket, trace });
  };
  for (const track of tracks) {
    if (!track.current || track.points.length < 2) continue;
    const last = (track.points[track.points.length - 1] as { socket: InetRow }).socket;
    const recv = persistentRun(track, receiveQueue, 'receive', o);
    if (recv !== undefined) {
      const listener = last.protocol === 'tcp' && last.state === 'LISTEN';
      add(listener ? 'accept-queue-backlog' : 'recv-queue-backlog', last, recv);
    }
    const send = persistentRun(track, (s) => sendQueue(s), 'send', o);
    if (send !== undefined) add('send-queue-backlog', last, send);
  }
  const findings = [...groups.values()].map((g) => findingOf(g.id, g.hits, o));
  return findings.sort(
    (a, b) =>
      compareFindings(a, b) ||
      (b.evidence.maxQueue as number) - (a.evidence.maxQueue as number) ||
      (a.summary < b.summary ? -1 : a.summary > b.summary ? 1 : 0),
  );
}
