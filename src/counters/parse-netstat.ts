/**
 * /proc/net/netstat.
 * @module
 */
import type { CounterInput } from './input.js';
import type { CounterParseOptions } from './options.js';
import { parseCounterPairs } from './parse-counter-pairs.js';
import type { NetstatCounters } from './types.js';

/**
 * Parses `/proc/net/netstat` (`netstat_seq_show()` in `net/ipv4/proc.c`, `mptcp_seq_show()` in `net/mptcp/mib.c`):
 * groups `TcpExt`, `IpExt`, `MPTcpExt` (only with MPTCP), and any group a newer kernel adds, each name → exact
 * `bigint` value. The grammar, options and errors are those of {@link parseSnmp}.
 */
export function parseNetstat(input: CounterInput, options?: CounterParseOptions): NetstatCounters {
  return parseCounterPairs(input, 'netstat', options);
}
