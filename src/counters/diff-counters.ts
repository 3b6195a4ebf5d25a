/**
 * Change between two samples of a counter file.
 * @module
 */
import { isCounterGauge } from './counter-gauges.js';
import type { CounterGroup, CounterGroups } from './types.js';
import { zipCounters } from './zip-counters.js';

/** A counter that is lower in the later sample. */
export interface CounterReset {
  /** The group (`'Tcp'`, `'TcpExt'`, ...), or `''` when flat snmp6 records were compared. */
  group: string;
  /** The counter's kernel name. */
  name: string;
  before: bigint;
  after: bigint;
}

/** What {@link diffCounters} returns. */
export interface CounterDiff<T extends CounterGroup | CounterGroups> {
  /**
   * `after − before` for every group and name in either sample, in the input's shape. A name missing from one sample
   * counts as 0 there: the kernel prints `IcmpMsg` and snmp6 `Icmp6InType<N>` counters only once they are non-zero.
   * Negative for a counter that went backwards, and for a gauge that went down.
   */
  delta: T;
  /**
   * Counters (not gauges, see {@link isCounterGauge}) that went backwards, in input order: the counters were reset
   * (reboot, network namespace re-created, samples from different hosts or namespaces) or a 32-bit counter wrapped
   * (32-bit kernels print `unsigned long` counters).
   */
  resets: CounterReset[];
}

/**
 * Change from `before` to `after`, two samples of the same file: results of `parseSnmp`, `parseNetstat`,
 * `parseSockstat` (grouped) or `parseSnmp6` (flat). Exact `after − before` per group and name, and the counters that
 * went backwards.
 */
export function diffCounters(before: CounterGroup, after: CounterGroup): CounterDiff<CounterGroup>;
export function diffCounters(before: CounterGroups, after: CounterGroups): CounterDiff<CounterGroups>;
export function diffCounters(
  before: CounterGroup | CounterGroups,
  after: CounterGroup | CounterGroups,
): CounterDiff<CounterGroup | CounterGroups> {
  const resets: CounterReset[] = [];
  const delta = zipCounters(before, after, (group, name, b, a) => {
    const change = a - b;
    if (change < 0n && !isCounterGauge(group, name)) resets.push({ group, name, before: b, after: a });
    return change;
  });
  return { delta, resets };
}
