import { describe, expect, it } from 'vitest';
import { parseSnmp6 } from '../../src/counters/index.js';
import type { ProcNetParseError } from '../../src/errors.js';
import { CORPUS, SPEC_CAPTURE } from '../support/paths.js';
import { catchError } from './catch-error.js';
import { formatSnmp6 } from './format.js';
import { readSample, readSampleBytes, referenceLines } from './samples.js';

/** Every snmp6 and dev_snmp6 sample with its number of counters (non-blank lines). */
const SNMP6_SAMPLES: Record<string, number> = {
  [`${SPEC_CAPTURE}proc-net-snmp6`]: 86,
  [`${CORPUS}below/snmp6`]: 97,
  [`${CORPUS}goprocinfo/snmp6`]: 77,
  [`${CORPUS}node_exporter/snmp6`]: 85,
  [`${CORPUS}goprocinfo/dev_snmp6_eth0`]: 66,
  [`${CORPUS}procfs/dev_snmp6_eth0`]: 83,
  [`${CORPUS}procfs/dev_snmp6_eth1`]: 80,
};

const PROCFS_SNMP6 = readSample(`${CORPUS}procfs/snmp6`);

describe('parseSnmp6 on real samples', () => {
  for (const [path, count] of Object.entries(SNMP6_SAMPLES)) {
    it(`parses ${path.replace(/^.*\/(corpus|spec)\//, '')}`, () => {
      const text = readSample(path);
      const snmp6 = parseSnmp6(text);
      expect(Object.keys(snmp6)).toHaveLength(count);
      expect(new Map(Object.entries(snmp6))).toEqual(referenceLines(text));
      expect(parseSnmp6(readSampleBytes(path))).toEqual(snmp6);
    });
  }

  it('reads the 6.18 capture', () => {
    const snmp6 = parseSnmp6(readSample(`${SPEC_CAPTURE}proc-net-snmp6`));
    expect(Object.keys(snmp6)[0]).toBe('Ip6InReceives');
    expect(snmp6.Ip6InReceives).toBe(16n);
    expect(snmp6.Ip6InOctets).toBe(1197n);
    expect(snmp6.Ip6OutOctets).toBe(1197n);
  });

  it('reads dev_snmp6 files, which start with ifIndex', () => {
    const eth1 = parseSnmp6(readSample(`${CORPUS}procfs/dev_snmp6_eth1`), { file: 'dev_snmp6/eth1' });
    expect(Object.keys(eth1)[0]).toBe('ifIndex');
    expect(eth1.ifIndex).toBe(2n);
    expect(eth1.Ip6InOctets).toBe(303177290674n);
    expect(parseSnmp6(readSample(`${CORPUS}procfs/dev_snmp6_eth0`)).ifIndex).toBe(1n);
  });

  it('reads 13-digit counters with no final newline (below)', () => {
    const snmp6 = parseSnmp6(readSample(`${CORPUS}below/snmp6`));
    expect(snmp6.Ip6InOctets).toBe(4493023649370n);
    expect(snmp6.Icmp6InType128).toBe(24443n);
  });

  it("reports procfs's stray `Mode: 644` line instead of mixing it in", () => {
    const error = catchError(() => parseSnmp6(PROCFS_SNMP6));
    expect(error.code).toBe('BAD_COUNTER_NAME');
    expect([error.line, error.column, error.text, error.field]).toEqual([92, 1, 'Mode: 644', '']);
    expect(error.offset).toBe(PROCFS_SNMP6.indexOf('Mode: 644'));
    const errors: ProcNetParseError[] = [];
    const snmp6 = parseSnmp6(PROCFS_SNMP6, { onInvalidRow: (e) => errors.push(e) });
    expect(errors.map((e) => e.code)).toEqual(['BAD_COUNTER_NAME']);
    expect(Object.keys(snmp6)).toHaveLength(91);
    expect(Object.keys(snmp6).some((name) => name.startsWith('Mode'))).toBe(false);
    expect(snmp6.Ip6InReceives).toBe(92166n);
    expect(snmp6.UdpLite6InCsumErrors).toBe(0n);
  });
});

describe('parseSnmp6 on synthetic input', () => {
  it('takes long names (no padding left), spaces instead of the TAB, and values above 2^53', () => {
    const long = 'Icmp6OutMLDv2ReportsButMuchLongerThan32';
    const snmp6 = parseSnmp6(`${long}\t9007199254740993\nIp6InReceives 18446744073709551615\n`);
    expect(snmp6).toEqual({ [long]: 9007199254740993n, Ip6InReceives: 18446744073709551615n });
  });

  it('round-trips the kernel format', () => {
    const counters = { ifIndex: 7n, Ip6InReceives: 123456789012345678n, Icmp6InType133: 0n };
    expect(formatSnmp6(counters)).toContain(`ifIndex${' '.repeat(25)}\t7\n`);
    expect(parseSnmp6(formatSnmp6(counters))).toEqual(counters);
  });

  it('reports a name without value, a second value, a bad value and a repeated name', () => {
    const text = 'Ip6A\t1\nIp6B\nIp6C\t1 2\nIp6D\tx\nIp6A\t5\nIp6E\t3\n';
    const errors: ProcNetParseError[] = [];
    const snmp6 = parseSnmp6(text, { onInvalidRow: (e) => errors.push(e) });
    expect(snmp6).toEqual({ Ip6A: 1n, Ip6E: 3n });
    expect(errors.map((e) => [e.code, e.line, e.column, e.field, e.text])).toEqual([
      ['COUNTER_MISMATCH', 2, 5, 'Ip6B', ''],
      ['COUNTER_MISMATCH', 3, 8, 'Ip6C', '2'],
      ['BAD_NUMBER', 4, 6, 'Ip6D', 'x'],
      ['DUPLICATE_COUNTER', 5, 1, 'Ip6A', 'Ip6A'],
    ]);
    expect(parseSnmp6(text, { onInvalidRow: 'skip' })).toEqual(snmp6);
    expect(catchError(() => parseSnmp6(text)).line).toBe(2);
  });

  it('reports a last line cut before its value as TRUNCATED_ROW', () => {
    expect(catchError(() => parseSnmp6('Ip6InReceives\t5\nIp6InHdrErrors ')).code).toBe('TRUNCATED_ROW');
  });

  it('throws MISSING_HEADER for empty input', () => {
    expect(catchError(() => parseSnmp6('\n', { onInvalidRow: 'skip' })).code).toBe('MISSING_HEADER');
  });
});
