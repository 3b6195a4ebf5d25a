/**
 * `procnet exporter`, the built command as a child process: its command line, the HTTP endpoints (`/`, `/metrics` in
 * both formats by content negotiation, 404, 405), and a graceful stop on SIGINT and on SIGTERM. Serves a dump
 * (`--root`), on 127.0.0.1 with a port the system picks. The live run under a real Prometheus is
 * test/prometheus/prometheus-server.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { BUILT, CLI, procnet } from './helpers.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');

interface Running {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts the exporter and waits for the line that says where it listens. */
function startExporter(args: readonly string[], listen = '127.0.0.1:0'): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'exporter', '--listen', listen, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let err = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exporter did not start: ${err}`)), 15_000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on http:\/\/(?:127\.0\.0\.1|\[::1\]):(\d+)\/metrics/.exec(err);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), stderr: () => err, exit });
      }
    });
    void exit.then(() => reject(new Error(`exporter exited: ${err}`)));
  });
}

function get(
  port: number,
  path: string,
  options: { method?: string; accept?: string } = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.accept === undefined ? {} : { accept: options.accept },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!BUILT)('procnet exporter', () => {
  it('prints its help, and refuses a wrong command line with exit code 2', () => {
    const help = procnet(['exporter', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--listen ADDR:PORT');
    expect(help.stdout).toContain('default 127.0.0.1:10070');
    expect(procnet(['--help']).stdout).toContain('procnet exporter [OPTIONS]');
    for (const args of [
      ['--listen', 'localhost:80'],
      ['--listen', '127.0.0.1:99999'],
      ['--listen', '[127.0.0.1]:80'],
      ['--bogus'],
      ['--pid', '1', '--all-namespaces'],
      ['--max-listeners', '-1'],
      ['extra'],
    ]) {
      const r = procnet(['exporter', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^procnet exporter: .+\nTry 'procnet exporter --help'\.\n$/);
    }
  });

  it('exits with 1 when it cannot listen', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const r = procnet(['exporter', '--listen', `127.0.0.1:${port}`, '--root', CAPTURE]);
    taken.close();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
  });

  it('serves / and /metrics (text 0.0.4, or OpenMetrics when asked), 404 and 405 otherwise; stops on SIGINT', async () => {
    const e = await startExporter(['--root', CAPTURE, '-p']);
    const page = await get(e.port, '/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<a href="metrics">');
    const text = await get(e.port, '/metrics');
    expect(text.status).toBe(200);
    expect(text.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.body).toContain('procnet_listen_queue{protocol="tcp",address="127.0.0.1",port="40001"} 1\n');
    expect(text.body).toContain('# TYPE procnet_tcp_listen_overflows_total counter\n');
    expect(text.body).toContain('procnet_process_sockets{process="python3",state="close_wait"} 4\n');
    // What Prometheus 2.x sends.
    const om = await get(e.port, '/metrics', {
      accept:
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
    });
    expect(om.type).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.body).toContain('# TYPE procnet_tcp_listen_overflows counter\n');
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    expect((await get(e.port, '/metrics', { method: 'HEAD' })).status).toBe(200);
    expect((await get(e.port, '/nope')).status).toBe(404);
    expect((await get(e.port, '/metrics', { method: 'POST' })).status).toBe(405);
    e.child.kill('SIGINT');
    expect(await e.exit).toEqual({ code: 0, signal: null });
    expect(e.stderr()).toMatch(/procnet exporter: stopped\n$/);
  });

  it('takes a port alone as 127.0.0.1:PORT, and [::1]:PORT for IPv6', async () => {
    for (const listen of ['0', '[::1]:0']) {
      const e = await startExporter(['--root', CAPTURE], listen);
      expect(e.stderr(), listen).toMatch(
        listen === '0' ? /http:\/\/127\.0\.0\.1:\d+\/metrics/ : /http:\/\/\[::1\]:\d+/,
      );
      e.child.kill('SIGTERM');
      expect(await e.exit).toEqual({ code: 0, signal: null });
    }
  });

  it('stops on SIGTERM, and a scrape of a vanished process is a scrape with errors, not a failure', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const e = await startExporter(['--pid', String(gone.pid)]);
    const r = await get(e.port, '/metrics');
    expect(r.status).toBe(200);
    expect(r.body).toContain('\nprocnet_scrape_errors 2\n');
    expect(e.stderr()).toContain(`procnet exporter: `);
    e.child.kill('SIGTERM');
    expect(await e.exit).toEqual({ code: 0, signal: null });
    expect(e.stderr()).toMatch(/procnet exporter: stopped\n$/);
  });
});
