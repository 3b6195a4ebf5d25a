/**
 * procnet/counters: the counter files of /proc/net (snmp, netstat, snmp6 and dev_snmp6, sockstat and sockstat6) as
 * exact `bigint`s, with deltas and rates between two readings. Pure: no `node:` imports. See docs/counters.md.
 * @module
 */
export { isCounterGauge } from './counter-gauges.js';
export { type CounterDiff, type CounterReset, diffCounters } from './diff-counters.js';
export type { CounterInput } from './input.js';
export type { CounterParseOptions } from './options.js';
export { parseNetstat } from './parse-netstat.js';
export { parseSnmp } from './parse-snmp.js';
export { parseSnmp6 } from './parse-snmp6.js';
export { parseSockstat } from './parse-sockstat.js';
export { type CounterGroupRates, type CounterRates, rateCounters } from './rate-counters.js';
export { getSockstatMemory, type SockstatMemory, type SockstatMemoryOptions } from './sockstat-memory.js';
export type {
  CounterGroup,
  CounterGroups,
  NetstatCounters,
  Snmp6Counters,
  SnmpCounters,
  SockstatCounters,
  SockstatFrag,
  SockstatInuse,
  SockstatSockets,
  SockstatTcp,
  SockstatUdp,
} from './types.js';
