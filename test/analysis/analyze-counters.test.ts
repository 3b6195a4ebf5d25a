import { describe, expect, it } from 'vitest';
import { analyzeCounters, type CounterSample, type Finding } from '../../src/analysis/index.js';
import { captureCounters } from './capture.js';

const summaries = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.id}: ${f.summary}`);

/** The capture's counters as they would have been `minus` events earlier. */
function earlier(minus: Record<string, Record<string, bigint>>, snmp6: Record<string, bigint> = {}): CounterSample {
  const c = captureCounters();
  for (const [group, names] of Object.entries(minus)) {
    for (const [name, n] of Object.entries(names)) {
      const g = (c.snmp[group] ?? c.netstat[group]) as Record<string, bigint>;
      g[name] = (g[name] as bigint) - n;
    }
  }
  for (const [name, n] of Object.entries(snmp6)) c.snmp6[name] = (c.snmp6[name] as bigint) - n;
  return c;
}

/** A later sample: the capture plus `plus` events. */
function later(plus: Record<string, Record<string, bigint>>): CounterSample {
  const c = captureCounters();
  for (const [group, names] of Object.entries(plus)) {
    for (const [name, n] of Object.entries(names)) {
      const g = (c.snmp[group] ?? c.netstat[group]) as Record<string, bigint>;
      g[name] = (g[name] as bigint) + n;
    }
  }
  return c;
}

describe('analyzeCounters on the 6.18 capture alone (totals since the namespace was created)', () => {
  const findings = analyzeCounters(null, captureCounters());

  it('reports the 2 listen overflows and the 199 UDP receive-buffer errors as info', () => {
    expect(summaries(findings)).toEqual([
      'info listen-overflow: ListenOverflows 2, ListenDrops 2 since the counters started (boot or namespace creation): connections were dropped at full listen queues.',
      'info udp-receive-errors: Udp RcvbufErrors 199, InErrors 199 since the counters started (boot or namespace creation): UDP datagrams were dropped on receive.',
    ]);
    expect(findings[0]?.evidence).toEqual({ listenOverflows: 2, listenDrops: 2, seconds: null, perSecond: null });
    expect(findings[1]?.evidence).toEqual({
      udpRcvbufErrors: 199,
      udpInErrors: 199,
      udp6RcvbufErrors: 0,
      udp6InErrors: 0,
      errors: 199,
      seconds: null,
      perSecond: null,
    });
  });

  it('gives no retransmission verdict on 108 segments (1 retransmitted)', () => {
    expect(findings.some((f) => f.id === 'tcp-retransmissions')).toBe(false);
    expect(analyzeCounters(null, captureCounters(), null, { retransMinSegments: 100 })).toHaveLength(2);
  });

  it('judges TCP mem (4053 pages, host-wide) against tcp_mem when given, at full severity', () => {
    const at = (tcpMem: [number, number, number]) =>
      analyzeCounters(null, captureCounters(), null, { tcpMem }).filter((f) => f.id === 'tcp-memory-pressure');
    expect(summaries(at([1000, 4000, 5000]))).toEqual([
      'warning tcp-memory-pressure: TCP memory 4053 pages (15.8 MiB) is above the net.ipv4.tcp_mem pressure threshold of 4000 pages.',
    ]);
    expect(at([1000, 2000, 4053])[0]?.severity).toBe('critical');
    expect(at([1000, 2000, 4053])[0]?.evidence).toEqual({
      tcpMemPages: 4053,
      tcpMemBytes: 4053 * 4096,
      tcpMemPressure: 2000,
      tcpMemMax: 4053,
      memoryPressures: 0,
      abortOnMemory: 0,
      seconds: null,
    });
    expect(at([5000, 6000, 7000])).toEqual([]);
    const big = analyzeCounters(null, captureCounters(), null, { tcpMem: [1, 2, 3], pageSize: 65536 });
    expect(big.find((f) => f.id === 'tcp-memory-pressure')?.evidence.tcpMemBytes).toBe(4053 * 65536);
  });
});

describe('analyzeCounters between two samples', () => {
  it('finds nothing when nothing happened in the interval', () => {
    expect(analyzeCounters(captureCounters(), captureCounters(), 10)).toEqual([]);
  });

  it('warns about listen overflows in the interval, critical from listenOverflowCriticalPerSecond', () => {
    const before = earlier({ TcpExt: { ListenOverflows: 2n, ListenDrops: 2n } });
    const slow = analyzeCounters(before, captureCounters(), 10);
    expect(summaries(slow)).toEqual([
      'warning listen-overflow: ListenOverflows +2, ListenDrops +2 in 10 s (0.20 per second): connections were dropped at full listen queues.',
    ]);
    expect(slow[0]?.evidence).toEqual({ listenOverflows: 2, listenDrops: 2, seconds: 10, perSecond: 0.2 });
    expect(analyzeCounters(before, captureCounters(), 2)[0]?.severity).toBe('critical');
    expect(analyzeCounters(before, captureCounters(), 2, { listenOverflowCriticalPerSecond: 5 })[0]?.severity).toBe(
      'warning',
    );
  });

  it('judges the retransmission rate of the interval', () => {
    const after = later({ Tcp: { OutSegs: 10_000n, RetransSegs: 300n } });
    expect(summaries(analyzeCounters(captureCounters(), after, 10))).toEqual([
      'warning tcp-retransmissions: 3.0 % of the TCP segments sent were retransmissions (RetransSegs +300 of OutSegs +10000 in 10 s).',
    ]);
    expect(analyzeCounters(captureCounters(), after, 10)[0]?.evidence).toEqual({
      retransSegs: 300,
      outSegs: 10000,
      ratio: 0.03,
      seconds: 10,
      perSecond: 30,
    });
    const worse = later({ Tcp: { OutSegs: 10_000n, RetransSegs: 1500n } });
    expect(analyzeCounters(captureCounters(), worse, 10)[0]?.severity).toBe('critical');
    const fine = later({ Tcp: { OutSegs: 10_000n, RetransSegs: 150n } });
    expect(analyzeCounters(captureCounters(), fine, 10)).toEqual([]);
    const few = later({ Tcp: { OutSegs: 500n, RetransSegs: 100n } });
    expect(analyzeCounters(captureCounters(), few, 10)).toEqual([]);
  });

  it('reports UDP receive errors of IPv4 and IPv6 sockets, critical from udpErrorsCriticalPerSecond', () => {
    const before = earlier({ Udp: { RcvbufErrors: 199n, InErrors: 199n } }, { Udp6RcvbufErrors: 0n });
    const after = captureCounters();
    after.snmp6.Udp6RcvbufErrors = 50n;
    after.snmp6.Udp6InErrors = 50n;
    const [f] = analyzeCounters(before, after, 10);
    expect(f?.summary).toBe(
      'Udp RcvbufErrors +199, InErrors +199, Udp6RcvbufErrors +50, Udp6InErrors +50 in 10 s (24.90 per second): UDP datagrams were dropped on receive.',
    );
    expect(f?.severity).toBe('warning');
    expect(f?.evidence.errors).toBe(249);
    expect(analyzeCounters(before, after, 2)[0]?.severity).toBe('critical');
  });

  it('reports TCP memory pressure events and aborts for lack of memory', () => {
    expect(summaries(analyzeCounters(captureCounters(), later({ TcpExt: { TCPMemoryPressures: 3n } }), 10))).toEqual([
      'warning tcp-memory-pressure: TCPMemoryPressures +3 in 10 s.',
    ]);
    const aborts = analyzeCounters(
      captureCounters(),
      later({ TcpExt: { TCPMemoryPressures: 3n, TCPAbortOnMemory: 1n } }),
      10,
    );
    expect(summaries(aborts)).toEqual([
      'critical tcp-memory-pressure: TCPMemoryPressures +3 in 10 s; TCPAbortOnMemory +1 in 10 s.',
    ]);
  });

  it('reports counters that went backwards and judges the later sample alone', () => {
    const findings = analyzeCounters(
      later({ Tcp: { OutSegs: 1000n }, TcpExt: { ListenDrops: 5n } }),
      captureCounters(),
      10,
    );
    expect(summaries(findings)).toEqual([
      'info counters-reset: TcpExt ListenDrops, Tcp OutSegs went backwards between the samples; the later sample is judged on its own.',
      'info listen-overflow: ListenOverflows 2, ListenDrops 2 since the counters started (boot or namespace creation): connections were dropped at full listen queues.',
      'info udp-receive-errors: Udp RcvbufErrors 199, InErrors 199 since the counters started (boot or namespace creation): UDP datagrams were dropped on receive.',
    ]);
  });

  it('skips the checks whose file is missing from a sample', () => {
    const before = earlier({ TcpExt: { ListenOverflows: 2n }, Udp: { RcvbufErrors: 1n, InErrors: 1n } });
    expect(analyzeCounters({ snmp: before.snmp }, captureCounters(), 10).map((f) => f.id)).toEqual([
      'udp-receive-errors',
    ]);
    expect(analyzeCounters({}, {}, 10)).toEqual([]);
    expect(analyzeCounters(null, {})).toEqual([]);
  });

  it('rejects a missing or bad interval', () => {
    expect(() => analyzeCounters(captureCounters(), captureCounters())).toThrow(RangeError);
    expect(() => analyzeCounters(captureCounters(), captureCounters(), 0)).toThrow(RangeError);
    expect(() => analyzeCounters(captureCounters(), captureCounters(), Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => analyzeCounters(null, captureCounters(), null, { tcpMem: [3, 2, 1] })).toThrow(RangeError);
  });
});
