/**
 * A user of `procnet/netstat`, compiled by test/consumers/consumers.test.ts against the packed package under every
 * consumer configuration: the netstat view, whole or line by line, and `netstat -s`.
 */
import type { InetSocket, UnixSocket } from 'procnet';
import type { NetstatCounters, SnmpCounters } from 'procnet/counters';
import {
  escapeTerminal,
  formatNetstatInet,
  formatNetstatInetLine,
  formatNetstatStatistics,
  formatNetstatUnix,
  layoutNetstatInet,
  NETSTAT_TIMER_LABEL,
  type NetstatRow,
} from 'procnet/netstat';

export function table(inet: readonly NetstatRow<InetSocket>[], unix: readonly UnixSocket[]): string {
  return [...formatNetstatInet(inet, { numeric: true, timers: true }), ...formatNetstatUnix(unix)].join('\n');
}

export function* lines(rows: readonly InetSocket[]): Generator<string> {
  const layout = layoutNetstatInet(rows, { numeric: true });
  yield layout.header;
  for (const row of rows) yield formatNetstatInetLine(row, layout, { numeric: true });
  yield NETSTAT_TIMER_LABEL.keepalive;
}

export function statistics(snmp: SnmpCounters, netstat: NetstatCounters): string {
  return escapeTerminal(formatNetstatStatistics({ snmp, netstat }));
}
