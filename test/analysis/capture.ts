/** The 6.18 reference capture, parsed with the real parsers, and helpers to derive later samples from it. */
import { readFileSync } from 'node:fs';
import type { AnalysisSocket, Sample, SocketOwnerInfo } from '../../src/analysis/index.js';
import {
  type NetstatCounters,
  parseNetstat,
  parseSnmp,
  parseSnmp6,
  parseSockstat,
  type Snmp6Counters,
  type SnmpCounters,
  type SockstatCounters,
} from '../../src/counters/index.js';
import { type InetSocket, type InetTableKind, parseTable, type UnixSocket } from '../../src/index.js';
import { SPEC_CAPTURE } from '../support/paths.js';

const KINDS: InetTableKind[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6'];

/** Every inet row of the capture, freshly parsed (so a test may edit them). */
export function captureSockets(): InetSocket[] {
  return KINDS.flatMap((kind): InetSocket[] => parseTable(kind, readFileSync(`${SPEC_CAPTURE}proc-net-${kind}`)));
}

/** The capture's unix rows, parsed (the analyses must ignore them). */
export function captureUnix(): UnixSocket[] {
  return parseTable('unix', readFileSync(`${SPEC_CAPTURE}proc-net-unix`), { onInvalidRow: 'skip' });
}

/** The capture's counter files, freshly parsed. */
export function captureCounters(): {
  snmp: SnmpCounters;
  netstat: NetstatCounters;
  sockstat: SockstatCounters;
  snmp6: Snmp6Counters;
} {
  return {
    snmp: parseSnmp(readFileSync(`${SPEC_CAPTURE}proc-net-snmp`)),
    netstat: parseNetstat(readFileSync(`${SPEC_CAPTURE}proc-net-netstat`)),
    sockstat: parseSockstat(readFileSync(`${SPEC_CAPTURE}proc-net-sockstat`)),
    snmp6: parseSnmp6(readFileSync(`${SPEC_CAPTURE}proc-net-snmp6`)),
  };
}

/** A copy of every row (one level deep), as a later read of the same sockets would give. */
export function copy<S extends object>(sockets: readonly S[]): S[] {
  return sockets.map((s) => ({ ...s }));
}

/** The row with this local port and (optionally) remote port, in a table kind. */
export function find<S extends AnalysisSocket>(
  sockets: readonly S[],
  kind: InetTableKind,
  localPort: number,
  remotePort?: number,
): S {
  const hit = sockets.find(
    (s) =>
      s.kind === kind &&
      (s as InetSocket).local.port === localPort &&
      (remotePort === undefined || (s as InetSocket).remote.port === remotePort),
  );
  if (hit === undefined) throw new Error(`no ${kind} row ${localPort} -> ${remotePort}`);
  return hit;
}

/** Samples at the given times (ms), each a copy of the capture passed through `edit(sockets, index)`. */
export function samplesOf(
  times: readonly number[],
  edit: (sockets: InetSocket[], index: number) => void = () => {},
  base: readonly InetSocket[] = captureSockets(),
): Sample[] {
  return times.map((time, i) => {
    const sockets = copy(base);
    edit(sockets, i);
    return { time, sockets };
  });
}

/** An owner record as procnet/node's SocketOwner has it. */
export function owner(pid: number, comm: string, fd = 3): SocketOwnerInfo {
  return { pid, comm, cmdline: [comm], uid: 1000, fd };
}

/** Sets `owners` on a row (in place) and returns it. */
export function own<S extends InetSocket>(s: S, ...owners: SocketOwnerInfo[]): S & { owners: SocketOwnerInfo[] } {
  return Object.assign(s, { owners });
}

/** A healthy host: two listeners and idle established connections, every queue empty. */
export function healthySockets(): InetSocket[] {
  return captureSockets().filter(
    (s) =>
      s.protocol === 'tcp' &&
      s.record === 'socket' &&
      (s.state === 'LISTEN' || s.state === 'ESTABLISHED') &&
      s.rxQueue === 0 &&
      s.txQueue === 0,
  );
}
