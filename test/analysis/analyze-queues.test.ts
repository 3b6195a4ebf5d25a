import { describe, expect, it } from 'vitest';
import { analyzeQueues, type Finding, type Sample } from '../../src/analysis/index.js';
import type { InetSocket } from '../../src/index.js';
import { captureSockets, find, healthySockets, own, owner, samplesOf } from './capture.js';

const ids = (findings: Finding[]) => findings.map((f) => `${f.id} ${f.summary}`);
/** The finding naming this local port (and remote port). */
const about = (findings: Finding[], local: number, remote?: number) =>
  findings.filter((f) =>
    f.sockets.some((s) => s.local.port === local && (remote === undefined || s.remote.port === remote)),
  );

describe('analyzeQueues on the 6.18 capture read twice, 2 s apart', () => {
  const findings = analyzeQueues(samplesOf([1_000_000, 1_002_000]));

  it('reports every persistent queue of the capture, and nothing else', () => {
    expect(ids(findings)).toEqual([
      'accept-queue-backlog Listener tcp 127.0.0.1:40001: 1 connection waiting to be accepted for 2.0 s, not moving.',
      'accept-queue-backlog Listener tcp 127.0.0.1:40010: 1 connection waiting to be accepted for 2.0 s, not moving.',
      'recv-queue-backlog tcp 127.0.0.1:40002: 3 sockets with 4096 bytes unread for 2.0 s, not moving.',
      'recv-queue-backlog tcp local 127.0.0.1:40033, peer 127.0.0.1:40006: 4096 bytes unread for 2.0 s, not moving.',
      'recv-queue-backlog udp local 127.0.0.1:40101: 2496 bytes of buffer memory unread for 2.0 s, not moving.',
      'recv-queue-backlog udp local 127.0.0.1:40105: 2304 bytes of buffer memory unread for 2.0 s, not moving.',
      'recv-queue-backlog raw local 0.0.0.0 proto 1: 1664 bytes of buffer memory unread for 2.0 s, not moving.',
      'recv-queue-backlog tcp local 127.0.0.1:40001, peer 127.0.0.1:40011: 1000 bytes unread for 2.0 s, not moving.',
      'recv-queue-backlog icmp local 127.0.0.1:40201: 832 bytes of buffer memory unread for 2.0 s, not moving.',
      'recv-queue-backlog raw local 0.0.0.0 proto 253: 832 bytes of buffer memory unread for 2.0 s, not moving.',
      'recv-queue-backlog raw local 127.0.0.1 proto 253, peer 127.0.0.1: 832 bytes of buffer memory unread for 2.0 s, not moving.',
      'recv-queue-backlog udp6 local [::1]:40103: 832 bytes of buffer memory unread for 2.0 s, not moving.',
      'recv-queue-backlog tcp6 local [::1]:40003, peer [::1]:40021: 10 bytes unread for 2.0 s, not moving.',
      'send-queue-backlog tcp local 127.0.0.1:40014, peer 127.0.0.1:40002: 376832 bytes not acknowledged for 2.0 s, not moving.',
    ]);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('reports the 1000 unread bytes with their trace', () => {
    const [f] = about(findings, 40001, 40011);
    expect(f?.id).toBe('recv-queue-backlog');
    expect(f?.sockets).toEqual([
      {
        kind: 'tcp',
        state: 'ESTABLISHED',
        local: { address: '127.0.0.1', port: 40001, family: 'IPv4' },
        remote: { address: '127.0.0.1', port: 40011, family: 'IPv4' },
        inode: '103928',
        rxQueue: 1000,
        txQueue: 0,
        namespace: null,
        pids: null,
        trace: {
          queue: 'receive',
          unit: 'bytes',
          first: 1000,
          last: 1000,
          min: 1000,
          max: 1000,
          trend: 'steady',
          samples: 2,
          durationMs: 2000,
          since: 1_000_000,
        },
      },
    ]);
    expect(f?.evidence).toEqual({
      sockets: 1,
      unit: 'bytes',
      minQueue: 1000,
      maxQueue: 1000,
      lastTotal: 1000,
      longestMs: 2000,
      growing: 0,
      steady: 1,
      samples: 2,
    });
    expect(f?.processes).toEqual([]);
  });

  it('reports the blocked sender (Send-Q 376832, zero-window probe) and not the FIN_WAIT1/CLOSING/LAST_ACK ones', () => {
    const send = findings.filter((f) => f.id === 'send-queue-backlog');
    expect(send.flatMap((f) => f.sockets.map((s) => [s.local.port, s.remote.port, s.txQueue]))).toEqual([
      [40014, 40002, 376832],
    ]);
  });

  it('does not count an unread FIN (CLOSE_WAIT Recv-Q 1) or a SYN (SYN_SENT Send-Q 1) as data', () => {
    expect(about(findings, 40007)).toEqual([]);
    expect(about(findings, 40028)).toEqual([]);
  });
});

describe('analyzeQueues trends from synthesised later samples', () => {
  const grow = (values: number[]) =>
    samplesOf([0, 1000, 2000, 3000].slice(0, values.length), (sockets, i) => {
      find(sockets, 'tcp', 40001, 40011).rxQueue = values[i] as number;
    });

  it('sees a receive queue that grows', () => {
    const [f] = about(analyzeQueues(grow([1000, 3000, 6000, 9000])), 40001, 40011);
    expect(f?.sockets[0]?.trace).toMatchObject({ first: 1000, last: 9000, min: 1000, max: 9000, trend: 'growing' });
    expect(f?.sockets[0]?.trace?.durationMs).toBe(3000);
    expect(f?.summary).toBe(
      'tcp local 127.0.0.1:40001, peer 127.0.0.1:40011: 1000 to 9000 bytes unread for 3.0 s, growing.',
    );
    expect(f?.evidence.growing).toBe(1);
  });

  it('calls a queue that goes up and down fluctuating, and one that goes down shrinking', () => {
    expect(about(analyzeQueues(grow([1000, 50, 6000])), 40001, 40011)[0]?.sockets[0]?.trace?.trend).toBe('fluctuating');
    expect(about(analyzeQueues(grow([9000, 3000, 10])), 40001, 40011)[0]?.sockets[0]?.trace?.trend).toBe('shrinking');
  });

  it('forgets a queue that drained by the last sample, and a blip in the last sample only', () => {
    expect(about(analyzeQueues(grow([1000, 3000, 0])), 40001, 40011)).toEqual([]);
    expect(about(analyzeQueues(grow([0, 0, 5000])), 40001, 40011)).toEqual([]);
  });

  it('counts only the trailing run of non-zero samples', () => {
    const [f] = about(analyzeQueues(grow([800, 0, 400, 600])), 40001, 40011);
    expect(f?.sockets[0]?.trace).toMatchObject({ first: 400, last: 600, samples: 2, durationMs: 1000, since: 2000 });
  });

  it('needs queueMinDurationMs and queueMinSamples', () => {
    const close = samplesOf([0, 400]);
    expect(analyzeQueues(close)).toEqual([]);
    expect(analyzeQueues(close, { queueMinDurationMs: 400 })).toHaveLength(14);
    expect(analyzeQueues(samplesOf([0, 1000]), { queueMinSamples: 3 })).toEqual([]);
    expect(analyzeQueues(samplesOf([0, 1000, 2000]), { queueMinSamples: 3 })).toHaveLength(14);
  });

  it('makes a queue that persists queueCriticalMs critical', () => {
    const long = analyzeQueues(samplesOf([0, 30_000]));
    expect(long.every((f) => f.severity === 'critical')).toBe(true);
    expect(long[0]?.summary).toContain('for 30 s');
    expect(
      analyzeQueues(samplesOf([0, 30_000]), { queueCriticalMs: 60_000 }).every((f) => f.severity === 'warning'),
    ).toBe(true);
  });

  it('sees a send queue that grows from zero', () => {
    const samples = samplesOf([0, 1000, 2000, 3000], (sockets, i) => {
      find(sockets, 'tcp', 40014, 40002).txQueue = [0, 0, 200_000, 376_832][i] as number;
    });
    const [f] = about(analyzeQueues(samples), 40014, 40002);
    expect(f?.id).toBe('send-queue-backlog');
    expect(f?.sockets[0]?.trace).toMatchObject({ first: 200_000, last: 376_832, trend: 'growing', durationMs: 1000 });
  });

  it('accepts samples in any order', () => {
    const samples = grow([1000, 3000, 6000]);
    const shuffled = [samples[2], samples[0], samples[1]] as Sample[];
    expect(analyzeQueues(shuffled)).toEqual(analyzeQueues(samples));
  });
});

describe('analyzeQueues matching across samples', () => {
  it('follows a child from the accept queue (inode 0) to its accepted socket by address tuple', () => {
    const samples = samplesOf([0, 1500], (sockets, i) => {
      const child = find(sockets, 'tcp', 40001, 40013);
      child.rxQueue = 500;
      if (i === 1) child.inode = '777777';
    });
    const [f] = about(analyzeQueues(samples), 40001, 40013);
    expect(f?.sockets.find((s) => s.remote.port === 40013)).toMatchObject({
      inode: '777777',
      trace: { samples: 2, durationMs: 1500 },
    });
  });

  it('does not join two sockets with different inodes on the same tuple', () => {
    const samples = samplesOf([0, 1500], (sockets, i) => {
      if (i === 1) find(sockets, 'tcp', 40001, 40011).inode = '888888';
    });
    expect(about(analyzeQueues(samples), 40001, 40011)).toEqual([]);
  });

  it('matches by inode even when the row moved (another slot, another order)', () => {
    const samples = samplesOf([0, 1500], (sockets, i) => {
      if (i !== 1) return;
      sockets.reverse();
      for (const [n, s] of sockets.entries()) s.slot = n;
    });
    expect(analyzeQueues(samples)).toHaveLength(14);
  });

  it('ends a track when the socket is missing from a sample', () => {
    const samples = samplesOf([0, 1000, 2000], (sockets, i) => {
      if (i === 1) sockets.splice(sockets.indexOf(find(sockets, 'tcp', 40001, 40011)), 1);
    });
    // Gone in the middle sample: only the last sample has it, which is one sample, not a persistent queue.
    expect(about(analyzeQueues(samples), 40001, 40011)).toEqual([]);
    expect(about(analyzeQueues(samplesOf([0, 1000, 2000])), 40001, 40011)).toHaveLength(1);
  });

  it('keeps namespaces apart', () => {
    const base = captureSockets();
    const a: Sample = { time: 0, sockets: base.map((s) => ({ ...s, namespace: 'net:[1]' })) };
    const b: Sample = { time: 2000, sockets: base.map((s) => ({ ...s, namespace: 'net:[2]' })) };
    expect(analyzeQueues([a, b])).toEqual([]);
  });
});

describe('analyzeQueues with owners', () => {
  it('groups the sockets of one process into one finding and names it', () => {
    const samples = samplesOf([0, 2000], (sockets) => {
      own(find(sockets, 'tcp', 40001, 40011), owner(4242, 'api-server', 7));
      own(find(sockets, 'tcp6', 40003, 40021), owner(4242, 'api-server', 9));
    });
    const mine = analyzeQueues(samples).filter((f) => f.processes.length > 0);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.summary).toBe(
      'api-server (pid 4242): 2 sockets with 10 to 1000 bytes unread for 2.0 s, not moving.',
    );
    expect(mine[0]?.processes).toEqual([
      { pid: 4242, comm: 'api-server', cmdline: ['api-server'], uid: 1000, sockets: 2 },
    ]);
    expect(mine[0]?.sockets.map((s) => s.pids)).toEqual([[4242], [4242]]);
  });
});

describe('analyzeQueues negatives and input checks', () => {
  it('finds nothing on a healthy host (listeners and idle connections, empty queues)', () => {
    const healthy = healthySockets();
    expect(healthy.length).toBeGreaterThan(10);
    expect(analyzeQueues(samplesOf([0, 5000, 60_000], undefined, healthy))).toEqual([]);
  });

  it('needs two samples', () => {
    expect(analyzeQueues([])).toEqual([]);
    expect(analyzeQueues(samplesOf([0]))).toEqual([]);
  });

  it('rejects a sample time that is not a number, and bad options', () => {
    const bad = [{ time: Number.NaN, sockets: [] as InetSocket[] }];
    expect(() => analyzeQueues(bad)).toThrow(RangeError);
    expect(() => analyzeQueues([], { queueMinSamples: 1 })).toThrow(RangeError);
    expect(() => analyzeQueues([], { queueMinDurationMs: -1 })).toThrow(RangeError);
  });
});

describe('analyzeQueues grouping', () => {
  it('never mixes units in one finding: TCP bytes and datagram memory of one process stay apart', () => {
    const samples = samplesOf([0, 2000], (sockets) => {
      own(find(sockets, 'tcp', 40001, 40011), owner(4242, 'api-server'));
      own(find(sockets, 'udp', 40101), owner(4242, 'api-server'));
    });
    const mine = analyzeQueues(samples).filter((f) => f.processes.length > 0);
    expect(mine.map((f) => [f.id, f.evidence.unit, f.evidence.sockets])).toEqual([
      ['recv-queue-backlog', 'memory', 1],
      ['recv-queue-backlog', 'bytes', 1],
    ]);
  });

  it('puts the listeners of one process in one finding', () => {
    const samples = samplesOf([0, 2000], (sockets) => {
      own(find(sockets, 'tcp', 40001, 0), owner(7, 'server'));
      own(find(sockets, 'tcp', 40010, 0), owner(7, 'server'));
    });
    const [f] = analyzeQueues(samples);
    expect(f?.summary).toBe(
      'server (pid 7): 2 listeners with 1 connection waiting to be accepted for 2.0 s, not moving.',
    );
  });
});
