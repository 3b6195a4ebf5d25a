/**
 * `procnet exporter`: serves procnet's metrics over HTTP for Prometheus (`/metrics`, and `/` with a short page linking
 * to it), with `node:http`, bound to loopback unless told otherwise. A client of the public entries only.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { escapeTerminal } from '../netstat.js';
import {
  createMetricsCollector,
  type MetricsFormat,
  type MetricsOptions,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from '../prometheus/index.js';
import { DOCS_URL } from './docs-url.js';
import type { CliIo } from './io.js';

/** The default address: loopback, on a port outside the Prometheus exporters' allocated 9100-9999 range. */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 10070 };

export const EXPORTER_USAGE = `Usage: procnet exporter [OPTIONS]      serve this machine's socket metrics to Prometheus

  --listen ADDR:PORT   where to listen (default 127.0.0.1:${DEFAULT_LISTEN.port}; [::1]:PORT for IPv6; PORT alone
                       means 127.0.0.1:PORT; 0.0.0.0:PORT to serve every interface)
  -p, --processes      sockets per owning process (procnet_process_sockets; reads every /proc/PID/fd)
      --pid PID        the network namespace of process PID
      --all-namespaces every network namespace that has a process (a namespace label on each metric)
      --root DIR       a saved dump (procnet snapshot) instead of this machine
      --all-counters   every counter of /proc/net/snmp, netstat and snmp6 (procnet_mib)
      --max-listeners N   listeners in procnet_listen_queue (default 100; the rest: address="other")
      --max-ports N       ports in procnet_service_connections (default 100; the rest: port="other")
      --max-processes N   process names in procnet_process_sockets (default 50; the rest: process="other")
      --remote-addresses N   the N busiest remote addresses per table (procnet_remote_connections; default 0: none)
      --no-findings    do not run the analyses (procnet_finding)
  -h, --help           this help

Serves /metrics (Prometheus text 0.0.4, or OpenMetrics when the scraper asks for it) and / (a page linking to it).
Stops on SIGINT or SIGTERM after the scrapes in flight. Exit codes: 0 stopped by a signal, 1 cannot listen,
2 the command line is wrong.
Docs: ${DOCS_URL}prometheus.md
`;

/** A wrong exporter command line. */
export class ExporterUsageError extends Error {
  override readonly name = 'ExporterUsageError';
}

/** What the exporter's command line says. */
export interface ExporterArgs {
  help: boolean;
  host: string;
  port: number;
  metrics: MetricsOptions;
}

function count(value: string, option: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new ExporterUsageError(`${option} takes a whole number, not '${value}'`);
  return Number(value);
}

/** `ADDR:PORT`, `[IPv6]:PORT` or `PORT` → host and port. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text) ?? /^()()(\d{1,5})$/.exec(text);
  const host = m === null ? '' : m[1] || m[2] || DEFAULT_LISTEN.host;
  const port = m === null ? Number.NaN : Number(m[3]);
  const bracketed = m !== null && m[1] !== undefined && m[1] !== '';
  if (m === null || isIP(host) === 0 || !(port >= 0 && port <= 65535) || (bracketed && isIP(host) !== 6)) {
    throw new ExporterUsageError(
      `--listen takes ADDR:PORT with a numeric address (127.0.0.1:${DEFAULT_LISTEN.port}, [::1]:${DEFAULT_LISTEN.port}), not '${text}'`,
    );
  }
  return { host, port };
}

const VALUE_OPTIONS = new Set([
  'listen',
  'pid',
  'root',
  'max-listeners',
  'max-ports',
  'max-processes',
  'remote-addresses',
]);

/** Parses the arguments after `exporter`. */
export function parseExporterArgs(argv: readonly string[]): ExporterArgs {
  const out: ExporterArgs = { help: false, ...DEFAULT_LISTEN, metrics: {} };
  const m = out.metrics;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    if (arg === '-p' || arg === '--processes') {
      m.processes = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new ExporterUsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!VALUE_OPTIONS.has(name)) {
      if (eq >= 0) throw new ExporterUsageError(`option '--${name}' takes no value`);
      if (name === 'all-namespaces') m.allNamespaces = true;
      else if (name === 'all-counters') m.allCounters = true;
      else if (name === 'no-findings') m.findings = false;
      else throw new ExporterUsageError(`unknown option '--${name}'`);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ExporterUsageError(`--${name} needs a value`);
    if (name === 'listen') Object.assign(out, parseListen(value));
    else if (name === 'root') {
      if (value === '') throw new ExporterUsageError('--root needs a folder');
      m.root = value;
    } else if (name === 'pid') {
      if (!/^[1-9]\d{0,9}$/.test(value)) throw new ExporterUsageError(`--pid takes a process id, not '${value}'`);
      m.pid = Number(value);
    } else if (name === 'max-listeners') m.maxListeners = count(value, '--max-listeners');
    else if (name === 'max-ports') m.maxPorts = count(value, '--max-ports');
    else if (name === 'max-processes') m.maxProcesses = count(value, '--max-processes');
    else m.remoteAddresses = count(value, '--remote-addresses');
  }
  if (m.allNamespaces === true && m.pid !== undefined) {
    throw new ExporterUsageError('--all-namespaces and --pid cannot be used together');
  }
  if (m.allNamespaces === true && m.root !== undefined) {
    throw new ExporterUsageError('--all-namespaces reads live namespaces; --root is a dump of one');
  }
  return out;
}

/** OpenMetrics when the scraper's `Accept` asks for it (Prometheus does), else the text format 0.0.4. */
export function negotiateFormat(accept: string | undefined): MetricsFormat {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'prometheus';
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>procnet exporter</title></head>
<body>
<h1>procnet exporter</h1>
<p>Sockets, accept queues, connections per port and per process, and the kernel's socket counters of this machine.</p>
<p><a href="metrics">Metrics</a> · <a href="${DOCS_URL}prometheus.md">Documentation</a></p>
</body>
</html>
`;

/** Most distinct problem messages written to stderr (the same problem at every scrape is written once). */
const MAX_LOGGED = 100;

/**
 * Runs `procnet exporter` with the arguments after `exporter` until `signal` aborts; resolves to the exit code.
 */
export async function runExporter(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let args: ExporterArgs;
  try {
    args = parseExporterArgs(argv);
  } catch (e) {
    if (!(e instanceof ExporterUsageError)) throw e;
    io.stderr.write(`procnet exporter: ${escapeTerminal(e.message)}\nTry 'procnet exporter --help'.\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(EXPORTER_USAGE);
    return 0;
  }
  const logged = new Set<string>();
  const log = (line: string) => io.stderr.write(`procnet exporter: ${line}\n`);
  let collector: ReturnType<typeof createMetricsCollector>;
  try {
    collector = createMetricsCollector({
      ...args.metrics,
      onError: (e) => {
        const text = e.message.split('\n').map(escapeTerminal).join(' ');
        if (logged.size < MAX_LOGGED && !logged.has(text)) {
          logged.add(text);
          log(text);
        }
      },
    });
  } catch (e) {
    io.stderr.write(`procnet exporter: ${escapeTerminal((e as Error).message)}\n`);
    return 2;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('method not allowed\n');
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : PAGE);
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: try /metrics\n');
      return;
    }
    const format = negotiateFormat(req.headers.accept);
    collector.collect(format).then(
      (text) => {
        res
          .writeHead(200, {
            'Content-Type': format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE,
            'Content-Length': Buffer.byteLength(text),
          })
          .end(req.method === 'HEAD' ? undefined : text);
      },
      (e: unknown) => {
        log(`scrape failed: ${escapeTerminal(String((e as Error)?.message ?? e))}`);
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('scrape failed\n');
      },
    );
  });
  server.keepAliveTimeout = 10_000;

  const listening = await new Promise<Error | null>((resolve) => {
    server.once('error', (e) => resolve(e));
    server.listen({ host: args.host, port: args.port }, () => resolve(null));
  });
  if (listening !== null) {
    log(`cannot listen on ${args.host}:${args.port}: ${escapeTerminal(listening.message)}`);
    return 1;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : args.port;
  const shown = args.host.includes(':') ? `[${args.host}]` : args.host;
  log(`listening on http://${shown}:${port}/metrics`);

  await new Promise<void>((resolve) => {
    if (signal === undefined) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // Graceful: stop accepting, let the scrapes in flight finish, drop idle keep-alive connections.
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 5000);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
  log('stopped');
  return 0;
}
