/**
 * The one pass over the rows of a read: counts by table and state, listeners and their accept queues, connections
 * per listening port, sockets per process, queue bytes, datagram drops and, when asked, remote addresses. Everything
 * the socket families need comes from here; it keeps only small maps (keyed by states, ports, listeners, process
 * names), never the rows.
 * @module
 */
import type { FoundSocket } from '../node/index.js';

/** Sockets by state name, per table kind. */
type StateCounts = Map<string, number>;

/** A TCP listener (or several bound to one address and port with SO_REUSEPORT: their queues are summed). */
export interface ListenerQueue {
  kind: string;
  address: string;
  port: number;
  queue: number;
}

/** What one network namespace's rows add up to. */
export interface SocketAggregate {
  /** kind → state → sockets. */
  states: Map<string, StateCounts>;
  /** `kind address port` → listener. */
  listeners: Map<string, ListenerQueue>;
  /** kind → local port → state → TCP rows that are not listeners (kept for ports with a listener at the end). */
  ports: Map<string, Map<number, StateCounts>>;
  /** kind → ports with a TCP listener. */
  listening: Map<string, Set<number>>;
  /** process name (comm, or `null` for none known) → state → sockets; `null` when owners were not read. */
  processes: Map<string | null, StateCounts> | null;
  /** kind → [rx bytes, tx bytes]. */
  queues: Map<string, [number, number]>;
  /** kind → drops summed over the datagram sockets. */
  drops: Map<string, number>;
  /** kind → remote address → TCP connections; only when remote addresses are asked for. */
  remotes: Map<string, Map<string, number>> | null;
}

function emptyAggregate(owners: boolean, remotes: boolean): SocketAggregate {
  return {
    states: new Map(),
    listeners: new Map(),
    ports: new Map(),
    listening: new Map(),
    processes: owners ? new Map() : null,
    queues: new Map(),
    drops: new Map(),
    remotes: remotes ? new Map() : null,
  };
}

function bump(counts: StateCounts, state: string, n = 1): void {
  counts.set(state, (counts.get(state) ?? 0) + n);
}

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

const TCP_LABEL: Record<string, string> = {};

/** The `state` label of a row: lower-case kernel TCP state, datagram `connected`/`unconnected`, unix `listen` or its state. */
export function stateLabel(row: FoundSocket): string {
  if (row.kind === 'unix') return row.listening ? 'listen' : row.state;
  if (row.protocol !== 'tcp') return row.state;
  const state = row.state as string;
  let label = TCP_LABEL[state];
  if (label === undefined) {
    label = state.toLowerCase();
    TCP_LABEL[state] = label;
  }
  return label;
}

function addProcesses(processes: Map<string | null, StateCounts>, row: FoundSocket, state: string): void {
  const owners = row.owners;
  if (owners === null) return;
  if (owners.length === 0) {
    bump(
      child(processes, null, () => new Map()),
      state,
    );
    return;
  }
  // A socket held by several processes counts once per distinct name (a pre-fork server's workers share it).
  for (let i = 0; i < owners.length; i++) {
    const comm = (owners[i] as { comm: string | null }).comm;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = (owners[j] as { comm: string | null }).comm === comm;
    if (!seen)
      bump(
        child(processes, comm, () => new Map()),
        state,
      );
  }
}

/**
 * Adds up the rows of a read, per network namespace (the `namespace` field of each row, `null` when it has none or
 * `byNamespace` is false). `owners`: the rows carry owners (`processes: true`). `remotes`: count TCP connections by
 * remote address too.
 */
export function aggregateSockets(
  rows: Iterable<FoundSocket>,
  options: { byNamespace: boolean; owners: boolean; remotes: boolean },
): Map<string | null, SocketAggregate> {
  const out = new Map<string | null, SocketAggregate>();
  let lastNs: string | null | undefined;
  let agg: SocketAggregate | undefined;
  for (const row of rows) {
    const ns = options.byNamespace ? row.namespace : null;
    if (agg === undefined || ns !== lastNs) {
      agg = child(out, ns, () => emptyAggregate(options.owners, options.remotes));
      lastNs = ns;
    }
    const kind = row.kind;
    const state = stateLabel(row);
    bump(
      child(agg.states, kind, () => new Map()),
      state,
    );
    if (agg.processes !== null) addProcesses(agg.processes, row, state);
    if (kind === 'unix') continue;
    const queues = child(agg.queues, kind, () => [0, 0] as [number, number]);
    queues[1] += row.txQueue;
    if (row.protocol === 'tcp') {
      const port = row.local.port;
      if (row.state === 'LISTEN') {
        const key = `${kind} ${row.local.address} ${port}`;
        const l = agg.listeners.get(key);
        if (l === undefined) agg.listeners.set(key, { kind, address: row.local.address, port, queue: row.rxQueue });
        else l.queue += row.rxQueue;
        child(agg.listening, kind, () => new Set()).add(port);
        continue;
      }
      queues[0] += row.rxQueue;
      bump(
        child(
          child(agg.ports, kind, () => new Map()),
          port,
          () => new Map(),
        ),
        state,
      );
      if (agg.remotes !== null) {
        const remotes = child(agg.remotes, kind, () => new Map<string, number>());
        const address = row.remote.address;
        remotes.set(address, (remotes.get(address) ?? 0) + 1);
      }
    } else {
      queues[0] += row.rxQueue;
      if (row.drops !== null) agg.drops.set(kind, (agg.drops.get(kind) ?? 0) + row.drops);
    }
  }
  return out;
}
