/**
 * Which services listen, and who can reach them.
 * @module
 */
import type { Endpoint, InetTableKind } from '../types.js';
import { type AddressClass, classifyAddress } from './classify-address.js';
import { type AnalysisOptions, resolveAnalysisOptions } from './options.js';
import { type InetRow, inetRows, nsKey, processesOf, toFindingSocket } from './socket-ref.js';
import type { AnalysisSocket, FindingProcess, FindingSocket } from './types.js';

/** One listening address: a TCP listener or a bound, unconnected UDP socket (several with `SO_REUSEPORT`). */
export interface Listener {
  protocol: 'tcp' | 'udp' | 'udplite';
  /** The table (`tcp6` for `::` and `::1` listeners, and for mapped `::ffff:…` ones). */
  kind: InetTableKind;
  /** The bound address and port. */
  local: Endpoint;
  port: number;
  /** Who can reach it. */
  exposure: AddressClass;
  /** The network namespace, when the rows carried one. */
  namespace: string | null;
  /** The sockets bound there (more than one with `SO_REUSEPORT`, or after a fork). */
  sockets: FindingSocket[];
  /** Processes holding them, when known. */
  processes: FindingProcess[];
  /** Whether owners were looked up for every socket (`processes` is then complete). */
  ownersKnown: boolean;
  /**
   * TCP: connections waiting to be accepted (sum of the listeners' Recv-Q). UDP: memory of queued datagrams
   * (sum of Recv-Q).
   */
  queued: number;
  /**
   * UDP only: the port lies in the local port range, so this is probably a client socket that got an ephemeral port
   * (a resolver, an NTP client), not a service. Always `false` for TCP.
   */
  ephemeral: boolean;
}

/** What {@link summarizeListeners} returns. */
export interface ListenerSummary {
  /** Every listener, by protocol, port, family and address. */
  listeners: Listener[];
  /** Those other machines can reach (`exposure.fromOutside`): wildcards, specific, link-local, multicast. */
  outside: Listener[];
  /** Those only this machine can reach (loopback). */
  local: Listener[];
}

const PROTOCOL_ORDER = ['tcp', 'udp', 'udplite'];

function isListener(s: InetRow): boolean {
  if (s.protocol === 'tcp') return s.record === 'socket' && s.state === 'LISTEN';
  return (s.protocol === 'udp' || s.protocol === 'udplite') && s.state === 'unconnected' && s.local.port !== 0;
}

/**
 * The listening TCP sockets and bound, unconnected UDP (and UDP-Lite) sockets, one entry per bound address (sockets
 * sharing it with `SO_REUSEPORT` are merged), each with its exposure and owners, split into those reachable from
 * outside and those reachable only from this machine. Uses `bindv6only` and `localPortRange` from the options.
 */
export function summarizeListeners(sockets: readonly AnalysisSocket[], options?: AnalysisOptions): ListenerSummary {
  const o = resolveAnalysisOptions(options);
  const [from, to] = o.localPortRange;
  const groups = new Map<string, InetRow[]>();
  for (const s of inetRows(sockets)) {
    if (!isListener(s)) continue;
    const key = `${nsKey(s)}\n${s.kind}\n${s.local.address}\n${s.local.port}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [s]);
    else list.push(s);
  }
  const listeners: Listener[] = [];
  for (const rows of groups.values()) {
    const first = rows[0] as InetRow;
    const protocol = first.protocol as Listener['protocol'];
    listeners.push({
      protocol,
      kind: first.kind,
      local: first.local,
      port: first.local.port,
      exposure: classifyAddress(first.local, { bindv6only: o.bindv6only }),
      namespace: first.namespace ?? null,
      sockets: rows.map((s) => toFindingSocket(s)),
      processes: processesOf(rows),
      ownersKnown: rows.every((s) => s.owners != null),
      queued: rows.reduce((sum, s) => sum + s.rxQueue, 0),
      ephemeral: protocol !== 'tcp' && first.local.port >= from && first.local.port <= to,
    });
  }
  listeners.sort(
    (a, b) =>
      PROTOCOL_ORDER.indexOf(a.protocol) - PROTOCOL_ORDER.indexOf(b.protocol) ||
      a.port - b.port ||
      (a.local.family < b.local.family ? -1 : a.local.family > b.local.family ? 1 : 0) ||
      (a.local.address < b.local.address ? -1 : a.local.address > b.local.address ? 1 : 0) ||
      ((a.namespace ?? '') < (b.namespace ?? '') ? -1 : (a.namespace ?? '') > (b.namespace ?? '') ? 1 : 0),
  );
  return {
    listeners,
    outside: listeners.filter((l) => l.exposure.fromOutside),
    local: listeners.filter((l) => !l.exposure.fromOutside),
  };
}
