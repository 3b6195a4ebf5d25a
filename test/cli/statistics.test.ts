/**
 * `procnet -s` against the real `netstat -s` (net-tools), in a network namespace the test makes (test/doctor/scenario.py
 * `idle`: listeners and connections on loopback that exchanged data, then stay quiet): `procnet --pid P -s` and
 * `nsenter --net=/proc/P/ns/net netstat -s` must print the same bytes, for `-s`, `-s -6`, `-st`, `-su` and `-sw`.
 * The two are read while the counters stand still (procnet before and after netstat agree), retried otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario, stopScenarios } from '../doctor/scenario.js';
import { BUILT, CAN_UNSHARE, procnet, tool } from './helpers.js';

let scenario: Scenario;

beforeAll(async () => {
  if (CAN_UNSHARE && BUILT) scenario = await startScenario('idle');
}, 30_000);

afterAll(async () => {
  await stopScenarios();
});

/** procnet's and netstat's text for the same arguments, read while the counters did not move. */
function both(args: readonly string[]): { ours: string; netstat: string } {
  for (let attempt = 0; ; attempt++) {
    const before = procnet(['--pid', String(scenario.pid), ...args]);
    const n = tool('nsenter', [`--net=/proc/${scenario.pid}/ns/net`, 'netstat', ...args]);
    const after = procnet(['--pid', String(scenario.pid), ...args]);
    expect(before.status, before.stderr).toBe(0);
    expect(n.status, n.stderr).toBe(0);
    if (before.stdout !== after.stdout && attempt < 5) continue;
    return { ours: after.stdout, netstat: n.stdout };
  }
}

describe.skipIf(!CAN_UNSHARE || !BUILT)('procnet -s = netstat -s (own network namespace)', () => {
  const runs = [['-s'], ['-s', '-6'], ['-st'], ['-su'], ['-sw'], ['-s', '-4', '-t', '-u']];
  it.each(runs.map((args) => [args.join(' '), args] as const))('procnet %s', (_name, args) => {
    const { ours, netstat } = both(args);
    expect(ours).toBe(netstat);
    expect(ours.split('\n').length).toBeGreaterThan(5);
  });

  it('has the traffic the scenario made, and the same counters as data with --json', () => {
    const text = procnet(['--pid', String(scenario.pid), '-st']).stdout;
    const opened = /^ {4}(\d+) active connection openings$/m.exec(text);
    expect(Number(opened?.[1])).toBeGreaterThanOrEqual(3);
    const json = JSON.parse(procnet(['--pid', String(scenario.pid), '-st', '--json']).stdout) as {
      namespace: string;
      sections: { title: string; entries: { name: string; value: number; text: string | null }[] }[];
    };
    expect(json.namespace).toMatch(/^\d+$/);
    const tcp = json.sections.find((s) => s.title === 'Tcp');
    expect(tcp?.entries.find((e) => e.name === 'ActiveOpens')?.value).toBe(Number(opened?.[1]));
    // Every printed line of a section is its entries' texts, in order.
    const printed = json.sections.flatMap((s) => [
      `${s.title}:`,
      ...s.entries.flatMap((e) => (e.text === null ? [] : [e.text])),
    ]);
    expect(printed.filter((l) => !l.startsWith('ICMP'))).toEqual(
      text
        .trimEnd()
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => !l.startsWith('ICMP')),
    );
  });
});
