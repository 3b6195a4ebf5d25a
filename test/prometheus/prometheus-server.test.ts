/**
 * The real thing: Debian's Prometheus server scrapes `procnet exporter` (the built command) every second, both running
 * inside a private network namespace (`unshare -n`) where test/doctor/scenario.py (`exporter`) planted a listener with
 * a full accept queue, twelve CLOSE_WAIT sockets held by its own process (renamed with control characters) and three
 * connections accepted on a third listener. The test asks Prometheus's HTTP API for each series and checks it against
 * what was planted and what `ss` and /proc say in that namespace. Only loopback of that namespace is used; every
 * process is stopped by its pid.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CLI } from '../cli/helpers.js';
import { CAN_UNSHARE, type Scenario, startScenario, stopScenarios } from '../doctor/scenario.js';
import { countersLib } from '../support/entry-libs.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const CAN_RUN = BUILT && CAN_UNSHARE && ['prometheus', 'nsenter', 'ss'].every(has);

/** The exporter's process name is set to this: control characters that must never reach a label raw. */
const COMM = Buffer.from('cw\x1b[31m\nleak');
const COMM_LABEL = 'cw\\x1b[31m\\nleak';
const PROMETHEUS = '127.0.0.1:9090';
const EXPORTER = '127.0.0.1:10070';

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!CAN_RUN)('Prometheus scraping procnet exporter in a network namespace', () => {
  let scenario: Scenario;
  let netns: string;
  let dir: string;
  let exporter: ChildProcess | undefined;
  let exporterErr = '';
  let exporterExit: Promise<number | null> | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusErr = '';

  /** Runs a command in the namespace (`nsenter --net`) and returns its stdout. */
  const inside = (command: string, args: readonly string[]) => {
    const r = spawnSync('nsenter', [netns, command, ...args], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  /** An instant query of Prometheus's HTTP API, asked from inside the namespace. */
  const query = (expr: string): Vector[] => {
    const url = `http://${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(expr)}`;
    const script = `fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => process.stdout.write(t))`;
    const body = JSON.parse(inside(process.execPath, ['-e', script]));
    if (body.status !== 'success') throw new Error(`query ${expr}: ${JSON.stringify(body)}`);
    return body.data.result as Vector[];
  };
  const value = (expr: string): number => {
    const r = query(expr);
    if (r.length !== 1) throw new Error(`${expr}: ${r.length} series: ${JSON.stringify(r)}`);
    return Number((r[0] as Vector).value[1]);
  };

  beforeAll(async () => {
    scenario = await startScenario('exporter', { comm: COMM });
    netns = `--net=/proc/${scenario.pid}/ns/net`;
    dir = mkdtempSync(join(tmpdir(), 'procnet-prometheus-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: procnet',
        '    static_configs:',
        `      - targets: ['${EXPORTER}']`,
        '',
      ].join('\n'),
    );
    exporter = spawn('nsenter', [netns, process.execPath, CLI, 'exporter', '--listen', EXPORTER, '-p'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    exporter.stderr?.on('data', (d: Buffer) => {
      exporterErr += d.toString();
    });
    const child = exporter;
    // 'close', not 'exit': it comes once standard error is read to its end (an 'exit' can come before its last line).
    exporterExit = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    prometheus = spawn(
      'nsenter',
      [
        netns,
        'prometheus',
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=${PROMETHEUS}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (d: Buffer) => {
      prometheusErr += d.toString();
    });
    // Ready once Prometheus has scraped the exporter at least once.
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        if (query('procnet_scrape_errors').length > 0) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`no scrape in 20 s; exporter: ${exporterErr}; prometheus: ${prometheusErr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 40_000);

  afterAll(async () => {
    const stop = (child: ChildProcess | undefined) =>
      new Promise<void>((resolve) => {
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    await Promise.all([stop(prometheus), stop(exporter)]);
    await stopScenarios();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 15_000);

  it('scrapes the exporter successfully, with no scrape error', () => {
    expect(value('up{job="procnet"}')).toBe(1);
    expect(value('procnet_scrape_errors')).toBe(0);
    expect(value('procnet_scrape_duration_seconds')).toBeGreaterThan(0);
  });

  it('sees the full accept queue of the listener that never accepts', () => {
    const full = String(scenario.info.full);
    expect(value(`procnet_listen_queue{protocol="tcp",address="127.0.0.1",port="${full}"}`)).toBe(scenario.info.queued);
    const somaxconn = Number(inside('cat', ['/proc/sys/net/core/somaxconn']).trim());
    expect(value('procnet_somaxconn')).toBe(somaxconn);
    // The third client's SYN was dropped: the kernel counted an overflow (and still counts, as it retries).
    const overflows = value('procnet_tcp_listen_overflows_total');
    const now = Number(
      countersLib.parseNetstat(readFileSync(`/proc/${scenario.pid}/net/netstat`)).TcpExt?.ListenOverflows,
    );
    expect(overflows).toBeGreaterThan(0);
    expect(overflows).toBeLessThanOrEqual(now);
    expect(value('procnet_sockets{protocol="tcp",state="syn_sent"}')).toBeGreaterThanOrEqual(1);
  });

  it('counts connections per listening port: CLOSE_WAIT on one, ESTABLISHED on another', () => {
    const { closewait, served } = scenario.info as { closewait: number; served: number };
    expect(value(`procnet_service_connections{protocol="tcp",port="${closewait}",state="close_wait"}`)).toBe(12);
    expect(value(`procnet_service_connections{protocol="tcp",port="${served}",state="established"}`)).toBe(3);
    // Every listener of the namespace: the three planted, the exporter's and Prometheus's own (as ss counts them).
    const listeners = inside('ss', ['-Htln']).trim().split('\n').length;
    expect(listeners).toBe(5);
    expect(value('procnet_sockets{protocol="tcp",state="listen"}')).toBe(listeners);
  });

  it('counts CLOSE_WAIT per process, with the control characters of its name escaped', () => {
    const series = query('procnet_process_sockets{state="close_wait"}');
    expect(series.map((s) => [s.metric.process, s.value[1]])).toEqual([[COMM_LABEL, '12']]);
    expect(value('procnet_finding{id="close-wait-leak",severity="warning"}')).toBe(1);
    // The queued connections were never accepted: no process holds them.
    expect(value('procnet_process_sockets{process="unknown",state="established"}')).toBeGreaterThanOrEqual(2);
  });

  it('stops the exporter gracefully on SIGTERM', async () => {
    prometheus?.kill('SIGTERM');
    exporter?.kill('SIGTERM');
    expect(await exporterExit).toBe(0);
    expect(exporterErr).toMatch(/procnet exporter: stopped\n$/);
  });
});
