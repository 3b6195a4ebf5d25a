/**
 * A scrape: one read of a namespace (or of every namespace) through `procnet/node`, the aggregation, the analyses and
 * the families. Bad input never fails a scrape: what could not be read is counted in `procnet_scrape_errors` and the
 * rest is written.
 * @module
 */
import { analyzeCounters, analyzeStates, type CounterSample, type Finding } from '../analysis/index.js';
import { noteScanStats, type ReadLog } from '../node/assemble.js';
import {
  type FoundSocket,
  type HostSettings,
  type ReadCountersResult,
  type ReadNote,
  readCounters,
  readSocketOwners,
  type SocketColumns,
  type SocketColumnsEnd,
  type SocketOwner,
  type StreamSocketColumnsOptions,
  streamSocketColumns,
} from '../node/index.js';
import { listNamespaces, namespaceOfPid, namespaceUnreadable, readOrder } from '../node/namespaces.js';
import { checkConcurrency } from '../node/read-sockets.js';
import { ColumnsAggregate } from './aggregate.js';
import { type Family, formatFamilies, type MetricsFormat } from './exposition.js';
import { buildFamilies, type NamespaceRead } from './families.js';
import { type MetricsOptions, type ResolvedMetricsOptions, resolveMetricsOptions } from './options.js';

/** Notes that mean data was lost (the others say how a read was done, or what does not exist here). */
const LOST: ReadonlySet<string> = new Set(['TABLE_UNREADABLE', 'COUNTERS_UNREADABLE', 'NAMESPACE_UNREADABLE']);

/** Counters of a namespace at the previous scrape, for the counter analyses (which judge growth over an interval). */
interface Previous {
  time: number;
  counters: CounterSample;
}

/**
 * The TCP states whose rows `analyzeStates` reads (CLOSE_WAIT, SYN_RECV, TIME_WAIT, FIN_WAIT2 and the listeners it
 * relates them to): on a columnar read only these become rows. A test checks that the findings are those of every row.
 */
export const FINDING_STATES: ReadonlySet<number> = new Set([8, 3, 6, 5, 10]);

/** Adds to `out` rows (with `namespace`, and `owners: null`) of the TCP sockets of `t` whose state is in `states`. */
export function rowsInStates(t: SocketColumns, states: ReadonlySet<number>, out: FoundSocket[]): void {
  if (t.kind !== 'tcp' && t.kind !== 'tcp6') return;
  const c = t.columns;
  for (let i = 0; i < c.length; i++) {
    if (!states.has(c.stateCode[i] as number)) continue;
    out.push({ ...c.row(i), namespace: t.namespace, owners: null });
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** One namespace's sums, and its rows in the states the analyses read (see {@link FINDING_STATES}). */
interface NamespaceSums {
  namespace: string | null;
  sums: ColumnsAggregate;
  rows: FoundSocket[];
}

/** A namespace's read moved away from it (its process left it): read through another of its processes. */
class NamespaceMoved extends Error {}

/**
 * Adds one namespace's `streamSocketColumns` batches up into `into` (and, with `findings`, the rows the analyses
 * read); `expect`: the namespace the batches must be of. Resolves the end event.
 */
async function addStream(
  options: StreamSocketColumnsOptions,
  into: NamespaceSums,
  findings: boolean,
  expect?: string,
): Promise<SocketColumnsEnd> {
  for await (const batch of streamSocketColumns(options)) {
    if ('end' in batch) return batch;
    if (expect !== undefined && batch.namespace !== expect) throw new NamespaceMoved();
    into.sums.add(batch);
    if (findings) rowsInStates(batch, FINDING_STATES, into.rows);
  }
  throw new Error('procnet: the socket stream ended without its end');
}

/** Counts the sockets of every namespace read by process, and puts owners on the analyses' rows (`null`: none known). */
function addOwners(read: readonly NamespaceSums[], owners: ReadonlyMap<string, readonly SocketOwner[]> | null): void {
  for (const r of read) {
    r.sums.addOwners(owners);
    // The analyses group CLOSE_WAIT by process when owners are known.
    if (owners !== null) for (const row of r.rows) row.owners = owners.get(row.inode) ?? [];
  }
}

/** A namespace the scrape read: its inode, the pid its counters are read through, and whether it is the reader's. */
interface Space {
  namespace: string | null;
  pid: number | undefined;
  current: boolean;
}

/**
 * Every network namespace that has a process, each streamed through one of its processes (checked to be still in it
 * once read, else the next one is tried) and added up into `read`; with owners, one descriptor scan for all of them,
 * run meanwhile. Resolves the namespaces read.
 */
async function readEveryNamespace(
  o: ResolvedMetricsOptions,
  options: StreamSocketColumnsOptions,
  sumsOptions: { owners: boolean; remotes: boolean },
  read: NamespaceSums[],
  noted: (list: readonly ReadNote[]) => void,
  problem: (e: unknown) => void,
): Promise<Space[]> {
  const root = (o.root ?? '/proc').replace(/(.)\/+$/, '$1');
  const concurrency = checkConcurrency(o.concurrency);
  const found = await listNamespaces(root, concurrency);
  if (found.unreadable !== null) noted([found.unreadable]);
  const scan = o.processes ? readSocketOwners({ root, concurrency }) : null;
  scan?.catch(() => {}); // read below
  const spaces: Space[] = [];
  for (const ns of found.namespaces) {
    let done = false;
    for (const pid of readOrder(ns, found.selfPid)) {
      const into: NamespaceSums = { namespace: ns.inode, sums: new ColumnsAggregate(sumsOptions), rows: [] };
      let end: SocketColumnsEnd;
      try {
        end = await addStream({ ...options, processes: false, pid }, into, o.findings, ns.inode);
      } catch (e) {
        // A bad option fails every read alike: it is the scrape's problem, not this process's.
        if (e instanceof RangeError) throw e;
        continue; // the process exited or moved: the next one
      }
      if ((await namespaceOfPid(root, pid, concurrency)) !== ns.inode) continue;
      noted(end.notes);
      for (const e of end.errors) problem(e);
      read.push(into);
      spaces.push({ namespace: ns.inode, pid: ns.current ? undefined : pid, current: ns.current });
      done = true;
      break;
    }
    if (!done) noted([namespaceUnreadable(ns.inode)]);
  }
  if (scan !== null) {
    try {
      const owners = await scan;
      const log: ReadLog = { notes: [], errors: [], duplicatesDropped: 0 };
      noteScanStats(log, owners.stats);
      noted(log.notes);
      addOwners(read, owners.owners);
    } catch (e) {
      problem(e);
    }
  }
  return spaces;
}

/** Reads, aggregates and analyses once; `previous` is updated with this scrape's counters. */
async function scrape(o: ResolvedMetricsOptions, previous: Map<string | null, Previous>): Promise<Family[]> {
  const started = performance.now();
  const now = Date.now();
  let errors = 0;
  const notes = new Map<string, number>();
  const problem = (e: unknown): void => {
    errors++;
    o.onError?.(asError(e));
  };
  const noted = (list: readonly ReadNote[]): void => {
    for (const n of list) {
      notes.set(n.code, (notes.get(n.code) ?? 0) + 1);
      if (LOST.has(n.code)) problem(new Error(`procnet: ${n.message}`));
    }
  };
  const readOptions = {
    kinds: o.kinds,
    root: o.root,
    byteOrder: o.byteOrder,
    userHz: o.userHz,
    processes: o.processes,
    concurrency: o.concurrency,
    onInvalidRow: 'skip' as const,
  };
  const counterRead = (pid: number | undefined, settings: boolean): Promise<ReadCountersResult | null> =>
    readCounters({ root: o.root, pid, settings, onInvalidRow: 'skip' }).then(
      (r) => {
        noted(r.notes);
        for (const e of r.errors) problem(e);
        return r;
      },
      (e: unknown) => {
        problem(e);
        return null;
      },
    );

  // One namespace: sockets and counters are read at once. Every namespace: the counters of each once it is known.
  const ownCounters = o.allNamespaces ? null : counterRead(o.pid, true);
  let spaces: Space[] = [{ namespace: null, pid: o.pid, current: true }];
  const sumsOptions = { owners: o.processes, remotes: o.remoteAddresses > 0 };
  /** Each namespace's sums and the rows the state analyses read, by namespace (`null`: the one namespace read). */
  const read: NamespaceSums[] = [];
  try {
    if (o.allNamespaces) {
      spaces = await readEveryNamespace(o, readOptions, sumsOptions, read, noted, problem);
    } else {
      // One namespace: batches of columns as they are read, added up and dropped; rows only for the sockets the
      // state analyses read, and the owners (a map by inode, found while the tables are read) counted at the end.
      // What was added up stays if the read fails later (an fds.json that cannot be read fails it at its end): the
      // failure is counted, and the sockets read are still written.
      const one: NamespaceSums = { namespace: null, sums: new ColumnsAggregate(sumsOptions), rows: [] };
      read.push(one);
      const end = await addStream({ ...readOptions, pid: o.pid }, one, o.findings);
      noted(end.notes);
      for (const e of end.errors) problem(e);
      addOwners(read, end.owners);
    }
  } catch (e) {
    problem(e);
  }
  const aggregates = new Map(read.map((r) => [r.namespace, r.sums.aggregate] as const));
  const findingRows = o.findings ? read.flatMap((r) => r.rows) : null;
  const counters = o.allNamespaces
    ? await Promise.all(spaces.map((s) => counterRead(s.pid, s.current)))
    : [await (ownCounters as Promise<ReadCountersResult | null>)];

  const own = spaces.findIndex((s) => s.current);
  const ownSettings: HostSettings = (own < 0 ? undefined : counters[own]?.settings) ?? {};
  const { somaxconn: _, ...analysisSettings } = ownSettings;
  const analysis = { ...analysisSettings, ...o.analysis };

  let stateFindings: Finding[] = [];
  if (o.findings && findingRows !== null) {
    try {
      stateFindings = analyzeStates(findingRows, analysis);
    } catch (e) {
      problem(e);
    }
  }
  const namespaces: NamespaceRead[] = spaces.map((s, i) => {
    const c = counters[i] ?? null;
    const findings = stateFindings.filter((f) => !o.allNamespaces || (f.sockets[0]?.namespace ?? null) === s.namespace);
    if (o.findings && c !== null) {
      const before = previous.get(s.namespace);
      const seconds = before === undefined ? 0 : (now - before.time) / 1000;
      if (before !== undefined && seconds > 0) {
        try {
          findings.push(...analyzeCounters(before.counters, c.counters, seconds, analysis));
        } catch (e) {
          problem(e);
        }
      }
      previous.set(s.namespace, { time: now, counters: c.counters });
    }
    return {
      namespace: s.namespace,
      sockets: aggregates.get(s.namespace),
      counters: c?.counters,
      settings: c?.settings,
      findings,
    };
  });
  return buildFamilies(
    { namespaces, seconds: Math.round((performance.now() - started) * 1000) / 1e6, errors, notes },
    o,
  );
}

/** A collector that remembers the previous scrape (the counter analyses judge what grew between two scrapes). */
export interface MetricsCollector {
  /**
   * Reads once and writes every metric in `format` (default `'prometheus'`, the text format 0.0.4). Calls made while
   * a read is in flight share it. Never rejects for bad input: what could not be read is counted in
   * `procnet_scrape_errors`.
   */
  collect(format?: MetricsFormat): Promise<string>;
}

/** The internal side of a collector: families, for the prom-client adapter. */
export interface FamilySource {
  options: ResolvedMetricsOptions;
  families(): Promise<Family[]>;
}

/** A collector and its family source. */
export function makeCollector(options?: MetricsOptions): MetricsCollector & FamilySource {
  const o = resolveMetricsOptions(options);
  const previous = new Map<string | null, Previous>();
  let pending: Promise<Family[]> | null = null;
  const families = (): Promise<Family[]> => {
    if (pending === null) {
      pending = scrape(o, previous).finally(() => {
        pending = null;
      });
    }
    return pending;
  };
  return {
    options: o,
    families,
    collect: async (format = 'prometheus') => formatFamilies(await families(), format),
  };
}

/**
 * Makes a collector for repeated scrapes (an exporter, an agent's `/metrics`): each `collect()` reads the namespace
 * again, and the counter findings (`listen-overflow`, `tcp-retransmissions`, …) judge what grew since the previous
 * one. Options are checked here.
 *
 * ```ts
 * import { createMetricsCollector } from 'procnet/prometheus';
 *
 * const collector = createMetricsCollector({ processes: true });
 * const text = await collector.collect(); // Prometheus text format 0.0.4
 * ```
 *
 * @throws {RangeError} for a bad option (a limit that is not a whole number ≥ 0, `allNamespaces` with `pid`, a bad
 * analysis threshold).
 */
export function createMetricsCollector(options?: MetricsOptions): MetricsCollector {
  const c = makeCollector(options);
  return { collect: c.collect };
}

/**
 * One scrape: reads a namespace (live or a dump) once and returns its metrics in the Prometheus text format 0.0.4
 * (`format: 'openmetrics'`: OpenMetrics 1.0). The counter findings need two scrapes: use
 * {@link createMetricsCollector} to scrape repeatedly.
 *
 * @throws {RangeError} for a bad option; never for bad input (see `procnet_scrape_errors`).
 */
export async function collectMetrics(
  options?: MetricsOptions & { format?: MetricsFormat | undefined },
): Promise<string> {
  return makeCollector(options).collect(options?.format);
}
