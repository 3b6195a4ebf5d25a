/**
 * The one pass over a namespace's sockets, batch by batch as they are read ({@link ColumnsAggregate}): counts by table
 * and state, listeners and their accept queues, connections per listening port, sockets per process, queue bytes,
 * datagram drops and, when asked, remote addresses. Everything the socket families need comes from here; it keeps only
 * small maps (keyed by states, ports, listeners, process names), never the sockets.
 * @module
 */
import type { DatagramColumns, InetColumns } from '../column-types.js';
import type { FoundSocket, SocketColumns, SocketOwner } from '../node/index.js';

/** `ports` keys: `port * PORT_KEY + state index` (fewer than 64 TCP state labels: the kernel has 11, and `unknown`). */
const PORT_KEY = 64;

/** `st` of a TCP listener. */
const TCP_LISTEN = 10;

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
  /**
   * kind → `port * PORT_KEY + i` → TCP rows that are not listeners on that local port in state `portStates[i]` (all
   * kept: a port may get its listener later in the table; {@link listeningPorts} gives those with one). Flat number
   * keys, not a map per port: a busy client holds tens of thousands of ephemeral ports.
   */
  ports: Map<string, Map<number, number>>;
  /** The state labels the keys of `ports` index, in order of first use. */
  portStates: string[];
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

/** kind → local port with a TCP listener → state → connections on it (`procnet_service_connections`). */
export function listeningPorts(agg: SocketAggregate): Map<string, Map<number, StateCounts>> {
  const out = new Map<string, Map<number, StateCounts>>();
  for (const [kind, ports] of agg.ports) {
    const listening = agg.listening.get(kind);
    if (listening === undefined) continue;
    const byPort = child(out, kind, newPortCounts);
    // forEach, not for-of over entries: no [key, value] array per port.
    ports.forEach((n, key) => {
      const port = Math.floor(key / PORT_KEY);
      if (listening.has(port)) bump(child(byPort, port, newCounts), agg.portStates[key % PORT_KEY] as string, n);
    });
  }
  return out;
}

function emptyAggregate(owners: boolean, remotes: boolean): SocketAggregate {
  return {
    states: new Map(),
    listeners: new Map(),
    ports: new Map(),
    portStates: [],
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

/**
 * The makers `child` is given, made once: an arrow written at the call would be a new function object per socket (a
 * profile of a 100k-socket scrape found them to be most of its garbage).
 */
const newCounts = (): StateCounts => new Map();
const newPorts = (): Map<number, number> => new Map();
const newPortCounts = (): Map<number, StateCounts> => new Map();
const newPortSet = (): Set<number> => new Set();
const newRemotes = (): Map<string, number> => new Map();
const newPair = (): [number, number] => [0, 0];

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

/** Counts a socket held by `owners` (`[]`: none known, counted under `null`) in `state`. */
function addProcesses(
  processes: Map<string | null, StateCounts>,
  owners: readonly { comm: string | null }[],
  state: string,
): void {
  if (owners.length === 0) {
    bump(child(processes, null, newCounts), state);
    return;
  }
  // A socket held by several processes counts once per distinct name (a pre-fork server's workers share it).
  for (let i = 0; i < owners.length; i++) {
    const comm = (owners[i] as { comm: string | null }).comm;
    let seen = false;
    for (let j = 0; j < i && !seen; j++) seen = (owners[j] as { comm: string | null }).comm === comm;
    if (!seen) bump(child(processes, comm, newCounts), state);
  }
}

/**
 * One socket as the aggregation reads it: a row's fields, or a columns table's at one index (one object reused per
 * table, so columns make no object per socket). Addresses are asked for only when needed (listeners; remotes).
 */
interface SocketFacts {
  kind: string;
  /** The `state` label ({@link stateLabel}). */
  state: string;
  tcp: boolean;
  listen: boolean;
  port: number;
  rx: number;
  tx: number;
  /** Datagram drops, `null` for TCP or a kernel that does not print them. */
  drops: number | null;
  localAddress(): string;
  remoteAddress(): string;
}

function addSocket(agg: SocketAggregate, f: SocketFacts): void {
  const kind = f.kind;
  bump(child(agg.states, kind, newCounts), f.state);
  if (kind === 'unix') return;
  const queues = child(agg.queues, kind, newPair);
  queues[1] += f.tx;
  if (f.tcp) {
    const port = f.port;
    if (f.listen) {
      const address = f.localAddress();
      const key = `${kind} ${address} ${port}`;
      const l = agg.listeners.get(key);
      if (l === undefined) agg.listeners.set(key, { kind, address, port, queue: f.rx });
      else l.queue += f.rx;
      child(agg.listening, kind, newPortSet).add(port);
      return;
    }
    queues[0] += f.rx;
    let state = agg.portStates.indexOf(f.state);
    if (state < 0) state = agg.portStates.push(f.state) - 1;
    const ports = child(agg.ports, kind, newPorts);
    const key = port * PORT_KEY + state;
    ports.set(key, (ports.get(key) ?? 0) + 1);
    if (agg.remotes !== null) {
      const remotes = child(agg.remotes, kind, newRemotes);
      const address = f.remoteAddress();
      remotes.set(address, (remotes.get(address) ?? 0) + 1);
    }
  } else {
    queues[0] += f.rx;
    if (f.drops !== null) agg.drops.set(kind, (agg.drops.get(kind) ?? 0) + f.drops);
  }
}

/** The facts of a row. */
function rowFacts(row: FoundSocket, state: string): SocketFacts {
  const inet = row.kind === 'unix' ? null : row;
  return {
    kind: row.kind,
    state,
    tcp: inet?.protocol === 'tcp',
    listen: inet?.state === 'LISTEN',
    port: inet?.local.port ?? 0,
    rx: inet?.rxQueue ?? 0,
    tx: inet?.txQueue ?? 0,
    drops: inet !== null && inet.protocol !== 'tcp' ? inet.drops : null,
    localAddress: () => inet?.local.address ?? '',
    remoteAddress: () => inet?.remote.address ?? '',
  };
}

/**
 * The same sums from rows, one socket at a time, per network namespace (the `namespace` field of each row, `null` when
 * it has none or `byNamespace` is false). `owners`: the rows carry owners (`processes: true`). `remotes`: count TCP
 * connections by remote address too. The scrape reads columns ({@link ColumnsAggregate}); this is the plain form its
 * sums are tested against (test/prometheus/columns.test.ts). @internal
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
    const state = stateLabel(row);
    if (agg.processes !== null && row.owners !== null) addProcesses(agg.processes, row.owners, state);
    addSocket(agg, rowFacts(row, state));
  }
  return out;
}

const NO_OWNERS: readonly SocketOwner[] = [];

/**
 * {@link aggregateSockets} for a columnar read of one namespace, batch by batch (`streamSocketColumns`' batches, or
 * `readSocketColumns`' tables): the same sums, read from the columns, with a row made only for a listener's address,
 * the first socket of each state in a batch (its label), and, when `remotes`, each connection's remote address. With
 * `owners`, each socket's inode and state are kept until {@link ColumnsAggregate.addOwners} counts them by process.
 */
export class ColumnsAggregate {
  readonly aggregate: SocketAggregate;
  /** With owners: the inode (decimal text) and state label of each socket added, until the owners are known. */
  readonly #inodes: string[] | null;
  readonly #states: string[] = [];

  constructor(options: { owners: boolean; remotes: boolean }) {
    this.aggregate = emptyAggregate(options.owners, options.remotes);
    this.#inodes = options.owners ? [] : null;
  }

  /** Adds one batch (or whole table) of columns. */
  add({ kind, columns }: SocketColumns): void {
    const agg = this.aggregate;
    const inodes = this.#inodes;
    const states = this.#states;
    if (kind === 'unix') {
      for (const row of columns) {
        const state = stateLabel(row as FoundSocket);
        addSocket(agg, rowFacts(row as FoundSocket, state));
        if (inodes !== null) {
          inodes.push(row.inode);
          states.push(state);
        }
      }
      return;
    }
    const t = columns as InetColumns;
    const tcp = t.protocol === 'tcp';
    const drops = tcp ? null : (t as DatagramColumns).drops;
    /** state code → label, from the first row of that state. */
    const labels = new Map<number, string>();
    let i = 0;
    const facts: SocketFacts = {
      kind,
      state: '',
      tcp,
      listen: false,
      port: 0,
      rx: 0,
      tx: 0,
      drops: null,
      localAddress: () => t.row(i).local.address,
      remoteAddress: () => t.row(i).remote.address,
    };
    for (; i < t.length; i++) {
      const code = t.stateCode[i] as number;
      let label = labels.get(code);
      if (label === undefined) {
        label = stateLabel(t.row(i) as FoundSocket);
        labels.set(code, label);
      }
      facts.state = label;
      facts.listen = tcp && code === TCP_LISTEN;
      facts.port = t.localPort[i] as number;
      facts.rx = t.rxQueue[i] as number;
      facts.tx = t.txQueue[i] as number;
      // A datagram row of an old kernel without the drops column has no drops (as its row's `drops` is null).
      facts.drops = drops !== null && (t.fields[i] as number) > 12 ? (drops[i] as number) : null;
      addSocket(agg, facts);
      if (inodes !== null) {
        const inode = t.inode[i] as number;
        inodes.push(Number.isNaN(inode) ? (t.inodeText.get(i) as string) : String(inode));
        states.push(label);
      }
    }
  }

  /**
   * Counts every socket added by its owners' process names, from a columnar read's `owners` map (a socket not in it:
   * no owner known, counted under `null`, as a row with `owners: []`); `null` (no owners could be read) counts nothing,
   * as rows with `owners: null`. Call once, after the last batch.
   */
  addOwners(owners: ReadonlyMap<string, readonly SocketOwner[]> | null): void {
    const processes = this.aggregate.processes;
    const inodes = this.#inodes;
    if (processes === null || inodes === null || owners === null) return;
    const states = this.#states;
    for (let i = 0; i < inodes.length; i++) {
      const inode = inodes[i] as string; // '0' (no file holds it) is in no map
      addProcesses(processes, owners.get(inode) ?? NO_OWNERS, states[i] as string);
    }
    inodes.length = 0;
    states.length = 0;
  }
}
