/**
 * Live, as root, each in a network namespace of its own:
 * - services bound to 0.0.0.0, ::, 127.0.0.1, 127.1.2.3, ::1 and to the address of a dummy interface (a bridge with
 *   no port where the kernel has no dummy module; either leads nowhere): who can reach each, with its owner;
 * - the negative: a healthy, idle set of sockets gives no finding at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Listener } from '../../src/analysis/index.js';
import type { TakenSample } from '../../src/node/index.js';
import { analysisLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { CAN_UNSHARE, isRunning, type Scenario, startScenario, stopScenarios } from './scenario.js';

let exposure: Scenario;
let idle: Scenario;
let exposed: TakenSample[];
let quiet: TakenSample[];

describe.skipIf(!CAN_UNSHARE)('exposure and a healthy namespace, live', () => {
  beforeAll(async () => {
    [exposure, idle] = (await Promise.all([startScenario('exposure'), startScenario('idle')])) as [Scenario, Scenario];
    [exposed, quiet] = await Promise.all([
      nodeLib.takeSamples({ pid: exposure.pid, samples: 1, processes: true }),
      nodeLib.takeSamples({ pid: idle.pid, samples: 3, interval: 600 }),
    ]);
  }, 180_000);

  afterAll(async () => {
    const pids = await stopScenarios();
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  describe('services bound to wildcards, loopback and one interface address', () => {
    const find = (protocol: string, port: number): Listener => {
      const summary = analysisLib.summarizeListeners((exposed[0] as TakenSample).sockets);
      const l = summary.listeners.find((x) => x.protocol === protocol && x.port === port);
      if (l === undefined) throw new Error(`no ${protocol} listener on ${port}`);
      return l;
    };
    const tcp = () => exposure.info.tcp as Record<string, number>;
    const udp = () => exposure.info.udp as Record<string, number>;

    it('0.0.0.0 and :: are reachable from anywhere; :: is assumed dual-stack', () => {
      expect(find('tcp', tcp().any4 as number).exposure).toMatchObject({
        scope: 'wildcard-ipv4',
        reachableFrom: 'anywhere',
        fromOutside: true,
      });
      expect(find('tcp', tcp().any6 as number)).toMatchObject({
        kind: 'tcp6',
        exposure: { scope: 'wildcard-ipv6', reachableFrom: 'anywhere', dualStack: true },
      });
      expect(find('udp', udp().any4 as number).exposure.scope).toBe('wildcard-ipv4');
    });

    it('127.0.0.1, 127.1.2.3 and ::1 are reachable from this host only', () => {
      for (const [name, address] of [
        ['loopback4', '127.0.0.1'],
        ['loopback4b', '127.1.2.3'],
        ['loopback6', '::1'],
      ] as const) {
        const l = find('tcp', tcp()[name] as number);
        expect(l.local.address).toBe(address);
        expect(l.exposure).toMatchObject({ scope: 'loopback', reachableFrom: 'this-host', fromOutside: false });
      }
    });

    it("the dummy interface's 10.200.0.1 is one specific, private address: its network can reach it", () => {
      for (const l of [find('tcp', tcp().specific as number), find('udp', udp().specific as number)]) {
        expect(l.local.address).toBe('10.200.0.1');
        expect(l.exposure).toMatchObject({ scope: 'specific', private: true, reachableFrom: 'network' });
      }
    });

    it('names the process holding each listener and splits outside from local', () => {
      const summary = analysisLib.summarizeListeners((exposed[0] as TakenSample).sockets);
      for (const l of summary.listeners) {
        expect(l.ownersKnown).toBe(true);
        expect(l.processes.map((p) => p.pid)).toEqual([exposure.pid]);
      }
      expect(summary.outside.map((l) => `${l.protocol} ${l.local.address}`).sort()).toEqual(
        ['tcp 0.0.0.0', 'tcp ::', 'tcp 10.200.0.1', 'udp 0.0.0.0', 'udp 10.200.0.1'].sort(),
      );
      expect(summary.local).toHaveLength(3);
    });

    it('exposure is not a finding', () => {
      expect(analysisLib.diagnose(exposed)).toEqual([]);
    });
  });

  describe('a healthy, idle namespace', () => {
    it('has listeners, established connections and a UDP socket, all quiet', () => {
      const states = (quiet.at(-1) as TakenSample).sockets.map((s) => s.state);
      expect(states.filter((s) => s === 'LISTEN')).toHaveLength(2);
      expect(states.filter((s) => s === 'ESTABLISHED')).toHaveLength(6);
      expect(states).toContain('unconnected');
      expect(quiet.at(-1)?.counters?.snmp?.Tcp?.OutSegs).toBeGreaterThan(0n);
    });

    it('gives no finding over three samples, with the default thresholds', () => {
      expect(analysisLib.diagnose(quiet, { ...quiet.at(-1)?.settings })).toEqual([]);
    });

    it('gives no finding from one sample either (counters since the namespace was created)', () => {
      expect(analysisLib.diagnose(quiet.at(-1) as TakenSample)).toEqual([]);
    });
  });
});
