/**
 * From what a scrape read to metric families: the socket aggregates with their caps (the rest summed into `other`),
 * the kernel counters, the settings, the findings and the scrape's own metadata.
 * @module
 */
import type { CounterSample, Finding } from '../analysis/index.js';
import { getSockstatMemory, isCounterGauge } from '../counters/index.js';
import type { HostSettings } from '../node/index.js';
import { listeningPorts, type SocketAggregate } from './aggregate.js';
import type { Family, Sample } from './exposition.js';
import { KERNEL_COUNTERS, METRICS, type MetricName, PER_NAMESPACE, UDP_COUNTERS } from './metrics.js';
import type { ResolvedMetricsOptions } from './options.js';

/** What one namespace of a scrape read. */
export interface NamespaceRead {
  /** The namespace inode, or `null` when one namespace is read. */
  namespace: string | null;
  sockets: SocketAggregate | undefined;
  counters: CounterSample | undefined;
  settings: HostSettings | undefined;
  findings: readonly Finding[];
}

/** What a scrape read, and what it met on the way. */
export interface ScrapeRead {
  namespaces: NamespaceRead[];
  seconds: number;
  errors: number;
  notes: ReadonlyMap<string, number>;
}

const OTHER = 'other';

/** Compares label tuples: numbers as numbers, the rest as text, `other` last. */
function compareLabels(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) continue;
    if (x === OTHER) return 1;
    if (y === OTHER) return -1;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}

const total = (counts: ReadonlyMap<string, number>): number => {
  let n = 0;
  for (const v of counts.values()) n += v;
  return n;
};

/** The `limit` biggest entries by `size` (ties by `order`), and the rest. */
function capped<T>(items: T[], limit: number, size: (t: T) => number, order: (a: T, b: T) => number): [T[], T[]] {
  items.sort((a, b) => size(b) - size(a) || order(a, b));
  return [items.slice(0, limit), items.slice(limit)];
}

function add(into: Map<string, number>, key: string, n: number): void {
  into.set(key, (into.get(key) ?? 0) + n);
}

/** Builds the families of one scrape, in catalogue order. */
export function buildFamilies(read: ScrapeRead, o: ResolvedMetricsOptions): Family[] {
  const byName = new Map<MetricName, Family>();
  const family = (name: MetricName): Family => {
    let f = byName.get(name);
    if (f === undefined) {
      const info = METRICS[name];
      const labelNames = o.allNamespaces && PER_NAMESPACE.has(name) ? [...info.labels, 'namespace'] : info.labels;
      f = { name, type: info.type, help: info.help, labelNames, samples: [] };
      byName.set(name, f);
    }
    return f;
  };
  for (const ns of read.namespaces) {
    const tail = o.allNamespaces ? [ns.namespace ?? ''] : [];
    const put = (name: MetricName, labels: string[], value: number | bigint) =>
      family(name).samples.push({ labels: [...labels, ...tail], value });
    if (ns.sockets !== undefined) socketFamilies(ns.sockets, o, put);
    if (ns.settings?.somaxconn !== undefined) put('procnet_somaxconn', [], ns.settings.somaxconn);
    if (ns.counters !== undefined) counterFamilies(ns.counters, ns.settings, o, put);
    const findings = new Map<string, number>();
    for (const f of ns.findings) add(findings, `${f.id}\n${f.severity}`, 1);
    for (const [key, n] of findings) put('procnet_finding', key.split('\n'), n);
  }
  family('procnet_scrape_duration_seconds').samples.push({ labels: [], value: read.seconds });
  family('procnet_scrape_errors').samples.push({ labels: [], value: read.errors });
  for (const [code, n] of read.notes) family('procnet_scrape_notes').samples.push({ labels: [code], value: n });
  const out: Family[] = [];
  for (const name of Object.keys(METRICS) as MetricName[]) {
    const f = byName.get(name);
    if (f === undefined) continue;
    f.samples.sort((a: Sample, b: Sample) => compareLabels(a.labels, b.labels));
    out.push(f);
  }
  return out;
}

type Put = (name: MetricName, labels: string[], value: number | bigint) => void;

function socketFamilies(agg: SocketAggregate, o: ResolvedMetricsOptions, put: Put): void {
  for (const [kind, states] of agg.states) for (const [state, n] of states) put('procnet_sockets', [kind, state], n);

  const [listeners, restListeners] = capped(
    [...agg.listeners.values()],
    o.maxListeners,
    (l) => l.queue,
    (a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.port - b.port || (a.address < b.address ? -1 : 1)),
  );
  for (const l of listeners) put('procnet_listen_queue', [l.kind, l.address, String(l.port)], l.queue);
  const otherQueues = new Map<string, number>();
  for (const l of restListeners) add(otherQueues, l.kind, l.queue);
  for (const [kind, n] of otherQueues) put('procnet_listen_queue', [kind, OTHER, OTHER], n);

  const services: Array<{ kind: string; port: number; counts: Map<string, number>; total: number }> = [];
  for (const [kind, ports] of listeningPorts(agg)) {
    for (const [port, counts] of ports) services.push({ kind, port, counts, total: total(counts) });
  }
  const [shown, rest] = capped(
    services,
    o.maxPorts,
    (s) => s.total,
    (a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.port - b.port),
  );
  for (const s of shown) {
    for (const [state, n] of s.counts) put('procnet_service_connections', [s.kind, String(s.port), state], n);
  }
  const otherPorts = new Map<string, number>();
  for (const s of rest) for (const [state, n] of s.counts) add(otherPorts, `${s.kind}\n${state}`, n);
  for (const [key, n] of otherPorts) {
    const [kind, state] = key.split('\n') as [string, string];
    put('procnet_service_connections', [kind, OTHER, state], n);
  }

  if (agg.processes !== null) {
    const named = [...agg.processes].filter((e): e is [string, Map<string, number>] => e[0] !== null);
    const [top, others] = capped(
      named.map(([name, counts]) => ({ name, counts, total: total(counts) })),
      o.maxProcesses,
      (p) => p.total,
      (a, b) => (a.name < b.name ? -1 : 1),
    );
    for (const p of top) for (const [state, n] of p.counts) put('procnet_process_sockets', [p.name, state], n);
    const otherStates = new Map<string, number>();
    for (const p of others) for (const [state, n] of p.counts) add(otherStates, state, n);
    for (const [state, n] of otherStates) put('procnet_process_sockets', [OTHER, state], n);
    for (const [state, n] of agg.processes.get(null) ?? []) put('procnet_process_sockets', ['unknown', state], n);
  }

  if (agg.remotes !== null) {
    for (const [kind, remotes] of agg.remotes) {
      const [top, others] = capped(
        [...remotes],
        o.remoteAddresses,
        (r) => r[1],
        (a, b) => (a[0] < b[0] ? -1 : 1),
      );
      for (const [address, n] of top) put('procnet_remote_connections', [kind, address], n);
      if (others.length > 0) {
        put(
          'procnet_remote_connections',
          [kind, OTHER],
          others.reduce((s, r) => s + r[1], 0),
        );
      }
    }
  }

  for (const [kind, [rx, tx]] of agg.queues) {
    put('procnet_queue_bytes', [kind, 'rx'], rx);
    put('procnet_queue_bytes', [kind, 'tx'], tx);
  }
  for (const [kind, n] of agg.drops) put('procnet_datagram_drops', [kind], n);
}

function counterFamilies(
  counters: CounterSample,
  settings: HostSettings | undefined,
  o: ResolvedMetricsOptions,
  put: Put,
): void {
  for (const [name, [file, group, field]] of Object.entries(KERNEL_COUNTERS) as [
    MetricName,
    readonly [string, string, string],
  ][]) {
    const v = (counters[file as 'snmp' | 'netstat'] as Record<string, Record<string, bigint>> | undefined)?.[group]?.[
      field
    ];
    if (v !== undefined) put(name, [], v);
  }
  for (const [name, field] of Object.entries(UDP_COUNTERS) as [MetricName, string][]) {
    const values: Array<[string, bigint | undefined]> = [
      ['udp', counters.snmp?.Udp?.[field]],
      ['udp6', counters.snmp6?.[`Udp6${field}`]],
      ['udplite', counters.snmp?.UdpLite?.[field]],
      ['udplite6', counters.snmp6?.[`UdpLite6${field}`]],
    ];
    for (const [protocol, v] of values) if (v !== undefined) put(name, [protocol], v);
  }
  if (counters.sockstat !== undefined && settings?.pageSize !== undefined) {
    const memory = getSockstatMemory(counters.sockstat, { pageSize: settings.pageSize });
    if (memory.tcpBytes !== undefined) put('procnet_socket_memory_bytes', ['tcp'], memory.tcpBytes);
    if (memory.udpBytes !== undefined) put('procnet_socket_memory_bytes', ['udp'], memory.udpBytes);
  }
  if (!o.allCounters) return;
  for (const file of ['snmp', 'netstat'] as const) {
    for (const [group, fields] of Object.entries(counters[file] ?? {})) {
      for (const [field, v] of Object.entries(fields)) {
        put(isCounterGauge(group, field) ? 'procnet_mib_value' : 'procnet_mib', [file, group, field], v);
      }
    }
  }
  for (const [field, v] of Object.entries(counters.snmp6 ?? {})) {
    put(isCounterGauge('', field) ? 'procnet_mib_value' : 'procnet_mib', ['snmp6', '', field], v);
  }
}
