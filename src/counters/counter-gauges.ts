/**
 * Which values in the counter files are gauges (settings or instantaneous levels) rather than counters.
 * @module
 */

/** Every key of these sockstat and sockstat6 lines is an instantaneous value. */
const SOCKSTAT_PROTOS: readonly string[] = [
  'sockets',
  'TCP',
  'UDP',
  'UDPLITE',
  'RAW',
  'FRAG',
  'TCP6',
  'UDP6',
  'UDPLITE6',
  'RAW6',
  'FRAG6',
];

/**
 * True when `group`/`name` is a gauge, a value that may go down without a reset: `Ip Forwarding`, `Ip DefaultTTL`,
 * `Tcp RtoAlgorithm/RtoMin/RtoMax/MaxConn` (settings), `Tcp CurrEstab` (a level), `ifIndex` of dev_snmp6 (group `''`,
 * as a flat snmp6 record is diffed), and every sockstat/sockstat6 value. Everything else is a counter that only grows.
 */
export function isCounterGauge(group: string, name: string): boolean {
  switch (group) {
    case 'Ip':
      return name === 'Forwarding' || name === 'DefaultTTL';
    case 'Tcp':
      return (
        name === 'RtoAlgorithm' || name === 'RtoMin' || name === 'RtoMax' || name === 'MaxConn' || name === 'CurrEstab'
      );
    case '':
      return name === 'ifIndex';
    default:
      return SOCKSTAT_PROTOS.includes(group);
  }
}
