/**
 * Live, as root, each in a network namespace of its own (loopback only): TCP state findings made for real.
 * - peers that close while the application keeps its sockets: close-wait-leak here, orphaned-fin-wait2 on the peers
 *   (a handful of sockets, so the thresholds are lowered to 3 through the options);
 * - clients that never send on a TCP_DEFER_ACCEPT listener: SYN_RECV request sockets, syn-recv-flood;
 * - a local port range of ten ports (a per-namespace sysctl) and clients that close first: time-wait-ports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/index.js';
import type { TakenSample } from '../../src/node/index.js';
import { analysisLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { CAN_UNSHARE, isRunning, type Scenario, startScenario, stopScenarios } from './scenario.js';

const NAMES = ['closewait', 'synrecv', 'timewait'] as const;
const scenarios = new Map<string, Scenario>();
const samples = new Map<string, TakenSample[]>();

const LOWERED = { closeWaitWarning: 3, orphanFinWait2Warning: 3, synRecvWarning: 5 };

function diagnose(name: string, options: Parameters<typeof analysisLib.diagnose>[1] = {}): Finding[] {
  const taken = samples.get(name) as TakenSample[];
  return analysisLib.diagnose(taken, { ...taken.at(-1)?.settings, ...options });
}

describe.skipIf(!CAN_UNSHARE)('state findings, live, each in its own network namespace', () => {
  beforeAll(async () => {
    for (const s of await Promise.all(NAMES.map((n) => startScenario(n)))) scenarios.set(s.name, s);
    await Promise.all(
      NAMES.map(async (name) => {
        const s = scenarios.get(name) as Scenario;
        samples.set(name, await nodeLib.takeSamples({ pid: s.pid, samples: 2, interval: 500, processes: true }));
      }),
    );
  }, 180_000);

  afterAll(async () => {
    const pids = await stopScenarios();
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('CLOSE_WAIT held by the helper: close-wait-leak from 3 sockets, naming the process and its 5 sockets', () => {
    const s = scenarios.get('closewait') as Scenario;
    const [f] = diagnose('closewait', LOWERED).filter((x) => x.id === 'close-wait-leak');
    expect(f?.severity).toBe('warning');
    expect(f?.sockets).toHaveLength(5);
    for (const socket of f?.sockets ?? []) {
      expect(socket).toMatchObject({ state: 'CLOSE_WAIT', pids: [s.pid] });
      expect(socket.local.port).toBe(s.info.port);
    }
    expect(f?.processes).toEqual([expect.objectContaining({ pid: s.pid, comm: 'python3', sockets: 5 })]);
    expect(f?.summary).toContain(`python3 (pid ${s.pid})`);
  });

  it('the peers that closed first: orphaned-fin-wait2, no process holds them', () => {
    const s = scenarios.get('closewait') as Scenario;
    const [f] = diagnose('closewait', LOWERED).filter((x) => x.id === 'orphaned-fin-wait2');
    expect(f?.severity).toBe('warning');
    expect(f?.sockets).toHaveLength(5);
    for (const socket of f?.sockets ?? []) {
      expect(socket).toMatchObject({ state: 'FIN_WAIT2', inode: '0', pids: [] });
      expect(socket.remote.port).toBe(s.info.port);
    }
    expect(f?.evidence).toMatchObject({ orphanFinWait2: 5, peers: 1 });
  });

  it('with the default thresholds a handful of fresh CLOSE_WAIT sockets is no finding', () => {
    expect(diagnose('closewait')).toEqual([]);
  });

  it('clients that complete the handshake but send nothing to a TCP_DEFER_ACCEPT listener: syn-recv-flood', () => {
    const s = scenarios.get('synrecv') as Scenario;
    const found = diagnose('synrecv', LOWERED);
    expect(found.map((f) => f.id)).toEqual(['syn-recv-flood']);
    const f = found[0] as Finding;
    expect(f.severity).toBe('warning');
    expect(f.sockets).toHaveLength(6);
    for (const socket of f.sockets) {
      expect(socket).toMatchObject({ kind: 'tcp', state: 'SYN_RECV', inode: '0', pids: [] });
      expect(socket.local.port).toBe(s.info.port);
    }
    // The request sockets are the listener's: its owner is the process named.
    expect(f.processes.map((p) => p.pid)).toEqual([s.pid]);
  });

  it('TIME_WAIT on 8 of a 10-port range towards one server: time-wait-ports, critical', () => {
    const s = scenarios.get('timewait') as Scenario;
    const [from, to] = s.info.range as [number, number];
    const found = diagnose('timewait', { localPortRange: [from, to] });
    expect(found.map((f) => f.id)).toEqual(['time-wait-ports']);
    const f = found[0] as Finding;
    expect(f.severity).toBe('critical');
    expect(f.sockets).toHaveLength(8);
    for (const socket of f.sockets) {
      expect(socket.state).toBe('TIME_WAIT');
      expect(socket.local.port).toBeGreaterThanOrEqual(from);
      expect(socket.local.port).toBeLessThanOrEqual(to);
      expect(socket.remote.port).toBe(s.info.port);
    }
  });

  it('the range is a per-namespace sysctl that /proc/sys shows only for the reader: unknown, with a note', () => {
    const s = scenarios.get('timewait') as Scenario;
    const last = samples.get('timewait')?.at(-1) as TakenSample;
    expect(last.settings.localPortRange).toBeUndefined();
    expect(last.settings.bindv6only).toBeUndefined();
    const notes = last.notes.filter((n) => n.code === 'SETTING_UNKNOWN').map((n) => n.message);
    expect(notes.some((m) => m.startsWith('net.ipv4.ip_local_port_range:') && m.includes(`process ${s.pid}`))).toBe(
      true,
    );
    // With the host's default range, 8 ports are nothing.
    expect(diagnose('timewait')).toEqual([]);
  });
});
