/**
 * Helpers shared by the analyses: picking inet rows, describing sockets and processes in findings.
 * @module
 */
import type { Endpoint, InetSocket } from '../types.js';
import { FINDINGS, type FindingId } from './findings.js';
import type {
  AnalysisSocket,
  Finding,
  FindingEvidence,
  FindingProcess,
  FindingSocket,
  QueueTrace,
  Severity,
  SocketOwnerInfo,
} from './types.js';

/** An inet row with the optional fields of the node layer. */
export type InetRow = InetSocket & {
  owners?: readonly SocketOwnerInfo[] | null | undefined;
  namespace?: string | null | undefined;
};

/** The inet rows of a list (unix rows dropped). */
export function inetRows(sockets: readonly AnalysisSocket[]): InetRow[] {
  const out: InetRow[] = [];
  for (const s of sockets) if (s.kind !== 'unix') out.push(s as InetRow);
  return out;
}

/**
 * An endpoint as the findings' summaries write it: `127.0.0.1:80`, `[::1]:80` (an IPv6 address in brackets). For
 * your own text about a finding's sockets (`FindingSocket.local`, `Listener.local`) in the same words.
 */
export function formatEndpoint(e: Endpoint): string {
  return e.family === 'IPv6' ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/** The local side of a row: `127.0.0.1:80`, `[::1]:53`; a raw socket's IP protocol instead of a port (`0.0.0.0 proto 1`). */
export function localText(s: InetRow): string {
  if (s.protocol === 'raw') {
    return `${s.local.family === 'IPv6' ? `[${s.local.address}]` : s.local.address} proto ${s.ipProtocol}`;
  }
  return formatEndpoint(s.local);
}

/** `tcp local 127.0.0.1:40001, peer 127.0.0.1:40011`; no peer for an unconnected socket, no port for a raw one. */
export function connectionText(s: InetRow): string {
  const r = s.remote;
  const unconnected = r.port === 0 && (r.address === '0.0.0.0' || r.address === '::');
  const peer = s.protocol === 'raw' ? (r.family === 'IPv6' ? `[${r.address}]` : r.address) : formatEndpoint(r);
  return `${s.kind} local ${localText(s)}${unconnected ? '' : `, peer ${peer}`}`;
}

/** The namespace of a row, `null` when it has none. */
export function namespaceOf(s: InetRow): string | null {
  return s.namespace ?? null;
}

/** The owners of a row: `null` when unknown. */
export function ownersOf(s: InetRow): readonly SocketOwnerInfo[] | null {
  return s.owners ?? null;
}

/** A socket as findings name it. */
export function toFindingSocket(s: InetRow, trace?: QueueTrace): FindingSocket {
  const owners = ownersOf(s);
  const ref: FindingSocket = {
    kind: s.kind,
    state: s.state,
    local: s.local,
    remote: s.remote,
    inode: s.inode,
    rxQueue: s.rxQueue,
    txQueue: s.txQueue,
    namespace: namespaceOf(s),
    pids: owners === null ? null : [...new Set(owners.map((o) => o.pid))].sort((a, b) => a - b),
  };
  if (trace !== undefined) ref.trace = trace;
  return ref;
}

/** The processes holding any of these rows, by pid, with how many of the rows each holds. */
export function processesOf(rows: readonly InetRow[]): FindingProcess[] {
  const byPid = new Map<number, FindingProcess>();
  for (const s of rows) {
    const owners = ownersOf(s);
    if (owners === null) continue;
    const seen = new Set<number>();
    for (const o of owners) {
      let p = byPid.get(o.pid);
      if (p === undefined) {
        p = { pid: o.pid, comm: o.comm ?? null, cmdline: o.cmdline ?? null, uid: o.uid ?? null, sockets: 0 };
        byPid.set(o.pid, p);
      }
      if (!seen.has(o.pid)) {
        seen.add(o.pid);
        p.sockets++;
      }
    }
  }
  return [...byPid.values()].sort((a, b) => a.pid - b.pid);
}

/** `nginx (pid 812)`, `nginx (pids 812, 813)`, `nginx (pid 812) and 2 more`. */
export function processLabel(processes: readonly FindingProcess[]): string {
  if (processes.length === 0) return 'an unknown process';
  const names = [...new Set(processes.map((p) => p.comm ?? '?'))];
  if (names.length === 1) {
    const pids = processes.map((p) => p.pid);
    return `${names[0]} (pid${pids.length > 1 ? 's' : ''} ${pids.slice(0, 4).join(', ')}${pids.length > 4 ? ', ...' : ''})`;
  }
  const first = processes[0] as FindingProcess;
  return `${first.comm ?? '?'} (pid ${first.pid}) and ${processes.length - 1} more`;
}

/** `1 socket`, `3 sockets`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Builds a finding with its catalogue texts. */
export function makeFinding(
  id: FindingId,
  severity: Severity,
  summary: string,
  sockets: FindingSocket[],
  processes: FindingProcess[],
  evidence: FindingEvidence,
): Finding {
  const info = FINDINGS[id];
  return {
    id,
    severity,
    title: info.title,
    summary,
    explanation: info.explanation,
    nextStep: info.nextStep,
    sockets,
    processes,
    evidence,
  };
}

/** A key that tells namespaces apart (empty when the row has none). */
export function nsKey(s: InetRow): string {
  return s.namespace ?? '';
}

/** TCP listeners by local port, for {@link findListener}. */
export type ListenerIndex = ReadonlyMap<number, readonly InetRow[]>;

/** Indexes the TCP listeners (`LISTEN` full sockets) of a list by local port. */
export function indexListeners(rows: readonly InetRow[]): ListenerIndex {
  const index = new Map<number, InetRow[]>();
  for (const s of rows) {
    if (s.protocol !== 'tcp' || s.record !== 'socket' || s.state !== 'LISTEN') continue;
    const list = index.get(s.local.port);
    if (list === undefined) index.set(s.local.port, [s]);
    else list.push(s);
  }
  return index;
}

/** The TCP listener a request socket or a connection's server side belongs to: same port, same or wildcard address. */
export function findListener(listeners: ListenerIndex, s: InetRow): InetRow | undefined {
  let wildcard: InetRow | undefined;
  for (const l of listeners.get(s.local.port) ?? []) {
    if (nsKey(l) !== nsKey(s)) continue;
    if (l.local.address === s.local.address && l.family === s.family) return l;
    if (wildcard !== undefined) continue;
    const a = l.local.address;
    if (a === '0.0.0.0' && (s.family === 'IPv4' || s.local.address.startsWith('::ffff:'))) wildcard = l;
    else if (a === '::' && l.family === 'IPv6') wildcard = l;
  }
  return wildcard;
}

/** The largest of `f(item)` over a list (`-Infinity` when empty), without spreading it into arguments. */
export function maxOf<T>(items: readonly T[], f: (item: T) => number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const v = f(item);
    if (v > m) m = v;
  }
  return m;
}

/** The smallest of `f(item)` over a list (`Infinity` when empty). */
export function minOf<T>(items: readonly T[], f: (item: T) => number): number {
  return -maxOf(items, (item) => -f(item));
}

/** The TCP record kind of a row (`socket`, `request`, `timewait`), `datagram` for the other tables. */
export function recordOf(s: InetRow): 'socket' | 'request' | 'timewait' | 'datagram' {
  return s.protocol === 'tcp' ? s.record : 'datagram';
}
