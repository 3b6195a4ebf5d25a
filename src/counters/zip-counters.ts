/**
 * Pairs up two samples of a counter file, name by name, for the delta and rate helpers.
 * @module
 */
import type { CounterGroup, CounterGroups } from './types.js';

/** Combines one name's two values; a value missing from one sample is 0 there. */
export type CounterCombiner<V> = (group: string, name: string, before: bigint, after: bigint) => V;

/**
 * Calls `combine` for every name in either sample and returns the results in the input's shape: flat for flat records
 * (snmp6; the group is then `''`), grouped otherwise. Groups and names keep first-seen order (`before`, then `after`).
 */
export function zipCounters<V>(
  before: CounterGroup | CounterGroups,
  after: CounterGroup | CounterGroups,
  combine: CounterCombiner<V>,
): Record<string, V> | Record<string, Record<string, V>> {
  if (isFlat(before) || isFlat(after)) return zipGroup('', before as CounterGroup, after as CounterGroup, combine);
  const b = before as CounterGroups;
  const a = after as CounterGroups;
  const out: Record<string, Record<string, V>> = Object.create(null);
  for (const group in b) {
    if (Object.hasOwn(b, group)) out[group] = zipGroup(group, b[group], own(a, group), combine);
  }
  for (const group in a) {
    if (Object.hasOwn(a, group) && !Object.hasOwn(b, group)) out[group] = zipGroup(group, undefined, a[group], combine);
  }
  return out;
}

/** True when the record holds values (snmp6), not groups. */
function isFlat(record: CounterGroup | CounterGroups): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return typeof record[key] === 'bigint';
  return false;
}

function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function zipGroup<V>(
  group: string,
  before: CounterGroup | undefined,
  after: CounterGroup | undefined,
  combine: CounterCombiner<V>,
): Record<string, V> {
  const out: Record<string, V> = Object.create(null);
  if (before !== undefined) {
    for (const name in before) {
      if (Object.hasOwn(before, name)) out[name] = combine(group, name, before[name]!, own(after, name) ?? 0n);
    }
  }
  if (after !== undefined) {
    for (const name in after) {
      if (Object.hasOwn(after, name) && !(before !== undefined && Object.hasOwn(before, name))) {
        out[name] = combine(group, name, 0n, after[name]!);
      }
    }
  }
  return out;
}
