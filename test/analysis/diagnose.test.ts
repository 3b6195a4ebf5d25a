import { describe, expect, it } from 'vitest';
import {
  type AnalysisSocket,
  diagnose,
  FINDINGS,
  type Finding,
  type Sample,
  SEVERITIES,
} from '../../src/analysis/index.js';
import type { UdpSocket } from '../../src/index.js';
import { UNIX_LISTENER } from '../support/sockets.js';
import {
  captureCounters,
  captureSockets,
  captureUnix,
  find,
  healthySockets,
  own,
  owner,
  samplesOf,
} from './capture.js';

const UNIX_ROW = {
  ...UNIX_LISTENER,
  owners: [{ pid: 1, comm: 'systemd', fd: 30, cmdline: ['/sbin/init'], uid: 0 }],
  namespace: 'net:[4026531840]',
} satisfies AnalysisSocket;

const brief = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.id}`);

describe('diagnose on one sample of the 6.18 capture', () => {
  const findings = diagnose({ time: 0, sockets: captureSockets(), counters: captureCounters() });

  it('reports the counters since boot, with the sockets that probably caused them', () => {
    expect(brief(findings)).toEqual(['info listen-overflow', 'info udp-receive-errors']);
    const [listen, udp] = findings;
    expect(listen?.sockets.map((s) => [s.local.port, s.rxQueue])).toEqual([
      [40001, 1],
      [40010, 1],
    ]);
    expect(listen?.evidence.listenersWithBacklog).toBe(2);
    expect(udp?.sockets.map((s) => [s.kind, s.local.port])).toEqual([['udp', 40105]]);
    expect(udp?.evidence.socketsWithDrops).toBe(1);
  });
});

describe('diagnose on samples over time', () => {
  /** The capture three times over 40 s; the unread data grows, the UDP socket keeps dropping, counters move. */
  function story(): Sample[] {
    const samples = samplesOf([0, 20_000, 40_000], (sockets, i) => {
      find(sockets, 'tcp', 40001, 40011).rxQueue = 1000 * (i + 1);
      const udp = find(sockets, 'udp', 40105) as UdpSocket;
      udp.drops = 199 + 50 * i;
      own(find(sockets, 'tcp', 40001, 0), owner(501, 'app'));
    });
    return samples.map((s, i) => {
      const counters = captureCounters();
      const ext = counters.netstat.TcpExt as Record<string, bigint>;
      ext.ListenOverflows = 2n + 40n * BigInt(i);
      ext.ListenDrops = 2n + 40n * BigInt(i);
      const udp = counters.snmp.Udp as Record<string, bigint>;
      udp.RcvbufErrors = 199n + 50n * BigInt(i);
      udp.InErrors = 199n + 50n * BigInt(i);
      return { ...s, counters };
    });
  }

  it('runs every analysis and sorts the findings most severe first', () => {
    const findings = diagnose(story(), { tcpMem: [1000, 4000, 8000] });
    expect(brief(findings)).toEqual([
      'critical accept-queue-backlog',
      'critical accept-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical recv-queue-backlog',
      'critical send-queue-backlog',
      'critical listen-overflow',
      'warning close-wait-leak',
      'warning stuck-closing',
      'warning udp-receive-errors',
      'warning tcp-memory-pressure',
    ]);
    const ranks = findings.map((f) => SEVERITIES.indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('uses the first and last counter samples for rates, and names the sockets behind them', () => {
    const findings = diagnose(story());
    const listen = findings.find((f) => f.id === 'listen-overflow');
    expect(listen?.evidence).toMatchObject({ listenOverflows: 80, listenDrops: 80, seconds: 40, perSecond: 2 });
    expect(listen?.processes.map((p) => p.comm)).toEqual(['app']);
    const udp = findings.find((f) => f.id === 'udp-receive-errors');
    expect(udp?.summary).toBe(
      'Udp RcvbufErrors +100, InErrors +100 in 40 s (2.50 per second): UDP datagrams were dropped on receive.',
    );
    expect(udp?.sockets.map((s) => s.local.port)).toEqual([40105]);
  });

  it('reports the growing receive queue with its trend and owner', () => {
    const recv = diagnose(story()).find((f) => f.sockets.some((s) => s.remote.port === 40011));
    expect(recv?.sockets.find((s) => s.remote.port === 40011)?.trace).toMatchObject({
      first: 1000,
      last: 3000,
      trend: 'growing',
      durationMs: 40_000,
    });
  });

  it('takes every catalogue text from FINDINGS', () => {
    for (const f of diagnose(story(), { tcpMem: [1000, 4000, 8000] })) {
      expect(f.title).toBe(FINDINGS[f.id].title);
      expect(f.explanation).toBe(FINDINGS[f.id].explanation);
      expect(f.nextStep).toBe(FINDINGS[f.id].nextStep);
    }
  });
});

describe('diagnose negatives', () => {
  it('finds nothing on a healthy host, over time and with quiet counters', () => {
    const samples = samplesOf([0, 10_000, 20_000], undefined, healthySockets()).map((s) => ({
      ...s,
      counters: captureCounters(),
    }));
    expect(diagnose(samples, { tcpMem: [100_000, 200_000, 300_000] })).toEqual([]);
    expect(diagnose([])).toEqual([]);
    expect(diagnose({ time: 0, sockets: healthySockets() })).toEqual([]);
  });

  it('throws for a time that is not a number', () => {
    expect(() => diagnose({ time: Number.NaN, sockets: [] })).toThrow(RangeError);
  });

  it('accepts the rows of procnet/node as they are (owners null, namespace null, unix rows)', () => {
    const plain = samplesOf([0, 2000]);
    const node = plain.map((s) => ({
      ...s,
      sockets: [...s.sockets.map((r) => ({ ...r, owners: null, namespace: null })), UNIX_ROW, ...captureUnix()],
    }));
    expect(diagnose(node)).toEqual(diagnose(plain));
    expect(diagnose(node)).toHaveLength(14);
    expect(captureUnix().length).toBeGreaterThan(10);
  });
});
