/**
 * collectMetrics and createMetricsCollector on dumps: the fixture capture (values checked against what procnet's
 * readers and counter parsers give for the same files, and against facts of the capture), the caps and their `other`
 * series, hostile process names, bad input (unreadable and missing tables, bad rows, a vanished process), the counter
 * findings across two scrapes, and `promtool check metrics` on the output.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisLib, countersLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT } from '../support/paths.js';
import { promLib } from '../support/prometheus-lib.js';
import { HAS_PROMTOOL, parseScrape, promtoolCheckMetrics } from './scrape.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const made: string[] = [];

/** A copy of the capture (or an empty folder) with some files replaced (`null`: removed). */
function dump(files: Record<string, string | null>, from: string | null = CAPTURE): string {
  const dir = mkdtempSync(join(tmpdir(), 'procnet-prom-'));
  made.push(dir);
  if (from !== null) cpSync(from, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    rmSync(join(dir, path), { recursive: true, force: true });
    if (text === null) continue;
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('collectMetrics on the fixture capture', async () => {
  const text = await promLib.collectMetrics({ root: CAPTURE, processes: true });
  const scrape = parseScrape(text);
  const read = await nodeLib.readSockets({ root: CAPTURE, processes: true });

  it('counts every socket by table and state, as the readers see them', () => {
    const expected = new Map<string, number>();
    for (const s of read.sockets) {
      const state =
        s.kind === 'unix' ? (s.listening ? 'listen' : s.state) : s.protocol === 'tcp' ? s.state.toLowerCase() : s.state;
      expected.set(`${s.kind} ${state}`, (expected.get(`${s.kind} ${state}`) ?? 0) + 1);
    }
    const got = new Map(
      scrape.find('procnet_sockets').map((s) => [`${s.labels.protocol} ${s.labels.state}`, s.value] as const),
    );
    expect(got).toEqual(expected);
    expect(scrape.value('procnet_sockets', { protocol: 'tcp', state: 'close_wait' })).toBe(2);
  });

  it('gives the accept queue of each TCP listener, and connections per listening port', () => {
    const listeners = read.sockets.filter((s) => s.kind !== 'unix' && s.protocol === 'tcp' && s.state === 'LISTEN');
    expect(scrape.find('procnet_listen_queue')).toHaveLength(listeners.length);
    for (const l of listeners) {
      if (l.kind === 'unix') continue;
      const labels = { protocol: l.kind, address: l.local.address, port: String(l.local.port) };
      expect(scrape.value('procnet_listen_queue', labels), JSON.stringify(labels)).toBe(l.rxQueue);
    }
    // The capture's listener on 127.0.0.1:40001 has one connection waiting; :40003 has two CLOSE_WAIT connections.
    expect(scrape.value('procnet_listen_queue', { protocol: 'tcp', address: '127.0.0.1', port: '40001' })).toBe(1);
    expect(scrape.value('procnet_service_connections', { protocol: 'tcp', port: '40003', state: 'close_wait' })).toBe(
      2,
    );
    // Only ports with a listener: client sockets on ephemeral ports are not services.
    const ports = new Set(listeners.map((l) => (l.kind === 'unix' ? '' : `${l.kind} ${l.local.port}`)));
    for (const s of scrape.find('procnet_service_connections')) {
      expect(ports.has(`${s.labels.protocol} ${s.labels.port}`)).toBe(true);
    }
  });

  it('counts sockets per owning process, and those without a known one as process="unknown"', () => {
    const byProcess = new Map<string, number>();
    for (const s of read.sockets) {
      const names = new Set((s.owners ?? []).map((o) => o.comm ?? 'unknown'));
      if (names.size === 0) names.add('unknown');
      for (const n of names) byProcess.set(n, (byProcess.get(n) ?? 0) + 1);
    }
    const got = new Map<string, number>();
    for (const s of scrape.find('procnet_process_sockets')) {
      got.set(s.labels.process as string, (got.get(s.labels.process as string) ?? 0) + s.value);
    }
    expect(got).toEqual(byProcess);
    expect([...got.keys()].sort()).toEqual(['node', 'python3', 'unknown']);
  });

  it('writes the kernel counters of the dump, and queue and drop totals', () => {
    const netstat = countersLib.parseNetstat(readFileSync(join(CAPTURE, 'net/netstat')));
    const snmp = countersLib.parseSnmp(readFileSync(join(CAPTURE, 'net/snmp')));
    expect(scrape.value('procnet_tcp_listen_overflows_total')).toBe(Number(netstat.TcpExt?.ListenOverflows));
    expect(scrape.value('procnet_tcp_listen_overflows_total')).toBe(5);
    expect(scrape.value('procnet_tcp_retransmitted_segments_total')).toBe(Number(snmp.Tcp?.RetransSegs));
    expect(scrape.value('procnet_udp_receive_buffer_errors_total', { protocol: 'udp' })).toBe(
      Number(snmp.Udp?.RcvbufErrors),
    );
    const udpDrops = read.sockets.reduce((n, s) => n + (s.kind === 'udp' ? (s.drops ?? 0) : 0), 0);
    expect(scrape.value('procnet_datagram_drops', { protocol: 'udp' })).toBe(udpDrops);
    const tcpTx = read.sockets.reduce((n, s) => n + (s.kind === 'tcp' ? s.txQueue : 0), 0);
    expect(scrape.value('procnet_queue_bytes', { protocol: 'tcp', queue: 'tx' })).toBe(tcpTx);
    // The dump says nothing about its page size or somaxconn: those series are left out, and notes say why.
    expect(scrape.find('procnet_socket_memory_bytes')).toEqual([]);
    expect(scrape.find('procnet_somaxconn')).toEqual([]);
    expect(scrape.value('procnet_scrape_notes', { code: 'SETTING_UNKNOWN' })).toBe(5);
    expect(scrape.value('procnet_scrape_errors')).toBe(0);
  });

  it.skipIf(!HAS_PROMTOOL)('passes promtool check metrics, with every counter too', async () => {
    expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
    const all = await promLib.collectMetrics({ root: CAPTURE, processes: true, allCounters: true, remoteAddresses: 3 });
    expect(promtoolCheckMetrics(all)).toEqual({ status: 0, output: '' });
  });

  it('with allCounters, writes every counter of snmp, netstat and snmp6, the levels as gauges', async () => {
    const all = parseScrape(await promLib.collectMetrics({ root: CAPTURE, allCounters: true }));
    expect(all.value('procnet_mib_total', { file: 'netstat', group: 'TcpExt', field: 'ListenOverflows' })).toBe(5);
    expect(all.find('procnet_mib_value', { file: 'snmp', group: 'Tcp', field: 'CurrEstab' })).toHaveLength(1);
    expect(all.find('procnet_mib_total', { file: 'snmp', group: 'Tcp', field: 'CurrEstab' })).toEqual([]);
    const snmp6 = countersLib.parseSnmp6(readFileSync(join(CAPTURE, 'net/snmp6')));
    expect(all.find('procnet_mib_total', { file: 'snmp6' })).toHaveLength(Object.keys(snmp6).length);
  });

  it('writes OpenMetrics: counter families without _total, samples with it, # EOF at the end', async () => {
    const om = await promLib.collectMetrics({ root: CAPTURE, format: 'openmetrics' });
    expect(om).toContain('# TYPE procnet_tcp_listen_overflows counter\n');
    expect(om).toContain('\nprocnet_tcp_listen_overflows_total 5\n');
    expect(om.endsWith('\n# EOF\n')).toBe(true);
    expect(parseScrape(om).value('procnet_sockets', { protocol: 'tcp', state: 'close_wait' })).toBe(2);
  });
});

describe('bounded cardinality', () => {
  it('caps listeners, ports and processes, and sums the rest into other series', async () => {
    const full = parseScrape(await promLib.collectMetrics({ root: CAPTURE, processes: true }));
    const capped = parseScrape(
      await promLib.collectMetrics({ root: CAPTURE, processes: true, maxListeners: 2, maxPorts: 1, maxProcesses: 1 }),
    );
    const sum = (s: ReturnType<typeof parseScrape>, name: string, labels: Record<string, string> = {}) =>
      s.find(name, labels).reduce((n, x) => n + x.value, 0);
    // Listeners: the two with the longest queues, then one `other` per table with the rest.
    const queues = capped.find('procnet_listen_queue');
    expect(queues.filter((s) => s.labels.address !== 'other')).toHaveLength(2);
    expect(queues.filter((s) => s.labels.address !== 'other').map((s) => s.value)).toEqual([1, 1]);
    expect(queues.filter((s) => s.labels.address === 'other').map((s) => s.labels.port)).toEqual(['other', 'other']);
    for (const protocol of ['tcp', 'tcp6']) {
      expect(sum(capped, 'procnet_listen_queue', { protocol })).toBe(sum(full, 'procnet_listen_queue', { protocol }));
    }
    // Ports: the busiest one, the rest per table and state.
    const ports = new Set(capped.find('procnet_service_connections').map((s) => s.labels.port));
    expect(ports.size).toBe(2);
    expect(ports.has('other')).toBe(true);
    expect(sum(capped, 'procnet_service_connections')).toBe(sum(full, 'procnet_service_connections'));
    // Processes: the one with most sockets, `other`, and `unknown` (never capped away).
    const names = new Set(capped.find('procnet_process_sockets').map((s) => s.labels.process));
    expect([...names].sort()).toEqual(['other', 'python3', 'unknown']);
    expect(sum(capped, 'procnet_process_sockets', { process: 'other' })).toBe(
      sum(full, 'procnet_process_sockets', { process: 'node' }),
    );
  });

  it('writes remote addresses only when asked, the busiest first, the rest as other', async () => {
    expect(parseScrape(await promLib.collectMetrics({ root: CAPTURE })).find('procnet_remote_connections')).toEqual([]);
    const s = parseScrape(await promLib.collectMetrics({ root: CAPTURE, remoteAddresses: 1 }));
    const tcp = s.find('procnet_remote_connections', { protocol: 'tcp' });
    expect(tcp.map((x) => x.labels.address)).toEqual(['127.0.0.1', 'other']);
    const read = await nodeLib.readSockets({ root: CAPTURE, kinds: ['tcp'] });
    const connections = read.sockets.filter((r) => r.state !== 'LISTEN');
    expect(tcp.reduce((n, x) => n + x.value, 0)).toBe(connections.length);
  });

  it('rejects limits that are not whole numbers >= 0', () => {
    expect(() => promLib.createMetricsCollector({ maxListeners: -1 })).toThrow(RangeError);
    expect(() => promLib.createMetricsCollector({ maxPorts: 1.5 })).toThrow(/maxPorts/);
    expect(() => promLib.createMetricsCollector({ allNamespaces: true, pid: 1 })).toThrow(RangeError);
    expect(() => promLib.createMetricsCollector({ analysis: { closeWaitWarning: 0 } })).toThrow(/closeWaitWarning/);
  });
});

describe('hostile process names', () => {
  it('escapes control and invisible characters of a name: no label value carries one raw', async () => {
    const hostile = 'ev"il\\\n\u001b[2J\u202e\u0000x';
    const fds = JSON.parse(readFileSync(join(CAPTURE, 'fds.json'), 'utf8'));
    for (const p of fds.processes) if (p.comm === 'node') p.comm = hostile;
    const root = dump({ 'fds.json': JSON.stringify(fds) });
    const text = await promLib.collectMetrics({ root, processes: true });
    // Nothing below a space but the line ends, no DEL, no C1, no bidi override anywhere in the output.
    expect(text.replaceAll('\n', '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    const names = parseScrape(text)
      .find('procnet_process_sockets')
      .map((s) => s.labels.process);
    expect(names).toContain('ev"il\\\\\\n\\x1b[2J\\u{202e}\\x00x');
    if (HAS_PROMTOOL) expect(promtoolCheckMetrics(text)).toEqual({ status: 0, output: '' });
  });
});

describe('bad input: a scrape with error metrics and the rest of the data, never a failed scrape', () => {
  it('an unreadable table, a bad row and missing tables', async () => {
    const udp = readFileSync(join(CAPTURE, 'net/udp'), 'utf8');
    const root = dump({
      'net/tcp': null,
      'net/unix': null,
      'net/snmp6': null,
      'net/udp': `${udp}  99: garbage\n`,
    });
    mkdirSync(join(root, 'net/tcp')); // a folder where the table should be: it cannot be read
    const seen: Error[] = [];
    const s = parseScrape(await promLib.collectMetrics({ root, onError: (e) => seen.push(e) }));
    expect(s.value('procnet_scrape_errors')).toBe(2);
    expect(seen).toHaveLength(2);
    expect(s.value('procnet_scrape_notes', { code: 'TABLE_UNREADABLE' })).toBe(1);
    expect(s.value('procnet_scrape_notes', { code: 'TABLE_MISSING' })).toBe(1);
    expect(s.value('procnet_scrape_notes', { code: 'COUNTERS_MISSING' })).toBe(1);
    expect(s.find('procnet_sockets', { protocol: 'tcp' })).toEqual([]);
    expect(s.find('procnet_sockets', { protocol: 'unix' })).toEqual([]);
    // The good rows of udp, and every other table and counter, are still there.
    expect(s.value('procnet_sockets', { protocol: 'udp', state: 'unconnected' })).toBe(4);
    expect(s.value('procnet_sockets', { protocol: 'tcp6', state: 'close_wait' })).toBe(2);
    expect(s.value('procnet_tcp_listen_overflows_total')).toBe(5);
    expect(s.find('procnet_udp_receive_errors_total', { protocol: 'udp6' })).toEqual([]);
  });

  it('an fds.json that is not valid: the sockets without their processes', async () => {
    const root = dump({ 'fds.json': '{"processes": [' });
    const seen: Error[] = [];
    const s = parseScrape(await promLib.collectMetrics({ root, processes: true, onError: (e) => seen.push(e) }));
    expect(s.value('procnet_scrape_errors')).toBe(1);
    expect(seen.map((e) => e.message).join('\n')).toMatch(/fds\.json is not a valid fds\.json/);
    expect(s.find('procnet_process_sockets')).toEqual([]);
    const whole = parseScrape(await promLib.collectMetrics({ root: CAPTURE }));
    expect(s.find('procnet_sockets')).toEqual(whole.find('procnet_sockets'));
    expect(s.find('procnet_sockets').length).toBeGreaterThan(5);
  });

  it('a dump folder that does not exist', async () => {
    const s = parseScrape(await promLib.collectMetrics({ root: join(tmpdir(), 'procnet-no-such-dump-folder') }));
    expect(s.value('procnet_scrape_errors')).toBeGreaterThanOrEqual(1);
    expect(s.find('procnet_sockets')).toEqual([]);
    expect(s.find('procnet_scrape_duration_seconds')).toHaveLength(1);
  });

  it('a process that has vanished (--pid)', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid as number;
    await new Promise((resolve) => child.once('exit', resolve));
    const seen: Error[] = [];
    const s = parseScrape(await promLib.collectMetrics({ pid, onError: (e) => seen.push(e) }));
    expect(s.value('procnet_scrape_errors')).toBe(2); // the sockets and the counters
    expect(seen.map((e) => e.message).join('\n')).toContain(String(pid));
    expect(s.find('procnet_sockets')).toEqual([]);
  });
});

describe('settings and findings', () => {
  it('reads somaxconn and the page size from a dump that has them', async () => {
    const root = dump({ 'sys/net/core/somaxconn': '512\n', 'env.json': JSON.stringify({ page_size: 16384 }) });
    const s = parseScrape(await promLib.collectMetrics({ root }));
    expect(s.value('procnet_somaxconn')).toBe(512);
    const sockstat = countersLib.parseSockstat(readFileSync(join(CAPTURE, 'net/sockstat')));
    expect(s.value('procnet_socket_memory_bytes', { protocol: 'tcp' })).toBe(Number(sockstat.TCP?.mem) * 16384);
  });

  it('writes the state findings of the analyses, counted by id and severity', async () => {
    const analysis = { closeWaitWarning: 1 };
    const s = parseScrape(await promLib.collectMetrics({ root: CAPTURE, processes: true, analysis }));
    const read = await nodeLib.readSockets({ root: CAPTURE, processes: true });
    const findings = analysisLib.analyzeStates(read.sockets, analysis);
    expect(findings.length).toBeGreaterThan(0);
    const expected = new Map<string, number>();
    for (const f of findings) expected.set(`${f.id} ${f.severity}`, (expected.get(`${f.id} ${f.severity}`) ?? 0) + 1);
    const got = new Map(
      s.find('procnet_finding').map((x) => [`${x.labels.id} ${x.labels.severity}`, x.value] as const),
    );
    expect(got).toEqual(expected);
    expect(got.get('close-wait-leak warning')).toBeGreaterThan(0);
    expect(
      parseScrape(await promLib.collectMetrics({ root: CAPTURE, findings: false })).find('procnet_finding'),
    ).toEqual([]);
  });

  it('a collector judges the counters between two scrapes (listen-overflow when ListenOverflows grew)', async () => {
    const netstat = readFileSync(join(CAPTURE, 'net/netstat'), 'utf8');
    const root = dump({});
    const collector = promLib.createMetricsCollector({ root });
    const first = parseScrape(await collector.collect());
    expect(first.find('procnet_finding', { id: 'listen-overflow' })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const header = (netstat.match(/^TcpExt: [A-Za-z].*$/m) as RegExpMatchArray)[0].split(' ');
    const lines = netstat.split('\n');
    const at = lines.indexOf(header.join(' ')) + 1;
    const values = (lines[at] as string).split(' ');
    values[header.indexOf('ListenOverflows')] = '500';
    lines[at] = values.join(' ');
    writeFileSync(join(root, 'net/netstat'), lines.join('\n'));
    const second = parseScrape(await collector.collect());
    expect(second.value('procnet_tcp_listen_overflows_total')).toBe(500);
    expect(second.find('procnet_finding', { id: 'listen-overflow' })).toHaveLength(1);
  });

  it('scrapes asked for while one is in flight share its read', async () => {
    const collector = promLib.createMetricsCollector({ root: CAPTURE });
    const [a, b] = await Promise.all([collector.collect(), collector.collect('openmetrics')]);
    const duration = (t: string) => parseScrape(t).value('procnet_scrape_duration_seconds');
    expect(duration(a)).toBe(duration(b));
    const c = await collector.collect();
    expect(duration(c)).not.toBe(duration(a));
  });
});
