import { describe, expectTypeOf, it } from 'vitest';
import {
  type CounterDiff,
  type CounterGroup,
  type CounterGroupRates,
  type CounterGroups,
  type CounterRates,
  diffCounters,
  getSockstatMemory,
  type NetstatCounters,
  parseNetstat,
  parseSnmp,
  parseSnmp6,
  parseSockstat,
  rateCounters,
  type Snmp6Counters,
  type SnmpCounters,
  type SockstatCounters,
  type SockstatMemory,
} from '../../src/counters/index.js';

// Checked by `tsc --noEmit` (test/ is in tsconfig's include); the calls below never run a parser.
describe('public types', () => {
  it('gives each parser its record type, with optional known groups', () => {
    expectTypeOf(parseSnmp).returns.toEqualTypeOf<SnmpCounters>();
    expectTypeOf(parseNetstat).returns.toEqualTypeOf<NetstatCounters>();
    expectTypeOf(parseSnmp6).returns.toEqualTypeOf<Snmp6Counters>();
    expectTypeOf(parseSockstat).returns.toEqualTypeOf<SockstatCounters>();
    expectTypeOf<SnmpCounters['Tcp']>().toEqualTypeOf<CounterGroup | undefined>();
    expectTypeOf<NonNullable<SockstatCounters['TCP']>['mem']>().toEqualTypeOf<bigint | undefined>();
    expectTypeOf(parseSnmp).parameter(0).toEqualTypeOf<string | Uint8Array>();
    expectTypeOf(getSockstatMemory).returns.toEqualTypeOf<SockstatMemory>();
  });

  it('resolves the diff and rate overloads by shape', () => {
    const snmp = {} as SnmpCounters;
    const sockstat = {} as SockstatCounters;
    const snmp6 = {} as Snmp6Counters;
    expectTypeOf(diffCounters(snmp, snmp)).toEqualTypeOf<CounterDiff<CounterGroups>>();
    expectTypeOf(diffCounters(sockstat, sockstat)).toEqualTypeOf<CounterDiff<CounterGroups>>();
    expectTypeOf(diffCounters(snmp6, snmp6)).toEqualTypeOf<CounterDiff<CounterGroup>>();
    expectTypeOf(rateCounters(snmp, snmp, 1)).toEqualTypeOf<CounterRates>();
    expectTypeOf(rateCounters(snmp6, snmp6, 1)).toEqualTypeOf<CounterGroupRates>();
    // @ts-expect-error: a grouped record and a flat one are not two samples of the same file.
    diffCounters(snmp, snmp6);
  });
});
