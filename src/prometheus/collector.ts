/**
 * A scrape: one read of a namespace (or of every namespace) through `procnet/node`, the aggregation, the analyses and
 * the families. Bad input never fails a scrape: what could not be read is counted in `procnet_scrape_errors` and the
 * rest is written.
 * @module
 */
import { analyzeCounters, analyzeStates, type CounterSample, type Finding } from '../analysis/index.js';
import {
  type FoundSocket,
  type HostSettings,
  type ReadCountersResult,
  type ReadNote,
  readCounters,
  readNamespaces,
  type SocketColumns,
  streamSocketColumns,
} from '../node/index.js';
import { aggregateSockets, ColumnsAggregate, type SocketAggregate } from './aggregate.js';
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
  const read = {
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
  /** The rows the state analyses read (see {@link FINDING_STATES}), or every row of a rows read. */
  let findingRows: FoundSocket[] | null = null;
  let aggregates: Map<string | null, SocketAggregate> | null = null;
  let spaces: Array<{ namespace: string | null; pid: number | undefined; current: boolean }> = [
    { namespace: null, pid: o.pid, current: true },
  ];
  try {
    if (o.allNamespaces) {
      // Every namespace: rows, tagged with their namespace (and carrying their owners).
      const r = await readNamespaces(read);
      spaces = r.namespaces
        .filter((ns) => ns.readFrom !== null)
        .map((ns) => ({
          namespace: ns.inode,
          pid: ns.current ? undefined : (ns.readFrom as number),
          current: ns.current,
        }));
      noted(r.notes);
      for (const e of r.errors) problem(e);
      findingRows = r.sockets;
      aggregates = aggregateSockets(r.sockets, {
        byNamespace: true,
        owners: o.processes,
        remotes: o.remoteAddresses > 0,
      });
    } else {
      // One namespace: batches of columns as they are read, added up and dropped; rows only for the sockets the
      // state analyses read, and the owners (a map by inode, found while the tables are read) counted at the end.
      const sums = new ColumnsAggregate({ owners: o.processes, remotes: o.remoteAddresses > 0 });
      const rows: FoundSocket[] = [];
      // What was added up stays if the read fails later (an fds.json that cannot be read fails it at its end): the
      // failure is counted, and the sockets read are still written.
      aggregates = new Map([[null, sums.aggregate]]);
      if (o.findings) findingRows = rows;
      for await (const batch of streamSocketColumns({ ...read, pid: o.pid })) {
        if ('end' in batch) {
          noted(batch.notes);
          for (const e of batch.errors) problem(e);
          sums.addOwners(batch.owners);
          // The analyses group CLOSE_WAIT by process when owners are known.
          const owners = batch.owners;
          if (owners !== null) for (const row of rows) row.owners = owners.get(row.inode) ?? [];
        } else {
          sums.add(batch);
          if (o.findings) rowsInStates(batch, FINDING_STATES, rows);
        }
      }
    }
  } catch (e) {
    problem(e);
  }
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
      sockets: aggregates?.get(o.allNamespaces ? s.namespace : null),
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
