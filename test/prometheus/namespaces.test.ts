/**
 * collectMetrics with allNamespaces, live: a scenario in a network namespace of its own (five CLOSE_WAIT sockets on a
 * listener, test/doctor/scenario.py `closewait`) shows up under its own `namespace` label, beside this process's
 * namespace, with the series a scrape of that namespace alone gives, and the scrape's own families carry no such label.
 */
import { readlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CAN_UNSHARE, startScenario, stopScenarios } from '../doctor/scenario.js';
import { promLib } from '../support/prometheus-lib.js';
import { parseScrape } from './scrape.js';

afterAll(async () => {
  await stopScenarios();
});

describe.skipIf(!CAN_UNSHARE)('collectMetrics({ allNamespaces: true })', () => {
  it('labels every namespace’s series with its inode, and reads each namespace’s counters', async () => {
    const scenario = await startScenario('closewait');
    const inode = (
      /^net:\[(\d+)\]$/.exec(readlinkSync(`/proc/${scenario.pid}/ns/net`)) as RegExpExecArray
    )[1] as string;
    const own = (/^net:\[(\d+)\]$/.exec(readlinkSync('/proc/self/ns/net')) as RegExpExecArray)[1] as string;
    const s = parseScrape(await promLib.collectMetrics({ allNamespaces: true, processes: true, kinds: ['tcp'] }));
    const port = String(scenario.info.port);
    expect(
      s.value('procnet_service_connections', { namespace: inode, protocol: 'tcp', port, state: 'close_wait' }),
    ).toBe(5);
    expect(s.value('procnet_listen_queue', { namespace: inode, address: '127.0.0.1', port })).toBe(0);
    expect(s.value('procnet_process_sockets', { namespace: inode, process: 'python3', state: 'close_wait' })).toBe(5);
    // Counters are per namespace: the scenario's own.
    expect(s.find('procnet_tcp_sent_segments_total', { namespace: inode })).toHaveLength(1);
    expect(s.find('procnet_tcp_sent_segments_total', { namespace: own })).toHaveLength(1);
    // somaxconn can only be read for the reader's own namespace (/proc/sys shows the reader's).
    expect(s.find('procnet_somaxconn').map((x) => x.labels.namespace)).toEqual([own]);
    for (const x of s.samples) {
      if (x.name.startsWith('procnet_scrape_')) expect(x.labels.namespace, x.name).toBeUndefined();
      else expect(x.labels.namespace, x.name).toMatch(/^\d+$/);
    }
    // Each namespace is read as a scrape of it alone reads it: the scenario's series are those of a scrape of its pid.
    const alone = parseScrape(await promLib.collectMetrics({ pid: scenario.pid, processes: true, kinds: ['tcp'] }));
    for (const name of [
      'procnet_sockets',
      'procnet_service_connections',
      'procnet_listen_queue',
      'procnet_process_sockets',
    ]) {
      const mine = s
        .find(name, { namespace: inode })
        .map(({ labels: { namespace: _, ...rest }, value }) => ({ rest, value }));
      expect(mine.length, name).toBeGreaterThan(0);
      expect(mine, name).toEqual(alone.find(name).map(({ labels, value }) => ({ rest: labels, value })));
    }
    // The only data lost: namespaces of processes this reader may not look into (none where root sees everything).
    const hidden = s.find('procnet_scrape_notes', { code: 'NAMESPACE_UNREADABLE' }).reduce((n, x) => n + x.value, 0);
    expect(s.value('procnet_scrape_errors')).toBe(hidden);
  }, 30_000);
});
