/**
 * Per-second rates between two samples of a counter file.
 * @module
 */
import { isCounterGauge } from './counter-gauges.js';
import type { CounterGroup, CounterGroups } from './types.js';
import { zipCounters } from './zip-counters.js';

/** Per-second rates in the shape of a grouped counter record. */
export type CounterRates = Record<string, Record<string, number>>;

/** Per-second rates in the shape of a flat (snmp6) counter record. */
export type CounterGroupRates = Record<string, number>;

/**
 * Per-second change from `before` to `after`, taken `seconds` apart: `(after − before) / seconds` per group and name,
 * as a `number` (a name missing from one sample counts as 0 there).
 * A counter that went backwards (see `diffCounters`) is taken to have restarted from 0, as Prometheus' `rate()` does:
 * its rate is `after / seconds`. A gauge's rate is its change per second and may be negative.
 *
 * @throws {RangeError} when `seconds` is not a positive finite number.
 */
export function rateCounters(before: CounterGroup, after: CounterGroup, seconds: number): CounterGroupRates;
export function rateCounters(before: CounterGroups, after: CounterGroups, seconds: number): CounterRates;
export function rateCounters(
  before: CounterGroup | CounterGroups,
  after: CounterGroup | CounterGroups,
  seconds: number,
): CounterRates | CounterGroupRates {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`procnet: seconds must be a positive finite number, got ${String(seconds)}`);
  }
  return zipCounters(before, after, (group, name, b, a) => {
    const change = a < b && !isCounterGauge(group, name) ? a : a - b;
    return Number(change) / seconds;
  });
}
