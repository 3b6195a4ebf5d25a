import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type CounterGroups,
  diffCounters,
  isCounterGauge,
  parseSnmp,
  parseSnmp6,
  parseSockstat,
  rateCounters,
} from '../../src/counters/index.js';

const BEFORE = parseSnmp(
  'Ip: Forwarding DefaultTTL InReceives\nIp: 1 64 1000\n' +
    'IcmpMsg: InType3\nIcmpMsg: 5\n' +
    'Tcp: MaxConn CurrEstab InSegs RetransSegs\nTcp: -1 20 9007199254740993 10\n',
);
const AFTER = parseSnmp(
  'Ip: Forwarding DefaultTTL InReceives\nIp: 2 64 1500\n' +
    'IcmpMsg: InType3 InType8\nIcmpMsg: 5 2\n' +
    'Tcp: MaxConn CurrEstab InSegs RetransSegs\nTcp: -1 12 9007199254741993 4\n' +
    'Udp: InDatagrams\nUdp: 30\n',
);

describe('diffCounters', () => {
  it('gives exact per-group deltas, counting names missing from one sample as 0', () => {
    const { delta } = diffCounters(BEFORE, AFTER);
    expect(delta).toEqual({
      Ip: { Forwarding: 1n, DefaultTTL: 0n, InReceives: 500n },
      IcmpMsg: { InType3: 0n, InType8: 2n },
      Tcp: { MaxConn: 0n, CurrEstab: -8n, InSegs: 1000n, RetransSegs: -6n },
      Udp: { InDatagrams: 30n },
    });
  });

  it('flags a counter that went backwards, but not a gauge', () => {
    expect(diffCounters(BEFORE, AFTER).resets).toEqual([{ group: 'Tcp', name: 'RetransSegs', before: 10n, after: 4n }]);
    expect(diffCounters(AFTER, BEFORE).resets).toEqual([
      { group: 'Ip', name: 'InReceives', before: 1500n, after: 1000n },
      { group: 'IcmpMsg', name: 'InType8', before: 2n, after: 0n },
      { group: 'Tcp', name: 'InSegs', before: 9007199254741993n, after: 9007199254740993n },
      { group: 'Udp', name: 'InDatagrams', before: 30n, after: 0n },
    ]);
  });

  it('diffs flat snmp6 records', () => {
    const before = parseSnmp6('ifIndex\t3\nIp6InReceives\t10\nIp6OutRequests\t7\n');
    const after = parseSnmp6('ifIndex\t2\nIp6InReceives\t15\nIp6OutRequests\t1\n');
    expect(diffCounters(before, after)).toEqual({
      delta: { ifIndex: -1n, Ip6InReceives: 5n, Ip6OutRequests: -6n },
      resets: [{ group: '', name: 'Ip6OutRequests', before: 7n, after: 1n }],
    });
  });

  it('never flags sockstat values, which are all gauges', () => {
    const before = parseSockstat('TCP: inuse 30 orphan 2 tw 9 alloc 40 mem 100\n');
    const after = parseSockstat('TCP: inuse 3 orphan 0 tw 1 alloc 4 mem 10\n');
    const diff = diffCounters(before, after);
    expect(diff.resets).toEqual([]);
    expect(diff.delta.TCP).toEqual({ inuse: -27n, orphan: -2n, tw: -8n, alloc: -36n, mem: -90n });
  });

  it('knows the gauges', () => {
    expect(isCounterGauge('Tcp', 'CurrEstab')).toBe(true);
    expect(isCounterGauge('Tcp', 'MaxConn')).toBe(true);
    expect(isCounterGauge('Ip', 'Forwarding')).toBe(true);
    expect(isCounterGauge('', 'ifIndex')).toBe(true);
    expect(isCounterGauge('FRAG6', 'memory')).toBe(true);
    expect(isCounterGauge('Tcp', 'InSegs')).toBe(false);
    expect(isCounterGauge('TcpExt', 'TW')).toBe(false);
    expect(isCounterGauge('', 'Ip6InReceives')).toBe(false);
    expect(isCounterGauge('constructor', 'toString')).toBe(false);
  });

  const group = fc.dictionary(fc.constantFrom('A', 'B', 'C', 'D'), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
  const groups = fc.dictionary(fc.constantFrom('TcpExt', 'IpExt', 'Udp'), group);

  test.prop([groups, groups])('before + delta = after, name by name', (before, after) => {
    const { delta, resets } = diffCounters(before as CounterGroups, after as CounterGroups);
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      for (const key of new Set([...Object.keys(before[name] ?? {}), ...Object.keys(after[name] ?? {})])) {
        const b = before[name]?.[key] ?? 0n;
        const a = after[name]?.[key] ?? 0n;
        expect(delta[name]?.[key]).toBe(a - b);
        expect(resets.some((reset) => reset.group === name && reset.name === key)).toBe(a < b);
      }
    }
  });
});

describe('rateCounters', () => {
  it('divides each change by the seconds between samples', () => {
    const rates = rateCounters(BEFORE, AFTER, 10);
    expect(rates.Ip).toEqual({ Forwarding: 0.1, DefaultTTL: 0, InReceives: 50 });
    expect(rates.IcmpMsg).toEqual({ InType3: 0, InType8: 0.2 });
    expect(rates.Udp).toEqual({ InDatagrams: 3 });
  });

  it('counts a reset counter from zero and lets a gauge go negative', () => {
    const rates = rateCounters(BEFORE, AFTER, 2);
    expect(rates.Tcp).toEqual({ MaxConn: 0, CurrEstab: -4, InSegs: 500, RetransSegs: 2 });
  });

  it('rates flat snmp6 records', () => {
    const before = parseSnmp6('Ip6InOctets\t1000\n');
    const after = parseSnmp6('Ip6InOctets\t4000\n');
    expect(rateCounters(before, after, 0.5)).toEqual({ Ip6InOctets: 6000 });
  });

  it('rejects a non-positive or non-finite interval', () => {
    for (const seconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => rateCounters(BEFORE, AFTER, seconds)).toThrow(RangeError);
    }
  });
});
