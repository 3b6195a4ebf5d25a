import { describe, expect, it } from 'vitest';
import { parseNetstat } from '../../src/counters/index.js';
import type { ProcNetParseError } from '../../src/errors.js';
import { CORPUS, SPEC_CAPTURE } from '../support/paths.js';
import { catchError } from './catch-error.js';
import { readSample, readSampleBytes, referencePairs, toMaps } from './samples.js';

/** Every netstat sample, with the number of names per group counted from the raw files. */
const NETSTAT_SAMPLES: Record<string, Record<string, number>> = {
  [`${SPEC_CAPTURE}proc-net-netstat`]: { TcpExt: 135, IpExt: 18, MPTcpExt: 76 },
  [`${CORPUS}below/netstat`]: { TcpExt: 118, IpExt: 18 },
  [`${CORPUS}dd-agent/netstat`]: { TcpExt: 95, IpExt: 17 },
  [`${CORPUS}eminence-procfs/netstat.pr304`]: { TcpExt: 126, IpExt: 18, MPTcpExt: 38 },
  [`${CORPUS}go-sysinfo/netstat`]: { TcpExt: 117, IpExt: 18 },
  [`${CORPUS}goprocinfo/netstat`]: { TcpExt: 79, IpExt: 12 },
  [`${CORPUS}integrations-core/netstat`]: { TcpExt: 123, IpExt: 18, MPTcpExt: 22 },
  [`${CORPUS}jc/net_netstat`]: { TcpExt: 121, IpExt: 18, MPTcpExt: 13 },
  [`${CORPUS}node_exporter/netstat`]: { TcpExt: 82, IpExt: 12 },
  [`${CORPUS}procfs/netstat`]: { TcpExt: 113, IpExt: 18 },
};

const CAPTURE_NETSTAT = readSample(`${SPEC_CAPTURE}proc-net-netstat`);
const PROCFS_NETSTAT = readSample(`${CORPUS}procfs/netstat`);

describe('parseNetstat on real samples', () => {
  for (const [path, counts] of Object.entries(NETSTAT_SAMPLES)) {
    it(`parses ${path.replace(/^.*\/(corpus|spec)\//, '')}`, () => {
      const text = readSample(path);
      const netstat = parseNetstat(text);
      expect(
        Object.fromEntries(Object.entries(netstat).map(([group, counters]) => [group, Object.keys(counters).length])),
      ).toEqual(counts);
      expect(toMaps(netstat)).toEqual(referencePairs(text));
      expect(parseNetstat(readSampleBytes(path))).toEqual(netstat);
    });
  }

  it('reads the 6.18 capture exactly', () => {
    const netstat = parseNetstat(CAPTURE_NETSTAT);
    expect(Object.keys(netstat)).toEqual(['TcpExt', 'IpExt', 'MPTcpExt']);
    expect(netstat.TcpExt?.TW).toBe(3n);
    expect(netstat.TcpExt?.DelayedACKs).toBe(9n);
    expect(netstat.TcpExt?.SyncookiesSent).toBe(0n);
    expect(netstat.IpExt?.InOctets).toBe(228310n);
    expect(netstat.IpExt?.InNoECTPkts).toBe(300n);
    expect(netstat.MPTcpExt?.MPCapableSYNRX).toBe(0n);
  });

  it('reads large production counters (below, no final newline)', () => {
    const netstat = parseNetstat(readSample(`${CORPUS}below/netstat`));
    expect(netstat.IpExt?.InOctets).toBe(3021953584043n);
    expect(parseNetstat(readSample(`${CORPUS}go-sysinfo/netstat`)).TcpExt?.TCPTimeouts).toBe(1955n);
  });

  it('reads the procfs sample with its hand-inserted TCPRcvQDrop', () => {
    const netstat = parseNetstat(PROCFS_NETSTAT);
    expect(netstat.TcpExt?.TCPRcvQDrop).toBe(92425n);
    expect(Object.keys(netstat.TcpExt ?? {}).indexOf('TCPRcvQDrop')).toBe(77);
  });

  it("reports the procfs sample's earlier state (113 names, 114 values) and keeps IpExt when skipping", () => {
    const broken = PROCFS_NETSTAT.replace(' TCPRcvQDrop', '');
    const error = catchError(() => parseNetstat(broken));
    expect(error.code).toBe('COUNTER_MISMATCH');
    expect([error.line, error.field]).toEqual([2, 'TcpExt']);
    expect(error.reason).toBe('group TcpExt has 112 names in its header line but 113 values');
    const errors: ProcNetParseError[] = [];
    const netstat = parseNetstat(broken, { onInvalidRow: (e) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(Object.keys(netstat)).toEqual(['IpExt']);
    expect(netstat.IpExt).toEqual(parseNetstat(PROCFS_NETSTAT).IpExt);
  });

  it('names netstat in its errors', () => {
    expect(catchError(() => parseNetstat('TcpExt: A\n')).message).toBe(
      'netstat:1:1 (field TcpExt): the input ends after the header line of group TcpExt, without its value line: "TcpExt:"',
    );
  });
});
