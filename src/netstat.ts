/**
 * procnet/netstat: sockets and counters as net-tools' `netstat` prints them, terminal-safe. The connection tables
 * (whole, or laid out once and printed line by line), `netstat -s` from the parsed counters, and the escaping of
 * untrusted text that every view uses. Pure: no `node:` imports.
 * @module
 */
export { NETSTAT_TIMER_LABEL } from './decode/timer.js';
export { escapeTerminal } from './format/escape.js';
export {
  formatNetstatInet,
  formatNetstatInetLine,
  formatNetstatUnix,
  ipv4RowsFitLayout,
  layoutNetstatInet,
  type NetstatInetLayout,
  type NetstatOptions,
  type NetstatOwner,
  type NetstatRow,
} from './format/netstat.js';
export {
  describeNetstatStatistics,
  formatNetstatStatistics,
  type NetstatStatisticsEntry,
  type NetstatStatisticsInput,
  type NetstatStatisticsOptions,
  type NetstatStatisticsSection,
} from './format/netstat-statistics.js';
