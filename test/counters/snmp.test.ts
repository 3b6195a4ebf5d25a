import { describe, expect, it } from 'vitest';
import { parseSnmp } from '../../src/counters/index.js';
import type { ProcNetParseError } from '../../src/errors.js';
import { CORPUS, SPEC_CAPTURE } from '../support/paths.js';
import { catchError } from './catch-error.js';
import { formatCounterPairs } from './format.js';
import { readSample, readSampleBytes, referencePairs, toMaps } from './samples.js';

/** Every snmp sample, with the number of names per group counted by hand from the raw files. */
const SNMP_SAMPLES: Record<string, Record<string, number>> = {
  [`${SPEC_CAPTURE}proc-net-snmp`]: { Ip: 20, Icmp: 29, IcmpMsg: 4, Tcp: 15, Udp: 9, UdpLite: 9 },
  [`${CORPUS}below/snmp`]: { Ip: 19, Icmp: 27, IcmpMsg: 2, Tcp: 15, Udp: 8, UdpLite: 8 },
  [`${CORPUS}cadvisor/snmp`]: { Ip: 19, Icmp: 27, IcmpMsg: 13, Tcp: 15, Udp: 8, UdpLite: 8 },
  [`${CORPUS}dd-agent/snmp`]: { Ip: 19, Icmp: 27, IcmpMsg: 2, Tcp: 15, Udp: 7, UdpLite: 7 },
  [`${CORPUS}go-sysinfo/snmp`]: { Ip: 19, Icmp: 27, IcmpMsg: 4, Tcp: 15, Udp: 8, UdpLite: 8 },
  [`${CORPUS}goprocinfo/snmp`]: { Ip: 19, Icmp: 26, IcmpMsg: 4, Tcp: 14, Udp: 6, UdpLite: 6 },
  [`${CORPUS}integrations-core/snmp`]: { Ip: 19, Icmp: 27, IcmpMsg: 4, Tcp: 15, Udp: 9, UdpLite: 9 },
  [`${CORPUS}node_exporter/snmp`]: { Ip: 19, Icmp: 27, IcmpMsg: 2, Tcp: 15, Udp: 7, UdpLite: 7 },
  [`${CORPUS}procfs/snmp`]: { Ip: 19, Icmp: 27, IcmpMsg: 2, Tcp: 15, Udp: 8, UdpLite: 8 },
  [`${CORPUS}eminence-procfs/snmp.debian-6.8.12`]: { Ip: 20, Icmp: 29, IcmpMsg: 2, Tcp: 15, Udp: 9, UdpLite: 9 },
  [`${CORPUS}eminence-procfs/snmp.issue-310`]: { Ip: 20, Icmp: 29, Tcp: 15, Udp: 9, UdpLite: 9 },
};

const CAPTURE_SNMP = readSample(`${SPEC_CAPTURE}proc-net-snmp`);

describe('parseSnmp on real samples', () => {
  for (const [path, counts] of Object.entries(SNMP_SAMPLES)) {
    it(`parses ${path.replace(/^.*\/(corpus|spec)\//, '')}`, () => {
      const text = readSample(path);
      const snmp = parseSnmp(text);
      expect(
        Object.fromEntries(Object.entries(snmp).map(([group, counters]) => [group, Object.keys(counters).length])),
      ).toEqual(counts);
      expect(toMaps(snmp)).toEqual(referencePairs(text));
      expect(snmp.Tcp?.MaxConn).toBe(-1n);
      expect(parseSnmp(readSampleBytes(path))).toEqual(snmp);
    });
  }

  it('reads the 6.18 capture exactly', () => {
    const snmp = parseSnmp(CAPTURE_SNMP);
    expect(Object.keys(snmp)).toEqual(['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite']);
    expect(snmp.Tcp).toEqual({
      RtoAlgorithm: 1n,
      RtoMin: 200n,
      RtoMax: 120000n,
      MaxConn: -1n,
      ActiveOpens: 18n,
      PassiveOpens: 15n,
      AttemptFails: 0n,
      EstabResets: 0n,
      CurrEstab: 21n,
      InSegs: 109n,
      OutSegs: 108n,
      RetransSegs: 1n,
      InErrs: 0n,
      OutRsts: 0n,
      InCsumErrors: 0n,
    });
    expect(snmp.IcmpMsg).toEqual({ InType0: 1n, InType8: 1n, OutType0: 1n, OutType8: 1n });
    expect(snmp.Ip?.Forwarding).toBe(2n);
    expect(snmp.Ip?.OutTransmits).toBe(300n);
    expect(snmp.Icmp?.OutRateLimitHost).toBe(0n);
    expect(snmp.Udp?.InErrors).toBe(199n);
    expect(snmp.Udp?.MemErrors).toBe(0n);
  });

  it('keeps values of production hosts (no final newline)', () => {
    const snmp = parseSnmp(readSample(`${CORPUS}cadvisor/snmp`));
    expect(snmp.Ip?.InReceives).toBe(22010002886n);
    expect(snmp.Tcp?.OutSegs).toBe(28027757848n);
    expect(snmp.IcmpMsg?.InType165).toBe(1n);
    expect(snmp.UdpLite).toEqual({
      InDatagrams: 2n,
      NoPorts: 1n,
      InErrors: 0n,
      OutDatagrams: 3n,
      RcvbufErrors: 0n,
      SndbufErrors: 0n,
      InCsumErrors: 0n,
      IgnoredMulti: 0n,
    });
    expect(parseSnmp(readSample(`${CORPUS}below/snmp`)).Ip?.DefaultTTL).toBe(96n);
  });

  it('tolerates an absent IcmpMsg (eminence-procfs issue #310)', () => {
    const snmp = parseSnmp(readSample(`${CORPUS}eminence-procfs/snmp.issue-310`));
    expect(snmp.IcmpMsg).toBeUndefined();
    expect('IcmpMsg' in snmp).toBe(false);
    expect(snmp.Tcp?.ActiveOpens).toBe(177n);
  });

  it('reads an old kernel without InCsumErrors (goprocinfo, 2.6/3.x)', () => {
    const snmp = parseSnmp(readSample(`${CORPUS}goprocinfo/snmp`));
    expect(snmp.Icmp?.InCsumErrors).toBeUndefined();
    expect(Object.keys(snmp.Udp ?? {})).toEqual([
      'InDatagrams',
      'NoPorts',
      'InErrors',
      'OutDatagrams',
      'RcvbufErrors',
      'SndbufErrors',
    ]);
  });
});

describe('parseSnmp on synthetic variants', () => {
  it('merges IcmpMsg split over two pairs (17+ types, 16 per pair)', () => {
    const icmpMsg: Record<string, bigint> = {};
    for (let type = 0; type < 10; type++) icmpMsg[`InType${type}`] = BigInt(type + 100);
    for (let type = 0; type < 10; type++) icmpMsg[`OutType${type}`] = BigInt(type + 200);
    const text = formatCounterPairs({ Ip: { Forwarding: 1n }, IcmpMsg: icmpMsg, Tcp: { MaxConn: -1n } });
    expect(text.split('\n').filter((line) => line.startsWith('IcmpMsg:'))).toHaveLength(4);
    expect(text).toContain('IcmpMsg: InType0 InType1 InType2 InType3 InType4 InType5 InType6 InType7 InType8 InType9');
    const snmp = parseSnmp(text);
    expect(snmp.IcmpMsg).toEqual(icmpMsg);
    expect(Object.keys(snmp.IcmpMsg ?? {})).toHaveLength(20);
    expect(snmp.IcmpMsg?.OutType9).toBe(209n);
    expect(Object.keys(snmp)).toEqual(['Ip', 'IcmpMsg', 'Tcp']);
  });

  it('keeps a column added in the middle of a line', () => {
    const text = CAPTURE_SNMP.replace('MaxConn ActiveOpens', 'MaxConn FutureCounter ActiveOpens').replace(
      'Tcp: 1 200 120000 -1 18',
      'Tcp: 1 200 120000 -1 42 18',
    );
    const snmp = parseSnmp(text);
    expect(snmp.Tcp?.FutureCounter).toBe(42n);
    expect(snmp.Tcp?.ActiveOpens).toBe(18n);
    expect(snmp.Tcp?.PassiveOpens).toBe(15n);
    expect(snmp.Tcp?.InCsumErrors).toBe(0n);
    expect(Object.keys(snmp.Tcp ?? {})).toHaveLength(16);
  });

  it('keeps unknown groups and tolerates missing ones', () => {
    const snmp = parseSnmp('Sctp: InPkts OutPkts\nSctp: 5 6\nTcp: MaxConn\nTcp: -1\n');
    expect(snmp).toEqual({ Sctp: { InPkts: 5n, OutPkts: 6n }, Tcp: { MaxConn: -1n } });
    expect(snmp.Ip).toBeUndefined();
  });

  it('keeps values above 2^53 exact, up to 2^64 - 1', () => {
    const snmp = parseSnmp(
      'IpExt: A B C D\nIpExt: 9007199254740993 18446744073709551615 123456789012345678 -9223372036854775808\n',
    );
    expect(snmp.IpExt).toEqual({
      A: 9007199254740993n,
      B: 18446744073709551615n,
      C: 123456789012345678n,
      D: -9223372036854775808n,
    });
  });

  it('rejects a value outside 64 bits', () => {
    const error = catchError(() => parseSnmp('Ip: A B\nIp: 1 18446744073709551616\n'));
    expect(error.code).toBe('BAD_NUMBER');
    expect(error.field).toBe('Ip.B');
    expect([error.line, error.column, error.offset]).toEqual([2, 7, 14]);
    expect(error.text).toBe('18446744073709551616');
  });

  it('accepts CRLF line ends, TABs and extra spaces', () => {
    const crlf = CAPTURE_SNMP.replaceAll('\n', '\r\n');
    expect(parseSnmp(crlf)).toEqual(parseSnmp(CAPTURE_SNMP));
    expect(parseSnmp('  Tcp:\tA   B  \n\tTcp: 1\t2\n\n')).toEqual({ Tcp: { A: 1n, B: 2n } });
  });

  it('treats __proto__ and constructor as ordinary names', () => {
    const snmp = parseSnmp('__proto__: constructor __proto__ toString\n__proto__: 1 2 3\n');
    expect(Object.keys(snmp)).toEqual(['__proto__']);
    const proto = '__proto__';
    const group = snmp[proto];
    expect(Object.keys(group ?? {})).toEqual(['constructor', '__proto__', 'toString']);
    expect(group?.[proto]).toBe(2n);
    expect(group?.constructor).toBe(1n);
    expect(parseSnmp('Tcp: A\nTcp: 1\n').constructor).toBeUndefined();
  });
});

describe('parseSnmp errors', () => {
  const mismatch = 'Ip: Forwarding DefaultTTL\nIp: 2 64\nTcp: A B C\nTcp: 1 2 3 4\nUdp: X\nUdp: 7\n';

  it('throws COUNTER_MISMATCH at the first extra value', () => {
    const error = catchError(() => parseSnmp(mismatch));
    expect(error.code).toBe('COUNTER_MISMATCH');
    expect([error.line, error.column, error.offset, error.field, error.text]).toEqual([4, 12, 57, 'Tcp', '4']);
    expect(error.message).toBe('snmp:4:12 (field Tcp): group Tcp has 3 names in its header line but 4 values: "4"');
  });

  it("skips only the broken group with onInvalidRow: 'skip'", () => {
    expect(parseSnmp(mismatch, { onInvalidRow: 'skip' })).toEqual({
      Ip: { Forwarding: 2n, DefaultTTL: 64n },
      Udp: { X: 7n },
    });
  });

  it('hands the error to a callback and keeps the rest', () => {
    const errors: ProcNetParseError[] = [];
    const snmp = parseSnmp(mismatch, { onInvalidRow: (error) => errors.push(error), file: '/proc/net/snmp' });
    expect(Object.keys(snmp)).toEqual(['Ip', 'Udp']);
    expect(errors.map((error) => [error.code, error.file, error.line])).toEqual([
      ['COUNTER_MISMATCH', '/proc/net/snmp', 4],
    ]);
  });

  it('reports fewer values than names at the end of the value line', () => {
    const error = catchError(() => parseSnmp('Tcp: A B C\nTcp: 1 2\nUdp: X\nUdp: 1\n'));
    expect(error.code).toBe('COUNTER_MISMATCH');
    expect([error.line, error.column, error.text]).toEqual([2, 9, '']);
  });

  it('reports a value line cut short at the end of the input as TRUNCATED_ROW', () => {
    const error = catchError(() => parseSnmp('Tcp: A B C\nTcp: 1 2'));
    expect(error.code).toBe('TRUNCATED_ROW');
    expect(catchError(() => parseSnmp('Ip: A\nIp: 1\nTcp: A B C\n')).code).toBe('TRUNCATED_ROW');
    const cut = CAPTURE_SNMP.slice(0, CAPTURE_SNMP.indexOf('UdpLite: 0') + 12);
    const errors: ProcNetParseError[] = [];
    const snmp = parseSnmp(cut, { onInvalidRow: (e) => errors.push(e) });
    expect(errors.map((e) => [e.code, e.line, e.field])).toEqual([['TRUNCATED_ROW', 12, 'UdpLite']]);
    expect(Object.keys(snmp)).toEqual(['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp']);
  });

  it('reports a header line followed by another group', () => {
    const errors: ProcNetParseError[] = [];
    const snmp = parseSnmp('Ip: A\nTcp: B\nTcp: 2\n', { onInvalidRow: (e) => errors.push(e) });
    expect(snmp).toEqual({ Tcp: { B: 2n } });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('COUNTER_MISMATCH');
    expect(errors[0]?.reason).toBe('the header line of group Ip is followed by group Tcp, not by its value line');
    expect([errors[0]?.line, errors[0]?.column]).toEqual([1, 1]);
  });

  it('reports a value line with no header line', () => {
    const error = catchError(() => parseSnmp('Ip: 1 64\nTcp: B\nTcp: 2\n'));
    expect(error.code).toBe('COUNTER_MISMATCH');
    expect(error.reason).toBe('a value line of group Ip has no header line before it');
  });

  it('reports a non-number with its position and counter', () => {
    const error = catchError(() => parseSnmp('Tcp: RtoAlgorithm RtoMin\nTcp: 1 2x0\n'));
    expect(error.code).toBe('BAD_NUMBER');
    expect([error.line, error.column, error.offset, error.field, error.text]).toEqual([2, 8, 32, 'Tcp.RtoMin', '2x0']);
  });

  it('reports a repeated name, so two joined dumps are not silently merged', () => {
    const error = catchError(() => parseSnmp(CAPTURE_SNMP + CAPTURE_SNMP));
    expect(error.code).toBe('DUPLICATE_COUNTER');
    expect([error.line, error.field]).toEqual([13, 'Ip.Forwarding']);
    expect(parseSnmp(CAPTURE_SNMP + CAPTURE_SNMP, { onInvalidRow: 'skip' })).toEqual(parseSnmp(CAPTURE_SNMP));
    expect(catchError(() => parseSnmp('Tcp: A A\nTcp: 1 2\n')).code).toBe('DUPLICATE_COUNTER');
  });

  it('reports a line without a group prefix', () => {
    const error = catchError(() => parseSnmp('Ip: A\nIp: 1\ngarbage here\n'));
    expect(error.code).toBe('BAD_SEPARATOR');
    expect([error.line, error.column, error.text]).toEqual([3, 1, 'garbage']);
    expect(parseSnmp('Ip: A\ngarbage\nIp: 1\n', { onInvalidRow: 'skip' })).toEqual({ Ip: { A: 1n } });
    expect(catchError(() => parseSnmp('I-p: A\nI-p: 1\n')).code).toBe('BAD_COUNTER_NAME');
    expect(catchError(() => parseSnmp('Ip: A:\nIp: 1\n')).code).toBe('BAD_COUNTER_NAME');
  });

  it('throws MISSING_HEADER for empty input, even when skipping', () => {
    for (const input of ['', '\n\n', '  \n', new Uint8Array()]) {
      const error = catchError(() => parseSnmp(input, { onInvalidRow: 'skip' }));
      expect(error.code).toBe('MISSING_HEADER');
    }
  });

  it('escapes control bytes in the error text', () => {
    const error = catchError(() =>
      parseSnmp(new Uint8Array([0x49, 0x70, 0x3a, 0x20, 0x41, 10, 0x49, 0x70, 0x3a, 0x20, 0x31, 0x1b, 0x9b])),
    );
    expect(error.code).toBe('BAD_NUMBER');
    expect(error.text).toBe('1\\x1b\\x9b');
  });
});
