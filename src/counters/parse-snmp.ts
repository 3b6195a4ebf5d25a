/**
 * /proc/net/snmp.
 * @module
 */
import type { CounterInput } from './input.js';
import type { CounterParseOptions } from './options.js';
import { parseCounterPairs } from './parse-counter-pairs.js';
import type { SnmpCounters } from './types.js';

/**
 * Parses `/proc/net/snmp` (`snmp_seq_show()` in `net/ipv4/proc.c`): groups `Ip`, `Icmp`, `IcmpMsg` (its repeated line
 * pairs merged), `Tcp`, `Udp`, `UdpLite`, and any group a newer kernel adds, each name → exact `bigint` value.
 * Names are zipped with values by position, so columns added by new kernels are kept; missing groups are absent.
 *
 * @throws {ProcNetParseError} `MISSING_HEADER` for empty input; for an invalid line pair (`COUNTER_MISMATCH`,
 * `TRUNCATED_ROW`, `BAD_NUMBER`, `BAD_COUNTER_NAME`, `DUPLICATE_COUNTER`, `BAD_SEPARATOR`) unless `onInvalidRow`
 * says otherwise, in which case that pair is dropped and the other groups are kept.
 */
export function parseSnmp(input: CounterInput, options?: CounterParseOptions): SnmpCounters {
  return parseCounterPairs(input, 'snmp', options);
}
