/**
 * Live, as root: each situation is set up for real by a python helper in a network namespace of its own (loopback
 * only), sampled through /proc/<pid>/net with takeSamples (owners included), and diagnosed:
 * - a server that never reads: recv-queue-backlog;
 * - a client that writes to it until its send queue stays full: send-queue-backlog (and the server's receive queue);
 * - a listener that never accepts: accept-queue-backlog;
 * - a client that shuts down with unsent data behind a closed window: stuck-closing.
 */
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/index.js';
import type { TakenSample } from '../../src/node/index.js';
import { analysisLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { CAN_UNSHARE, isRunning, type Scenario, startScenario, stopScenarios } from './scenario.js';

const NAMES = ['recv', 'send', 'overflow', 'stuck'] as const;
const scenarios = new Map<string, Scenario>();
const samples = new Map<string, TakenSample[]>();
const findings = new Map<string, Finding[]>();

const nsOf = (pid: number) => /\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/net`))?.[1];
const only = (name: string, id: string) => (findings.get(name) ?? []).filter((f) => f.id === id);

describe.skipIf(!CAN_UNSHARE)('queue findings, live, each in its own network namespace', () => {
  beforeAll(async () => {
    for (const s of await Promise.all(NAMES.map((n) => startScenario(n)))) scenarios.set(s.name, s);
    await Promise.all(
      NAMES.map(async (name) => {
        const s = scenarios.get(name) as Scenario;
        const taken = await nodeLib.takeSamples({ pid: s.pid, samples: 3, interval: 600, processes: true });
        samples.set(name, taken);
        findings.set(name, analysisLib.diagnose(taken, { ...taken.at(-1)?.settings, stuckClosingMs: 1000 }));
      }),
    );
  }, 180_000);

  afterAll(async () => {
    const pids = await stopScenarios();
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('reads only the namespace of the helper: every row carries its namespace, and the host sockets are absent', () => {
    for (const name of NAMES) {
      const s = scenarios.get(name) as Scenario;
      const taken = samples.get(name) as TakenSample[];
      expect(taken).toHaveLength(3);
      expect(taken[2]?.namespace).toBe(nsOf(s.pid));
      expect(taken[0]?.source).toEqual({ live: true, netDir: `/proc/${s.pid}/net` });
      for (const t of taken) for (const row of t.sockets) expect(row.namespace).toBe(nsOf(s.pid));
      expect(taken[2]?.time).toBeGreaterThanOrEqual((taken[0]?.time as number) + 1200);
    }
  });

  it('a server that never reads: recv-queue-backlog on its connection, 1000 bytes, steady, owned by the helper', () => {
    const s = scenarios.get('recv') as Scenario;
    expect(findings.get('recv')?.map((f) => f.id)).toEqual(['recv-queue-backlog']);
    const [f] = only('recv', 'recv-queue-backlog');
    expect(f?.severity).toBe('warning');
    expect(f?.sockets).toHaveLength(1);
    const socket = f?.sockets[0];
    expect(socket).toMatchObject({ kind: 'tcp', state: 'ESTABLISHED', rxQueue: 1000, pids: [s.pid] });
    expect(socket?.local).toMatchObject({ address: '127.0.0.1', port: s.info.port });
    expect(socket?.remote).toMatchObject({ address: '127.0.0.1', port: s.info.client });
    expect(socket?.trace).toMatchObject({ queue: 'receive', unit: 'bytes', first: 1000, last: 1000, trend: 'steady' });
    expect(socket?.trace?.samples).toBe(3);
    expect(f?.processes).toEqual([expect.objectContaining({ pid: s.pid, comm: 'python3', uid: 0, sockets: 1 })]);
  });

  it('a client writing to it until its send queue stays full: send-queue-backlog on the client, the server unread', () => {
    const s = scenarios.get('send') as Scenario;
    const [send] = only('send', 'send-queue-backlog');
    expect(send?.severity).toBe('warning');
    expect(send?.sockets[0]?.local.port).toBe(s.info.client);
    expect(send?.sockets[0]?.txQueue).toBeGreaterThan(65536);
    expect(send?.sockets[0]?.trace).toMatchObject({ queue: 'send', unit: 'bytes' });
    expect(send?.processes.map((p) => p.pid)).toEqual([s.pid]);
    const [recv] = only('send', 'recv-queue-backlog');
    expect(recv?.sockets[0]?.local.port).toBe(s.info.port);
    expect(recv?.sockets[0]?.rxQueue).toBeGreaterThan(0);
  });

  it('a listener with a backlog of 1 that never accepts: accept-queue-backlog, connections waiting', () => {
    const s = scenarios.get('overflow') as Scenario;
    const [f] = only('overflow', 'accept-queue-backlog');
    expect(f?.sockets).toHaveLength(1);
    expect(f?.sockets[0]).toMatchObject({ kind: 'tcp', state: 'LISTEN', pids: [s.pid] });
    expect(f?.sockets[0]?.local.port).toBe(s.info.port);
    // A backlog of 1 holds 2 connections (the kernel's check is `> backlog`).
    expect(f?.sockets[0]?.rxQueue).toBe(2);
    expect(f?.sockets[0]?.trace).toMatchObject({ queue: 'receive', unit: 'connections', trend: 'steady' });
  });

  it('a client that shuts down behind a closed window: stuck-closing in FIN_WAIT1, unsent data, probing', () => {
    const s = scenarios.get('stuck') as Scenario;
    const [f] = only('stuck', 'stuck-closing');
    expect(f?.severity).toBe('warning');
    expect(f?.sockets).toHaveLength(1);
    expect(f?.sockets[0]).toMatchObject({ state: 'FIN_WAIT1', pids: [s.pid] });
    expect(f?.sockets[0]?.local.port).toBe(s.info.client);
    expect(f?.evidence).toMatchObject({ stuck: 1, finWait1: 1 });
    expect(f?.evidence.unsentBytes as number).toBeGreaterThan(0);
    expect(f?.evidence.zeroWindowProbing).toBe(1);
    // The server's side of the same connection has the data nobody reads.
    expect(only('stuck', 'recv-queue-backlog')[0]?.sockets[0]?.local.port).toBe(s.info.port);
  });
});
