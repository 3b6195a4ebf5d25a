/**
 * Live, as root, each in a network namespace of its own: counter findings made for real. Counters are per network
 * namespace, so a fresh namespace starts them at zero and /proc/<pid>/net/{snmp,netstat} show only the helper's.
 * - a listener that never accepts, with clients that keep connecting: TcpExt ListenOverflows, listen-overflow;
 * - a UDP socket that never reads, flooded: Udp RcvbufErrors, udp-receive-errors, naming the socket;
 * - SYNs to an address of a dummy (or port-less bridge) interface that nobody holds: Tcp RetransSegs,
 *   tcp-retransmissions;
 * - a process that moves to a fresh network namespace between two samples: counters go backwards, counters-reset;
 * - a full send queue against a lowered tcp_mem (the host's limits are global and not ours to change):
 *   tcp-memory-pressure, naming the socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/index.js';
import type { TakenSample } from '../../src/node/index.js';
import { analysisLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { CAN_UNSHARE, isRunning, type Scenario, startScenario, stopScenarios, tell } from './scenario.js';

const NAMES = ['overflow', 'udp', 'retrans', 'send'] as const;
const scenarios = new Map<string, Scenario>();
const samples = new Map<string, TakenSample[]>();
let reset: { before: TakenSample[]; after: TakenSample[]; scenario: Scenario };

function diagnose(name: string, options: Parameters<typeof analysisLib.diagnose>[1] = {}): Finding[] {
  const taken = samples.get(name) as TakenSample[];
  return analysisLib.diagnose(taken, { ...taken.at(-1)?.settings, ...options });
}

describe.skipIf(!CAN_UNSHARE)('counter findings, live, each in its own network namespace', () => {
  beforeAll(async () => {
    const started = await Promise.all([...NAMES, 'reset'].map((n) => startScenario(n)));
    for (const s of started) scenarios.set(s.name, s);
    const moving = scenarios.get('reset') as Scenario;
    await Promise.all([
      ...NAMES.map(async (name) => {
        const s = scenarios.get(name) as Scenario;
        samples.set(name, await nodeLib.takeSamples({ pid: s.pid, samples: 2, interval: 1000 }));
      }),
      (async () => {
        const before = await nodeLib.takeSamples({ pid: moving.pid, samples: 1 });
        await tell(moving, 'move', 'moved');
        const after = await nodeLib.takeSamples({ pid: moving.pid, samples: 1 });
        reset = { before, after, scenario: moving };
      })(),
    ]);
  }, 180_000);

  afterAll(async () => {
    const pids = await stopScenarios();
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('reads the counters of the helper namespace, not the host', () => {
    const taken = samples.get('udp') as TakenSample[];
    // Nothing in the namespace but the flood: every datagram is a UDP one, no TCP segment was ever sent.
    expect(taken[0]?.counters?.snmp?.Tcp?.OutSegs).toBe(0n);
    expect(taken[1]?.counters?.snmp?.Udp?.RcvbufErrors).toBeGreaterThan(
      taken[0]?.counters?.snmp?.Udp?.RcvbufErrors ?? 0n,
    );
  });

  it('connections dropped at a full accept queue: listen-overflow, critical by rate, naming the listener', () => {
    const s = scenarios.get('overflow') as Scenario;
    const [f] = diagnose('overflow').filter((x) => x.id === 'listen-overflow');
    expect(f?.severity).toBe('critical');
    expect(f?.evidence.listenOverflows as number).toBeGreaterThan(0);
    expect(f?.evidence.perSecond as number).toBeGreaterThanOrEqual(1);
    expect(f?.evidence.listenersWithBacklog).toBe(1);
    expect(f?.sockets[0]).toMatchObject({ state: 'LISTEN', rxQueue: 2 });
    expect(f?.sockets[0]?.local.port).toBe(s.info.port);
  });

  it('one sample of that namespace judges the totals since the namespace was created: info only', () => {
    const last = (samples.get('overflow') as TakenSample[]).at(-1) as TakenSample;
    const found = analysisLib.diagnose(last);
    expect(found.map((f) => f.id)).toContain('listen-overflow');
    expect(found.every((f) => f.severity === 'info')).toBe(true);
  });

  it('datagrams dropped at a full receive buffer: udp-receive-errors, critical, naming the socket with drops', () => {
    const s = scenarios.get('udp') as Scenario;
    const [f] = diagnose('udp').filter((x) => x.id === 'udp-receive-errors');
    expect(f?.severity).toBe('critical');
    expect(f?.evidence.udpRcvbufErrors as number).toBeGreaterThan(100);
    expect(f?.evidence.socketsWithDrops).toBe(1);
    expect(f?.sockets[0]).toMatchObject({ kind: 'udp', state: 'unconnected' });
    expect(f?.sockets[0]?.local.port).toBe(s.info.port);
  });

  it('SYNs that go nowhere are retransmitted: tcp-retransmissions (from 5 segments, so few are enough)', () => {
    const found = diagnose('retrans', { retransMinSegments: 5 }).filter((x) => x.id === 'tcp-retransmissions');
    expect(found).toHaveLength(1);
    expect(found[0]?.severity).toBe('critical');
    expect(found[0]?.evidence.retransSegs as number).toBeGreaterThan(0);
    expect(found[0]?.evidence.ratio as number).toBeGreaterThanOrEqual(0.1);
    // With the default minimum of 1000 segments, a few dozen are not judged.
    expect(diagnose('retrans').filter((x) => x.id === 'tcp-retransmissions')).toEqual([]);
  });

  it('a process that moved to a fresh namespace between the samples: counters-reset', () => {
    const { before, after } = reset;
    expect(after[0]?.namespace).not.toBe(before[0]?.namespace);
    const found = analysisLib.diagnose([...before, ...after]);
    const [f] = found.filter((x) => x.id === 'counters-reset');
    expect(f?.severity).toBe('info');
    expect(String(f?.evidence.counters)).toContain('Tcp OutSegs');
  });

  it('TCP memory above a (lowered) tcp_mem pressure threshold: tcp-memory-pressure, naming the full socket', () => {
    const s = scenarios.get('send') as Scenario;
    const last = (samples.get('send') as TakenSample[]).at(-1) as TakenSample;
    const pages = Number(last.counters?.sockstat?.TCP?.mem);
    expect(pages).toBeGreaterThan(0);
    const [f] = diagnose('send', { tcpMem: [1, 1, 2 ** 40] }).filter((x) => x.id === 'tcp-memory-pressure');
    expect(f?.severity).toBe('warning');
    expect(f?.evidence.tcpMemPages as number).toBeGreaterThan(0);
    expect(f?.evidence.socketsWithQueues as number).toBeGreaterThanOrEqual(1);
    expect(f?.sockets[0]?.local.port).toBe(s.info.client);
    if (last.settings.pageSize !== undefined) expect(f?.evidence.tcpMemBytes).toBe(pages * last.settings.pageSize);
  });
});
