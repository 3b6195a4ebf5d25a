/**
 * registerPromClientMetrics against the real prom-client (a dev dependency here; an optional peer for users): procnet's
 * families in a Registry beside the agent's own metrics, in both of prom-client's formats, one read per scrape, and
 * the same values as collectMetrics.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { promLib } from '../support/prometheus-lib.js';
import { HAS_PROMTOOL, parseScrape, promtoolCheckMetrics } from './scrape.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Every sample but the scrape duration, which differs between two scrapes. */
const stable = (text: string) =>
  parseScrape(text)
    .samples.filter((s) => s.name !== 'procnet_scrape_duration_seconds')
    .map((s) => JSON.stringify([s.name, s.labels, s.value]))
    .sort();

describe('registerPromClientMetrics', () => {
  it('adds procnet’s families to an agent’s registry, with the same values as collectMetrics', async () => {
    const registry = new client.Registry();
    const own = new client.Counter({
      name: 'agent_requests_total',
      help: 'The agent’s own metric.',
      registers: [registry],
    });
    own.inc(3);
    const metrics = promLib.registerPromClientMetrics(client, { registry, root: CAPTURE, processes: true });
    expect(metrics.length).toBeGreaterThan(10);
    const text = await registry.metrics();
    expect(text).toContain('agent_requests_total 3');
    const ours = text
      .split('\n\n')
      .filter((block) => !block.includes('agent_requests_total'))
      .join('\n\n');
    expect(stable(ours)).toEqual(stable(await promLib.collectMetrics({ root: CAPTURE, processes: true })));
    if (HAS_PROMTOOL) expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });

  it('works in an OpenMetrics registry', async () => {
    const registry = new client.Registry<client.OpenMetricsContentType>();
    registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
    promLib.registerPromClientMetrics(client, { registry, root: CAPTURE });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE procnet_tcp_listen_overflows counter\n');
    expect(text).toContain('\nprocnet_tcp_listen_overflows_total 5\n');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('reads once per scrape of the registry, and again at the next', async () => {
    const root = mkdtempSync(join(tmpdir(), 'procnet-promclient-'));
    made.push(root);
    cpSync(CAPTURE, root, { recursive: true });
    // A bad row: each read reports it once, so the reports count the reads.
    writeFileSync(join(root, 'net/udp'), `${readFileSync(join(root, 'net/udp'), 'utf8')}  99: garbage\n`);
    const registry = new client.Registry();
    const reads: Error[] = [];
    promLib.registerPromClientMetrics(client, { registry, root, onError: (e) => reads.push(e) });
    const first = parseScrape(await registry.metrics());
    expect(reads).toHaveLength(1);
    expect(first.value('procnet_scrape_errors')).toBe(1);
    const snmp = readFileSync(join(root, 'net/snmp'), 'utf8');
    writeFileSync(
      join(root, 'net/snmp'),
      snmp.replace(/^(Tcp: \d+ \d+ \d+ -?\d+ \d+ \d+ \d+ \d+ \d+ \d+ \d+) (\d+)/m, '$1 777'),
    );
    const second = parseScrape(await registry.metrics());
    expect(reads).toHaveLength(2);
    expect(first.value('procnet_tcp_retransmitted_segments_total')).toBe(3);
    expect(second.value('procnet_tcp_retransmitted_segments_total')).toBe(777);
  });

  it('leaves a family out when there is no value, rather than writing 0', async () => {
    const registry = new client.Registry();
    promLib.registerPromClientMetrics(client, { registry, root: CAPTURE });
    const scrape = parseScrape(await registry.metrics());
    // The capture does not say its somaxconn.
    expect(scrape.find('procnet_somaxconn')).toEqual([]);
    expect(scrape.value('procnet_tcp_listen_overflows_total')).toBe(5);
  });

  it('uses prom-client’s default registry when none is given, and a second registration is prom-client’s error', () => {
    client.register.clear();
    promLib.registerPromClientMetrics(client, { root: CAPTURE });
    expect(client.register.getSingleMetric('procnet_sockets')).toBeDefined();
    expect(() => promLib.registerPromClientMetrics(client, { root: CAPTURE })).toThrow(/already been registered/);
    client.register.clear();
  });
});
