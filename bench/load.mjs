#!/usr/bin/env node
// Load generator: holds N real TCP connections on loopback so /proc/net/tcp has 2N+ rows to read.
//
//   node bench/load.mjs --connections 50000        # 50k client+server pairs = 100k rows (+ listeners)
//
// Traffic stays on loopback (127.0.0.0/8). As root the generator re-executes itself inside a fresh network
// namespace (`unshare -n`), brings `lo` up there and widens `net.ipv4.ip_local_port_range`, so nothing it does is
// visible in (or limited by) the host's namespace. Connections are spread over worker processes so no process
// exceeds its open-file limit (raised with prlimit where allowed), over several listening ports and several
// source addresses (127.0.0.2, 127.0.0.3, ...) to get past the ephemeral-port limit.
//
// When every connection is up it prints one JSON line to stdout:
//   {"event":"ready","pid":1234,"tcpPath":"/proc/1234/net/tcp","rows":100004,...}
// `pid` holds the namespace: read /proc/<pid>/net/tcp, or run a tool inside it with `nsenter -t <pid> -n`.
// It then holds the connections until SIGINT/SIGTERM/SIGHUP, until its stdin (a pipe or a terminal) closes, or
// until --hold-seconds pass (default 900: it always stops by itself), and stops every process it started.

import { execFileSync, fork, spawn } from 'node:child_process';
import { fstatSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);
const INNER_ENV = 'PROCNET_LOAD_INNER';
const WORKER_ENV = 'PROCNET_LOAD_WORKER';
const FD_HEADROOM = 512;

function log(message) {
  process.stderr.write(`load: ${message}\n`);
}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string', short: 'n', default: '1000' },
      ports: { type: 'string', default: '4' },
      'base-port': { type: 'string', default: '40000' },
      sources: { type: 'string' },
      workers: { type: 'string' },
      'per-worker': { type: 'string', default: '16384' },
      concurrency: { type: 'string', default: '512' },
      'hold-seconds': { type: 'string', default: '900' },
      'ready-timeout': { type: 'string', default: '180' },
      netns: { type: 'boolean', default: true },
      'no-netns': { type: 'boolean', default: false },
      stdin: { type: 'boolean', default: true },
      'no-stdin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      [
        'usage: node bench/load.mjs [-n CONNECTIONS] [options]',
        '  -n, --connections N   client+server pairs to hold (default 1000; 50000 = 100k rows)',
        '  --ports P             listening ports per worker, from --base-port (default 4, 40000)',
        '  --sources S           client source addresses 127.0.0.2.. (default: one per 16k connections)',
        '  --workers W           worker processes (default: enough for --per-worker and the fd limit)',
        '  --per-worker K        most connections one worker holds (default 16384)',
        '  --concurrency C       connects in flight per worker (default 512)',
        '  --hold-seconds S      stop by itself after S seconds (default 900)',
        '  --no-netns            stay in the current network namespace even as root',
        '  --no-stdin            do not stop when stdin closes',
        '',
      ].join('\n'),
    );
    process.exit(0);
  }
  const int = (name, min) => {
    const v = Number(String(values[name]).replace(/_/g, ''));
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return v;
  };
  const connections = int('connections', 1);
  return {
    connections,
    ports: int('ports', 1),
    basePort: int('base-port', 1024),
    sources: values.sources === undefined ? Math.max(1, Math.ceil(connections / 16000)) : int('sources', 1),
    workers: values.workers === undefined ? undefined : int('workers', 1),
    perWorker: int('per-worker', 1),
    concurrency: int('concurrency', 1),
    holdSeconds: int('hold-seconds', 1),
    readyTimeout: int('ready-timeout', 1),
    netns: values.netns && !values['no-netns'],
    watchStdin: values.stdin && !values['no-stdin'],
  };
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Root in a sandbox may still lack CAP_SYS_ADMIN: then stay in this namespace (still loopback only). */
function canUnshare() {
  try {
    execFileSync('unshare', ['-n', '--', 'true'], { stdio: 'pipe' });
    return true;
  } catch (error) {
    log(
      `cannot create a network namespace (${
        String(error.stderr || error.message)
          .trim()
          .split('\n')[0]
      })`,
    );
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outer: re-execute inside a new network namespace and relay signals. `unshare -n CMD` execs CMD, so the child's
// pid is the inner generator itself, the namespace holder.
function runOuter(argv) {
  const child = spawn('unshare', ['-n', '--', process.execPath, SELF, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, [INNER_ENV]: '1' },
  });
  const relay = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => relay(signal));
  child.on('error', (error) => {
    log(`cannot run unshare: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------------------------------
// Inner: the namespace holder. Plans the workers, forks them, reports ready, holds, stops them all.

function setupNamespace() {
  execFileSync('ip', ['link', 'set', 'lo', 'up'], { stdio: 'inherit' });
  const sysctls = [
    ['/proc/sys/net/ipv4/ip_local_port_range', '1024 65535'],
    ['/proc/sys/net/core/somaxconn', '65535'],
    ['/proc/sys/net/ipv4/tcp_max_syn_backlog', '65535'],
  ];
  for (const [path, value] of sysctls) {
    try {
      writeFileSync(path, value);
    } catch (error) {
      log(`could not set ${path} = ${value}: ${error.code ?? error.message}`);
    }
  }
}

function nofileLimits() {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '').split(/\s+/).slice(3, 5).map(Number);
  return { soft, hard };
}

/** Raises this process's RLIMIT_NOFILE (inherited by the workers it forks later). Returns the soft limit in force. */
function raiseNofile(wanted) {
  const { soft, hard } = nofileLimits();
  if (soft >= wanted) return soft;
  let target = Math.min(wanted, hard);
  if (isRoot()) {
    const nrOpen = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8'));
    target = Math.min(wanted, nrOpen);
  }
  // Above the hard limit needs CAP_SYS_RESOURCE (root in a container may lack it); then settle for the hard limit.
  for (const [softTo, hardTo] of [
    [target, Math.max(target, hard)],
    [Math.min(wanted, hard), hard],
  ]) {
    if (softTo <= nofileLimits().soft) break;
    try {
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${softTo}:${hardTo}`], { stdio: 'pipe' });
      break;
    } catch (error) {
      log(
        `prlimit --nofile=${softTo}:${hardTo} failed: ${
          String(error.stderr || error.message)
            .trim()
            .split('\n')[0]
        }`,
      );
    }
  }
  return nofileLimits().soft;
}

function planWorkers(options) {
  const wantPerWorker = Math.min(options.perWorker, options.connections);
  const minWorkers = options.workers ?? Math.ceil(options.connections / wantPerWorker);
  const perWorker = Math.ceil(options.connections / minWorkers);
  const nofile = raiseNofile(2 * perWorker + options.ports + FD_HEADROOM);
  const cap = Math.floor((nofile - options.ports - FD_HEADROOM) / 2);
  if (cap < 1) throw new Error(`open-file limit ${nofile} is too low`);
  const workers = Math.max(minWorkers, Math.ceil(options.connections / cap));
  const shares = [];
  let left = options.connections;
  for (let w = 0; w < workers; w++) {
    const share = Math.ceil(left / (workers - w));
    shares.push(share);
    left -= share;
  }
  return { workers, shares, nofile };
}

function countRows(path) {
  const text = readFileSync(path, 'latin1');
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return Math.max(0, lines - 1);
}

function runInner(options, inNamespace) {
  const started = performance.now();
  if (inNamespace) setupNamespace();
  else
    log(
      isRoot()
        ? 'running in the current network namespace (loopback only)'
        : 'not root: running in the current network namespace (loopback only)',
    );

  const plan = planWorkers(options);
  log(
    `${options.connections} connections over ${plan.workers} worker(s), ${options.ports} port(s) each, ` +
      `${options.sources} source address(es); nofile ${plan.nofile}`,
  );

  const children = new Set();
  let stopping = false;
  let readyCount = 0;
  let holdTimer;

  const stop = (reason, code = 0) => {
    if (stopping) return;
    stopping = true;
    clearTimeout(holdTimer);
    log(`stopping (${reason})`);
    for (const child of children) child.kill('SIGTERM');
    const deadline = setTimeout(() => {
      for (const child of children) child.kill('SIGKILL');
    }, 5000);
    const finish = () => {
      if (children.size > 0) return;
      clearTimeout(deadline);
      process.stdout.write(`${JSON.stringify({ event: 'stopped', pid: process.pid, reason })}\n`);
      process.exit(code);
    };
    for (const child of children) child.on('exit', finish);
    finish();
  };

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
  process.on('uncaughtException', (error) => {
    log(`error: ${error.stack ?? error}`);
    stop('error', 1);
  });

  if (options.watchStdin) {
    let kind = 'other';
    try {
      const st = fstatSync(0);
      if (st.isFIFO() || st.isSocket()) kind = 'pipe';
      else if (process.stdin.isTTY) kind = 'tty';
    } catch {
      kind = 'closed';
    }
    if (kind === 'pipe' || kind === 'tty') {
      process.stdin.on('data', () => {});
      process.stdin.on('end', () => stop('stdin closed'));
      process.stdin.on('error', () => stop('stdin error'));
    } else if (kind === 'closed') {
      log('stdin is closed: stop with a signal');
    }
  }

  // If whoever started us dies without telling us, stop anyway.
  const originalParent = process.ppid;
  setInterval(() => {
    if (process.ppid !== originalParent) stop('parent exited');
  }, 1000).unref();

  const readyTimer = setTimeout(() => stop(`not ready after ${options.readyTimeout}s`, 1), options.readyTimeout * 1000);

  const totals = { connected: 0, accepted: 0, errors: 0 };
  plan.shares.forEach((share, index) => {
    const child = fork(SELF, [], {
      env: { ...process.env, [WORKER_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (!stopping) stop(`worker ${index} exited (${signal ?? code})`, 1);
    });
    child.on('message', (message) => {
      if (message.event !== 'ready') return;
      totals.connected += message.connected;
      totals.accepted += message.accepted;
      totals.errors += message.errors;
      readyCount++;
      if (readyCount < plan.workers) return;
      clearTimeout(readyTimer);
      const tcpPath = `/proc/${process.pid}/net/tcp`;
      const rows = countRows(tcpPath);
      const ready = {
        event: 'ready',
        pid: process.pid,
        netns: inNamespace,
        tcpPath,
        connections: options.connections,
        ...totals,
        rows,
        workers: plan.workers,
        workerPids: [...children].map((c) => c.pid),
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
      };
      process.stdout.write(`${JSON.stringify(ready)}\n`);
      log(`ready: ${rows} rows in ${tcpPath} after ${ready.seconds}s; holding up to ${options.holdSeconds}s`);
      holdTimer = setTimeout(() => stop(`--hold-seconds ${options.holdSeconds} passed`), options.holdSeconds * 1000);
    });
    child.send({
      index,
      connections: share,
      ports: Array.from({ length: options.ports }, (_, j) => options.basePort + index * options.ports + j),
      sources: Array.from({ length: options.sources }, (_, j) => `127.0.0.${2 + j}`),
      concurrency: options.concurrency,
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Worker: listens on its own ports on 127.0.0.1, connects to them, holds both ends.

function runWorker() {
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => {}); // the holder decides when to stop
  process.once('message', (job) => {
    const held = [];
    let connected = 0;
    let accepted = 0;
    let errors = 0;
    let started = 0;
    let inFlight = 0;
    let reported = false;

    const maybeReady = () => {
      if (reported || connected < job.connections || accepted < job.connections) return;
      reported = true;
      process.send({ event: 'ready', connected, accepted, errors });
    };

    const servers = job.ports.map((port) => {
      const server = net.createServer((socket) => {
        socket.on('error', () => {});
        socket.pause();
        held.push(socket);
        accepted++;
        maybeReady();
      });
      server.on('error', (error) => {
        process.stderr.write(`load worker ${job.index}: listen ${port}: ${error.message}\n`);
        process.exit(1);
      });
      return new Promise((resolve) => server.listen({ host: '127.0.0.1', port, backlog: 65535 }, resolve));
    });

    const pump = () => {
      while (inFlight < job.concurrency && started < job.connections) {
        const i = started++;
        inFlight++;
        const attempt = (tries) => {
          const socket = net.connect({
            host: '127.0.0.1',
            port: job.ports[i % job.ports.length],
            localAddress: job.sources[Math.floor(i / job.ports.length) % job.sources.length],
          });
          socket.once('connect', () => {
            socket.pause();
            held.push(socket);
            connected++;
            inFlight--;
            maybeReady();
            pump();
          });
          socket.once('error', (error) => {
            errors++;
            socket.destroy();
            if (tries < 5) {
              setTimeout(() => attempt(tries + 1), 50 * (tries + 1));
              return;
            }
            process.stderr.write(`load worker ${job.index}: connect failed: ${error.message}\n`);
            process.exit(1);
          });
        };
        attempt(0);
      }
    };

    Promise.all(servers).then(pump);
  });
}

// ---------------------------------------------------------------------------------------------------------------

if (process.env[WORKER_ENV] === '1') {
  runWorker();
} else {
  const argv = process.argv.slice(2);
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    log(error.message);
    process.exit(2);
  }
  if (process.env[INNER_ENV] === '1') runInner(options, true);
  else if (options.netns && isRoot() && canUnshare()) runOuter(argv);
  else runInner(options, false);
}
