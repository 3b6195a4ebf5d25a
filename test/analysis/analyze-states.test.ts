import { describe, expect, it } from 'vitest';
import { analyzeStates, type Finding } from '../../src/analysis/index.js';
import type { InetSocket, TcpRow } from '../../src/index.js';
import { captureSockets, find, healthySockets, own, owner, samplesOf } from './capture.js';

const ONE = { closeWaitWarning: 1, synRecvWarning: 1, orphanFinWait2Warning: 1 } as const;
const summaries = (findings: Finding[]) => findings.map((f) => `${f.severity} ${f.id}: ${f.summary}`);

/** `n` copies of a row with the remote port (or local port) counting up from `from`. */
function clones<S extends InetSocket>(row: S, n: number, change: (s: S, i: number) => void): S[] {
  return Array.from({ length: n }, (_, i) => {
    const s = { ...row, local: { ...row.local }, remote: { ...row.remote } };
    change(s, i);
    return s;
  });
}

describe('analyzeStates on one snapshot of the 6.18 capture', () => {
  it('finds nothing with the default thresholds (a few of each state is normal)', () => {
    expect(analyzeStates(captureSockets())).toEqual([]);
  });

  it('finds the CLOSE_WAIT, SYN_RECV and orphaned FIN_WAIT2 sockets with thresholds of 1', () => {
    expect(summaries(analyzeStates(captureSockets(), ONE))).toEqual([
      'warning close-wait-leak: 2 connections of the service on tcp 127.0.0.1:40007 in CLOSE_WAIT.',
      'warning syn-recv-flood: 1 half-open connection (SYN_RECV) on tcp 127.0.0.1:40008, from 1 address; 1 had the SYN-ACK retransmitted.',
      'warning syn-recv-flood: 1 half-open connection (SYN_RECV) on tcp6 [::1]:40009, from 1 address; 1 had the SYN-ACK retransmitted.',
      'warning orphaned-fin-wait2: 1 orphaned FIN_WAIT2 connection (closed here, never closed by the peer), to 1 peer address.',
    ]);
  });

  it('names the CLOSE_WAIT sockets and their numbers', () => {
    const [f] = analyzeStates(captureSockets(), ONE);
    expect(f?.sockets.map((s) => [s.state, s.local.port, s.remote.port, s.inode, s.rxQueue])).toEqual([
      ['CLOSE_WAIT', 40007, 40017, '104000', 1],
      ['CLOSE_WAIT', 40007, 40018, '104002', 1],
    ]);
    expect(f?.evidence).toEqual({ closeWait: 2, oldestMs: 0, peers: 1, unreadBytes: 0 });
    expect(f?.explanation).toContain('never called close()');
  });

  it('ties each SYN_RECV request socket to its listener', () => {
    const syn = analyzeStates(captureSockets(), ONE).filter((f) => f.id === 'syn-recv-flood');
    expect(syn.map((f) => f.evidence)).toEqual([
      { synRecv: 1, retransmitted: 1, sources: 1, listener: '127.0.0.1:40008', acceptQueue: 0 },
      { synRecv: 1, retransmitted: 1, sources: 1, listener: '[::1]:40009', acceptQueue: 0 },
    ]);
  });

  it('finds the orphaned FIN_WAIT2 (a TIME_WAIT record with state FIN_WAIT2), not the one whose fd is open', () => {
    const [f] = analyzeStates(captureSockets(), ONE).filter((x) => x.id === 'orphaned-fin-wait2');
    expect(f?.sockets.map((s) => [s.local.port, s.remote.port, s.inode])).toEqual([[40017, 40007, '0']]);
    expect(f?.evidence).toEqual({ orphanFinWait2: 1, peers: 1, topLocalPort: 40017, topLocalPortCount: 1 });
  });

  it('finds nothing on a healthy host, whatever the thresholds', () => {
    expect(analyzeStates(healthySockets(), ONE)).toEqual([]);
    expect(analyzeStates([], ONE)).toEqual([]);
  });
});

describe('CLOSE_WAIT (close-wait-leak)', () => {
  it('groups by process when owners are known, and escalates from closeWaitCritical', () => {
    const sockets = captureSockets();
    const cw = find(sockets, 'tcp', 40007, 40017) as TcpRow;
    const leak = clones(cw, 120, (s, i) => {
      s.remote.port = 50000 + i;
      s.inode = String(200000 + i);
      own(s, owner(3100, 'java'));
    });
    const findings = analyzeStates([...sockets, ...leak]).filter((f) => f.id === 'close-wait-leak');
    expect(summaries(findings)).toEqual([
      'critical close-wait-leak: 120 connections of java (pid 3100) in CLOSE_WAIT.',
    ]);
    expect(findings[0]?.processes).toEqual([{ pid: 3100, comm: 'java', cmdline: ['java'], uid: 1000, sockets: 120 }]);
    expect(analyzeStates([...sockets, ...leak.slice(0, 10)])[0]?.severity).toBe('warning');
    expect(analyzeStates([...sockets, ...leak.slice(0, 9)])).toEqual([]);
  });

  it('groups by remote endpoint when no listener owns the local port (a client pool)', () => {
    const sockets = captureSockets();
    const cw = find(sockets, 'tcp', 40007, 40017) as TcpRow;
    const pool = clones(cw, 12, (s, i) => {
      s.local.port = 45000 + i;
      s.remote = { address: '10.0.0.5', port: 5432, family: 'IPv4' };
      s.inode = String(300000 + i);
    });
    const [f] = analyzeStates([...sockets, ...pool]);
    expect(f?.summary).toBe('12 connections to 10.0.0.5:5432 in CLOSE_WAIT.');
    expect(f?.evidence).toMatchObject({ closeWait: 12, peers: 1 });
  });

  it('reports even two CLOSE_WAIT sockets once they have lasted closeWaitPersistMs', () => {
    const samples = samplesOf([0, 20_000, 40_000]);
    const closeWait = (o = {}) => analyzeStates(samples, o).filter((f) => f.id === 'close-wait-leak');
    expect(summaries(closeWait())).toEqual([
      'warning close-wait-leak: 2 connections of the service on tcp 127.0.0.1:40007 in CLOSE_WAIT, the oldest seen for 40 s.',
    ]);
    expect(closeWait({ closeWaitPersistMs: 60_000 })).toEqual([]);
    expect(analyzeStates(samplesOf([0, 20_000])).filter((f) => f.id === 'close-wait-leak')).toEqual([]);
  });

  it('does not count a socket that was in another state in earlier samples', () => {
    const samples = samplesOf([0, 20_000, 40_000], (sockets, i) => {
      if (i < 2) for (const s of sockets) if (s.protocol === 'tcp' && s.state === 'CLOSE_WAIT') s.state = 'ESTABLISHED';
    });
    expect(analyzeStates(samples).map((f) => f.id)).toEqual(['stuck-closing']);
  });
});

describe('SYN_RECV (syn-recv-flood)', () => {
  const flood = (n: number) => {
    const sockets = captureSockets();
    const request = find(sockets, 'tcp', 40008, 40019);
    const listener = own(find(sockets, 'tcp', 40008, 0), owner(900, 'haproxy'));
    const extra = clones(request, n - 1, (s, i) => {
      s.remote = { address: `198.51.100.${i % 200}`, port: 1024 + i, family: 'IPv4' };
      s.retransmits = i % 2;
    });
    return { sockets: [...sockets, ...extra], listener };
  };

  it('warns from synRecvWarning on one listener and names its owner', () => {
    const { sockets } = flood(150);
    const [f] = analyzeStates(sockets);
    expect(f?.id).toBe('syn-recv-flood');
    expect(f?.severity).toBe('warning');
    expect(f?.summary).toBe(
      '150 half-open connections (SYN_RECV) on tcp 127.0.0.1:40008 of haproxy (pid 900), from 150 addresses; 75 had the SYN-ACK retransmitted.',
    );
    expect(f?.evidence).toEqual({
      synRecv: 150,
      retransmitted: 75,
      sources: 150,
      listener: '127.0.0.1:40008',
      acceptQueue: 0,
    });
    expect(f?.processes.map((p) => p.pid)).toEqual([900]);
    expect(f?.sockets).toHaveLength(150);
  });

  it('is critical from synRecvCritical, silent below synRecvWarning', () => {
    expect(analyzeStates(flood(1000).sockets)[0]?.severity).toBe('critical');
    expect(analyzeStates(flood(99).sockets)).toEqual([]);
  });

  it('matches request sockets to a wildcard listener', () => {
    const sockets = captureSockets();
    const listener = find(sockets, 'tcp', 40008, 0);
    listener.local = { address: '0.0.0.0', port: 40008, family: 'IPv4' };
    const [f] = analyzeStates(sockets, ONE).filter((x) => x.id === 'syn-recv-flood');
    expect(f?.evidence.listener).toBe('0.0.0.0:40008');
  });
});

describe('TIME_WAIT against the local port range (time-wait-ports)', () => {
  const busy = (n: number, remotePort = 5432) => {
    const sockets = captureSockets();
    const tw = find(sockets, 'tcp', 40015, 40005);
    return [
      ...sockets,
      ...clones(tw, n, (s, i) => {
        s.local.port = 40100 + i;
        s.remote.port = remotePort;
      }),
    ];
  };

  it('measures the busiest destination against the range, and counts the rest', () => {
    const findings = analyzeStates(busy(60), { localPortRange: [40100, 40199] });
    expect(summaries(findings)).toEqual([
      'warning time-wait-ports: TIME_WAIT from 127.0.0.1 to 127.0.0.1:5432: 60 local ports, 60 % of the local port range 40100-40199 (100 ports); 62 TIME_WAIT in all, 60 on local ports in the range.',
    ]);
    expect(findings[0]?.evidence).toEqual({
      busiestDestination: '127.0.0.1:5432',
      busiestDestinationTimeWait: 60,
      portRangeSize: 100,
      ratio: 0.6,
      timeWaitTotal: 62,
      timeWaitEphemeral: 60,
      destinations: 1,
    });
    expect(findings[0]?.sockets).toHaveLength(60);
    expect(findings[0]?.sockets.every((s) => s.state === 'TIME_WAIT' && s.inode === '0')).toBe(true);
  });

  it('is critical from timeWaitCriticalRatio and silent below timeWaitWarningRatio', () => {
    expect(analyzeStates(busy(80), { localPortRange: [40100, 40199] })[0]?.severity).toBe('critical');
    expect(analyzeStates(busy(49), { localPortRange: [40100, 40199] })).toEqual([]);
  });

  it('does not add up different destinations: connect() can reuse a local port towards another one', () => {
    const sockets = captureSockets();
    const tw = find(sockets, 'tcp', 40015, 40005);
    const spread = clones(tw, 90, (s, i) => {
      s.local.port = 40100 + (i % 45);
      s.remote.port = 6000 + (i % 2);
    });
    const findings = analyzeStates([...sockets, ...spread], { localPortRange: [40100, 40199] });
    expect(findings).toEqual([]);
  });

  it('ignores TIME_WAIT on a server port (outside the range: the server closed first)', () => {
    const sockets = captureSockets();
    const tw = find(sockets, 'tcp', 40015, 40005);
    const server = clones(tw, 500, (s, i) => {
      s.local.port = 443;
      s.remote.port = 40100 + i;
    });
    expect(analyzeStates([...sockets, ...server], { localPortRange: [40100, 40199] })).toEqual([]);
  });

  it('finds nothing for the 2 TIME_WAIT sockets of the capture against the default range', () => {
    expect(analyzeStates(captureSockets(), { timeWaitWarningRatio: 0.00001 }).map((f) => f.summary)).toEqual([
      'TIME_WAIT from 127.0.0.1 to 127.0.0.1:40005: 1 local port, 0.00 % of the local port range 32768-60999 (28232 ports); 2 TIME_WAIT in all, 2 on local ports in the range.',
    ]);
    expect(analyzeStates(captureSockets())).toEqual([]);
  });
});

describe('orphaned FIN_WAIT2 (orphaned-fin-wait2)', () => {
  it('warns from orphanFinWait2Warning and is critical from orphanFinWait2Critical', () => {
    const sockets = captureSockets();
    const orphan = find(sockets, 'tcp', 40017, 40007);
    const many = (n: number) =>
      clones(orphan, n, (s, i) => {
        s.local.port = 41000 + i;
        s.remote.address = `127.0.1.${i % 3}`;
      });
    expect(analyzeStates([...sockets, ...many(98)])).toEqual([]);
    const [warn] = analyzeStates([...sockets, ...many(99)]);
    expect(warn?.summary).toBe(
      '100 orphaned FIN_WAIT2 connections (closed here, never closed by the peer), to 4 peer addresses.',
    );
    expect(warn?.severity).toBe('warning');
    expect(analyzeStates([...sockets, ...many(999)])[0]?.severity).toBe('critical');
  });
});

describe('closing connections that do not move (stuck-closing)', () => {
  it('finds the FIN_WAIT1, CLOSING and LAST_ACK connections of the capture when nothing moved for 6 s', () => {
    const findings = analyzeStates(samplesOf([0, 3000, 6000]));
    expect(summaries(findings)).toEqual([
      'warning stuck-closing: 3 closing connections (1 FIN_WAIT1, 1 CLOSING, 1 LAST_ACK) made no progress for up to 6.0 s.',
    ]);
    const [f] = findings;
    expect(f?.sockets.map((s) => [s.state, s.local.port, s.remote.port, s.txQueue, s.trace?.last])).toEqual([
      ['LAST_ACK', 40006, 40033, 2985985, 2985984],
      ['FIN_WAIT1', 40031, 40002, 2985985, 2985984],
      ['CLOSING', 40032, 40002, 2985985, 2985984],
    ]);
    expect(f?.evidence).toEqual({
      stuck: 3,
      finWait1: 1,
      closing: 1,
      lastAck: 1,
      longestMs: 6000,
      unsentBytes: 3 * 2985984,
      zeroWindowProbing: 3,
    });
  });

  it('does not report a connection whose send queue went down, or one seen for less than stuckClosingMs', () => {
    const moving = samplesOf([0, 3000, 6000], (sockets, i) => {
      find(sockets, 'tcp', 40031, 40002).txQueue = 2985985 - i * 100_000;
    });
    expect(analyzeStates(moving)[0]?.evidence).toMatchObject({ stuck: 2, finWait1: 0 });
    expect(analyzeStates(samplesOf([0, 4000]))).toEqual([]);
    expect(analyzeStates(samplesOf([0, 4000]), { stuckClosingMs: 4000 })[0]?.evidence.stuck).toBe(3);
  });

  it('cannot tell from one snapshot', () => {
    expect(analyzeStates(captureSockets()).filter((f) => f.id === 'stuck-closing')).toEqual([]);
  });
});

describe('analyzeStates input checks', () => {
  it('rejects bad thresholds', () => {
    expect(() => analyzeStates([], { closeWaitWarning: 0 })).toThrow(RangeError);
    expect(() => analyzeStates([], { localPortRange: [61000, 32768] })).toThrow(RangeError);
    expect(() => analyzeStates([], { localPortRange: [0, 10] })).toThrow(RangeError);
    expect(() => analyzeStates([], { timeWaitWarningRatio: Number.NaN })).toThrow(RangeError);
  });
});
