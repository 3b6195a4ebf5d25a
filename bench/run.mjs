#!/usr/bin/env node
// procnet benchmark harness: races procnet (from ../dist, loaded lazily) against its peers on the same bytes.
//
//   node bench/run.mjs --parse                 # saved 100k-row tcp table, full objects
//   node bench/run.mjs --all                   # every scenario
//   node bench/run.mjs --smoke                 # every scenario at a tiny size (CI)
//
// Peers run round-robin: in each round every peer runs once, in an order rotated by one each round, so slow
// drift of the machine (thermal, page cache, other load) spreads over all peers instead of hitting one.
// Two kinds of peer:
//   json     a child process that times `--inner` calls in-process after a warm-up and prints JSON
//            (Node peers, the Go procfs program, the psutil script); its peak RSS is its own getrusage maxrss.
//   process  a whole command (cat, ss, netstat, the procnet CLI), timed from spawn to exit by this harness,
//            `--inner` spawns per round; peak RSS from `/usr/bin/time -f %M`. Output goes to /dev/null.
// Reported: median of all samples with min-max, MB/s (10^6 bytes/s of table text) where a peer reads the table,
// and the highest peak RSS seen. Results: bench/results/<date>-<scenario>.json and .md, with the exact command.
// procnet entries that do not exist yet are reported as "not available"; only a broken harness exits non-zero.

import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateTable } from './gen-table.mjs';
import { procnetCli, procnetDist, SCRAPED_FILES } from './lib/procnet.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(BENCH, '..');
const WORK = join(BENCH, '.work');
const NODE_PEER = join(BENCH, 'peers', 'node-peer.mjs');
const PSUTIL_PEER = join(BENCH, 'peers', 'psutil.py');
const GO_PEER = join(WORK, 'bin', 'go-procfs');
const GO_SOURCE = join(BENCH, 'peers', 'go-procfs', 'main.go');
const RUST_PEER = join(WORK, 'bin', 'rust-procfs');
const RUST_SOURCE = join(BENCH, 'peers', 'rust-procfs', 'src', 'main.rs');
const PYTHON = '/usr/bin/python3'; // Debian's python3-psutil lives here, not in a pyenv python
const TIME = '/usr/bin/time';

const SCENARIOS = ['parse', 'summary', 'stream', 'live', 'owners', 'cli', 'prometheus'];
const NEEDS_LOAD = new Set(['live', 'owners', 'cli', 'prometheus']);

// ---------------------------------------------------------------------------------------------------------------
// Options

function parseOptions() {
  const { values } = parseArgs({
    options: {
      parse: { type: 'boolean' },
      summary: { type: 'boolean' },
      stream: { type: 'boolean' },
      live: { type: 'boolean' },
      owners: { type: 'boolean' },
      cli: { type: 'boolean' },
      prometheus: { type: 'boolean' },
      all: { type: 'boolean' },
      smoke: { type: 'boolean' },
      rows: { type: 'string' },
      'stream-rows': { type: 'string' },
      connections: { type: 'string' },
      kind: { type: 'string', default: 'tcp' },
      seed: { type: 'string', default: '1' },
      iterations: { type: 'string' },
      inner: { type: 'string' },
      warmup: { type: 'string' },
      peers: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean' },
      strict: { type: 'boolean' },
      timeout: { type: 'string', default: '600' },
      'wait-idle': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(readFileSync(join(BENCH, 'README.md'), 'utf8'));
    process.exit(0);
  }
  const num = (v, fallback) => {
    if (v === undefined) return fallback;
    const n = Number(String(v).replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got ${v}`);
    return n;
  };
  const smoke = Boolean(values.smoke);
  let scenarios = SCENARIOS.filter((s) => values[s]);
  if (values.all || smoke) scenarios = scenarios.length > 0 && !values.all ? scenarios : [...SCENARIOS];
  if (scenarios.length === 0) scenarios = ['parse'];
  if (values.kind !== 'tcp' && values.kind !== 'tcp6') throw new Error('--kind must be tcp or tcp6');
  const rows = num(values.rows, smoke ? 1000 : 100_000);
  return {
    scenarios,
    smoke,
    rows,
    streamRows: num(values['stream-rows'], smoke ? 5000 : 1_000_000),
    connections: num(values.connections, smoke ? 200 : 50_000),
    kind: values.kind,
    seed: num(values.seed, 1),
    iterations: num(values.iterations, smoke ? 2 : undefined),
    inner: num(values.inner, smoke ? 1 : undefined),
    warmup: values.warmup === undefined ? undefined : Number(values.warmup),
    peerFilter: values.peers ? values.peers.split(',').map((s) => s.trim()) : undefined,
    outDir: resolve(values.out ?? (smoke ? join(WORK, 'smoke-results') : join(BENCH, 'results'))),
    write: !values['no-write'],
    strict: Boolean(values.strict),
    timeoutMs: num(values.timeout) * 1000,
    waitIdleS: values['wait-idle'] === undefined ? 0 : num(values['wait-idle']),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: every one is tracked and killed if the harness stops early.

const active = new Set();

function runChild(argv, { capture = true, env, timeoutMs }) {
  return new Promise((resolvePromise) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
      env: env ? { ...process.env, ...env } : process.env,
    });
    active.add(child);
    let stdout = '';
    let stderr = '';
    let ms = 0;
    child.stdout?.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      if (stderr.length < 100_000) stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', () => {
      ms = Number(process.hrtime.bigint() - started) / 1e6;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      active.delete(child);
      resolvePromise({ code: -1, signal: null, stdout, stderr: error.message, ms: 0 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      active.delete(child);
      resolvePromise({ code, signal, stdout, stderr, ms });
    });
  });
}

function killActive() {
  for (const child of active) child.kill('SIGKILL');
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function isRoot() {
  return process.getuid?.() === 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Machine quietness: other work on this 2-core machine shows up as noise, so it is measured and recorded.

function cpuTimes() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  return { idle, total: f.reduce((a, b) => a + b, 0) };
}

/** Fraction of all CPUs busy over `ms` milliseconds (0..1). */
async function cpuBusy(ms) {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/** CPU ticks used by this harness and the children it has waited for (utime, stime, cutime, cstime). */
function ownTicks() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
}

function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** Waits (at most `seconds`) for `needQuiet` consecutive seconds with the CPUs under 10% busy. */
async function waitIdle(seconds, needQuiet = 3) {
  const deadline = Date.now() + seconds * 1000;
  let quiet = 0;
  let busy = await cpuBusy(1000);
  while (Date.now() < deadline) {
    quiet = busy < 0.1 ? quiet + 1 : 0;
    if (quiet >= needQuiet) break;
    busy = await cpuBusy(1000);
  }
  return busy;
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs

/**
 * A saved table laid out as a proc root: <dir>/net/<kind>, plus `proc -> .` and `self -> .` so that
 * <dir>/proc/net/<kind> and <dir>/self/net/<kind> resolve too, whichever root convention a reader uses.
 */
function ensureTable(kind, rows, seed) {
  const dir = join(WORK, 'tables', `${kind}-${rows}-seed${seed}`);
  const file = join(dir, 'net', kind);
  const metaFile = join(dir, 'meta.json');
  const generator = statSync(join(BENCH, 'gen-table.mjs')).mtimeMs;
  let meta;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch {}
  if (!meta || meta.generator !== generator || !existsSync(file) || statSync(file).size !== meta.bytes) {
    mkdirSync(join(dir, 'net'), { recursive: true });
    process.stderr.write(`bench: generating ${rows}-row ${kind} table (seed ${seed}) ...\n`);
    const t0 = performance.now();
    const result = generateTable({ kind, rows, seed, out: file });
    meta = { ...result, seed, generator, ms: Math.round(performance.now() - t0) };
    writeFileSync(metaFile, JSON.stringify(meta));
  }
  for (const link of ['proc', 'self']) {
    const path = join(dir, link);
    let ok = false;
    try {
      ok = readlinkSync(path) === '.';
    } catch {}
    if (!ok) {
      rmSync(path, { force: true });
      symlinkSync('.', path);
    }
  }
  return { dir, file, kind, rows, bytes: meta.bytes, seed, states: meta.states };
}

/** Starts bench/load.mjs and waits for its ready line. Returns { pid, rows, netns, stop }. */
async function startLoad(connections, timeoutMs) {
  const child = spawn(process.execPath, [join(BENCH, 'load.mjs'), '-n', String(connections)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  active.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((r) => child.on('close', (code, signal) => r({ code, signal })));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    active.delete(child);
  };
  const ready = await new Promise((resolvePromise, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`load generator not ready after ${timeoutMs / 1000}s`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      buffer += d;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const msg = JSON.parse(line);
          if (msg.event === 'ready') {
            clearTimeout(timer);
            resolvePromise(msg);
          }
        } catch {}
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`load generator exited (${signal ?? code}) before ready:\n${stderr}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  return { ...ready, stop };
}

// ---------------------------------------------------------------------------------------------------------------
// Peers

function ensureGoPeer() {
  if (existsSync(GO_PEER) && statSync(GO_PEER).mtimeMs >= statSync(GO_SOURCE).mtimeMs) return null;
  if (!which('go')) return 'go is not installed (bench/setup-peers.sh)';
  if (!existsSync('/usr/share/gocode/src/github.com/prometheus/procfs')) {
    return 'Debian golang-github-prometheus-procfs-dev is not installed (bench/setup-peers.sh)';
  }
  const r = spawnSync('bash', [join(BENCH, 'peers', 'go-procfs', 'build.sh')], { encoding: 'utf8' });
  return r.status === 0 ? null : `go-procfs build failed: ${r.stderr.trim()}`;
}

function ensureRustPeer() {
  if (existsSync(RUST_PEER) && statSync(RUST_PEER).mtimeMs >= statSync(RUST_SOURCE).mtimeMs) return null;
  if (!existsSync('/usr/bin/cargo') && !which('cargo')) return 'cargo is not installed (bench/setup-peers.sh)';
  if (!existsSync('/usr/share/cargo/registry')) {
    return 'Debian librust-procfs-dev is not installed (bench/setup-peers.sh)';
  }
  const r = spawnSync('bash', [join(BENCH, 'peers', 'rust-procfs', 'build.sh')], { encoding: 'utf8' });
  return r.status === 0 ? null : `rust-procfs build failed: ${r.stderr.trim().slice(-2000)}`;
}

/** The Rust procfs crate's `read_tcp_table` on the saved file (saved tables only: it takes a file). */
function rustPeer(id, label) {
  return {
    id,
    label,
    type: 'json',
    check: ensureRustPeer,
    argv: (ctx) => [
      RUST_PEER,
      '-file',
      ctx.file,
      '-kind',
      ctx.kind,
      '-iterations',
      String(ctx.inner),
      '-warmup',
      String(ctx.warmup),
    ],
  };
}

/** A Node peer from peers/node-peer.mjs. */
function nodePeer(id, peer, label, extra = {}) {
  return {
    id,
    label,
    type: 'json',
    procnet: id.startsWith('procnet'),
    argv: (ctx) => [
      process.execPath,
      NODE_PEER,
      '--peer',
      peer,
      '--kind',
      ctx.kind,
      '--file',
      ctx.file,
      ...(ctx.root ? ['--root', ctx.root] : []),
      '--iterations',
      String(extra.inner?.(ctx) ?? ctx.inner),
      '--warmup',
      String(ctx.warmup),
    ],
    ...extra,
  };
}

function goPeer(id, label, mode = 'rows') {
  return {
    id,
    label,
    type: 'json',
    check: ensureGoPeer,
    argv: (ctx) => [
      GO_PEER,
      '-root',
      ctx.root ?? '/proc',
      '-kind',
      ctx.kind,
      '-mode',
      mode,
      '-iterations',
      String(ctx.inner),
      '-warmup',
      String(ctx.warmup),
    ],
  };
}

function psutilPeer(id, label, mode) {
  return {
    id,
    label,
    type: 'json',
    check: () => (existsSync(PYTHON) ? null : `${PYTHON} not found`),
    argv: (ctx) => [
      PYTHON,
      PSUTIL_PEER,
      '--mode',
      mode,
      ...(mode === 'file' ? ['--file', ctx.file, '--family', ctx.kind] : ['--kind', 'tcp']),
      '--iterations',
      String(ctx.inner),
      '--warmup',
      String(ctx.warmup),
    ],
  };
}

/** A whole command; `header` lines are not rows when counting its output. */
function commandPeer(id, label, argv, header, extra = {}) {
  return {
    id,
    label,
    type: 'process',
    check: () => (which(argv[0]) ? null : `${argv[0]} not installed (bench/setup-peers.sh)`),
    argv: typeof argv === 'function' ? argv : () => argv,
    header,
    ...extra,
  };
}

/**
 * `procnet -tan` of the build being measured; with `base`, of another build (PROCNET_BASE_DIST=/path/to/dist, for
 * example the main branch's), raced in the same run: a before/after of the command that the machine's load cannot
 * skew between two runs.
 */
function procnetCliPeer(base) {
  const dist = base ? process.env.PROCNET_BASE_DIST : undefined;
  return {
    id: base ? 'procnet-cli-base' : 'procnet-cli',
    label: base ? 'procnet -tan of PROCNET_BASE_DIST (whole process)' : 'procnet -tan (whole process)',
    type: 'process',
    procnet: true,
    // netstat's two lines: the section title and the column header.
    header: 2,
    check: () => procnetCli(dist).reason ?? null,
    argv: () => [process.execPath, procnetCli(dist).file, '-tan'],
  };
}

function scenarioPeers(scenario) {
  const cat = (file) => commandPeer('kernel-cat', 'cat FILE > /dev/null (kernel read)', ['cat', file], 1);
  const readNode = nodePeer('kernel-node', 'read', 'fs.readFileSync(FILE), discarded (kernel read)');
  // What any whole-process number pays before doing anything: fork, exec (of nsenter and /usr/bin/time too).
  const spawnTrue = commandPeer('spawn-true', 'true (whole-process overhead reference)', ['true'], 0, {
    noBytes: true,
    noRows: true,
  });
  switch (scenario) {
    case 'parse':
      return (ctx) => [
        spawnTrue,
        cat(ctx.file),
        readNode,
        goPeer('go-procfs', 'Go prometheus/procfs NewFS(root).NetTCP() (read + parse)'),
        rustPeer('rust-procfs', 'Rust procfs crate read_tcp_table(BufReader(File)) (read + parse)'),
        nodePeer('stroncium-api', 'stroncium-api', '@stroncium/procfs Procfs(root).netTcp4() (public API)'),
        nodePeer('stroncium-parse', 'stroncium-parse', '@stroncium/procfs parser on readFileSync text (read + parse)'),
        nodePeer(
          'stroncium-preloaded',
          'stroncium-parse-preloaded',
          '@stroncium/procfs parser, text in memory (parse only)',
        ),
        psutilPeer('psutil-parse', 'psutil Connections.process_inet(FILE) (internal parser, read + parse)', 'file'),
        nodePeer('procnet-parse', 'procnet-parse', 'procnet parseTable(kind, readFileSync(FILE)) (read + parse)'),
        nodePeer('procnet-preloaded', 'procnet-parse-preloaded', 'procnet parseTable(kind, buffer) (parse only)'),
        nodePeer('procnet-columns', 'procnet-columns', 'procnet parseColumns(kind, readFileSync(FILE)) (read + parse)'),
        nodePeer(
          'procnet-columns-preloaded',
          'procnet-columns-preloaded',
          'procnet parseColumns(kind, buffer) (parse only)',
        ),
      ];
    case 'summary':
      return () => [
        readNode,
        goPeer('go-procfs-summary', 'Go prometheus/procfs NetTCPSummary() (queue totals, no rows kept)', 'summary'),
        nodePeer('stroncium-summary', 'stroncium-summary', '@stroncium/procfs parser + sum queues'),
        nodePeer('procnet-summary', 'procnet-summary', 'procnet summarizeTable(kind, readFileSync(FILE))'),
        nodePeer(
          'procnet-summary-stream',
          'procnet-summary-stream',
          'procnet summarizeTableStream(kind, createReadStream(FILE))',
        ),
      ];
    case 'stream':
      return (ctx) => [
        nodePeer('node-baseline', 'node-baseline', 'empty Node.js process (RSS reference)', { noBytes: true }),
        cat(ctx.file),
        readNode,
        goPeer('go-procfs', 'Go prometheus/procfs NetTCP() (all rows in a slice)'),
        rustPeer('rust-procfs', 'Rust procfs crate read_tcp_table (all rows in a Vec)'),
        nodePeer('stroncium-parse', 'stroncium-parse', '@stroncium/procfs parser on readFileSync text'),
        nodePeer('procnet-parse', 'procnet-parse', 'procnet parseTable(kind, readFileSync(FILE))'),
        nodePeer('procnet-stream', 'procnet-stream', 'procnet parseTableStream(kind, createReadStream(FILE))'),
        nodePeer('procnet-columns', 'procnet-columns', 'procnet parseColumns(kind, readFileSync(FILE))'),
        nodePeer(
          'procnet-columns-stream',
          'procnet-columns-stream',
          'procnet parseColumnsStream(kind, createReadStream(FILE)) (batches counted)',
        ),
        nodePeer(
          'procnet-summary-stream',
          'procnet-summary-stream',
          'procnet summarizeTableStream(kind, createReadStream(FILE))',
        ),
        nodePeer('procnet-read', 'procnet-read', 'procnet/node readSockets({ kinds, root: DUMP })'),
      ];
    case 'live':
      return (ctx) => [
        spawnTrue,
        cat(ctx.file),
        readNode,
        goPeer('go-procfs', 'Go prometheus/procfs NewFS("/proc").NetTCP()'),
        nodePeer('stroncium-api', 'stroncium-api', '@stroncium/procfs Procfs().netTcp4() (public API)'),
        nodePeer('stroncium-parse', 'stroncium-parse', '@stroncium/procfs parser on readFileSync text'),
        commandPeer('ss-tan', 'ss -tan (whole process, netlink)', ['ss', '-tan'], 1),
        commandPeer('netstat-tan', 'netstat -tan (whole process)', ['netstat', '-tan'], 2),
        nodePeer('procnet-read', 'procnet-read', 'procnet/node readSockets({ kinds: ["tcp"] })'),
        nodePeer('procnet-read-columns', 'procnet-read-columns', 'procnet/node readSocketColumns({ kinds: ["tcp"] })'),
        nodePeer('procnet-parse', 'procnet-parse', 'procnet parseTable("tcp", readFileSync("/proc/net/tcp"))'),
      ];
    case 'owners':
      return () => [
        spawnTrue,
        psutilPeer('psutil', "psutil.net_connections('tcp') (tcp+tcp6, scans /proc/*/fd)", 'live'),
        commandPeer('netstat-tanp', 'netstat -tanp (whole process)', ['netstat', '-tanp'], 2, { noBytes: true }),
        commandPeer('ss-tanp', 'ss -tanp (whole process)', ['ss', '-tanp'], 1, { noBytes: true }),
        nodePeer(
          'systeminformation',
          'systeminformation',
          'systeminformation.networkConnections() (runs netstat -tunap)',
          { noBytes: true },
        ),
        nodePeer('node-netstat', 'node-netstat', 'node-netstat (runs netstat -apntu)', { noBytes: true }),
        nodePeer('procnet-owners', 'procnet-owners', 'procnet/node readSockets({ kinds: ["tcp"], processes: true })', {
          noBytes: true,
        }),
      ];
    case 'prometheus':
      return (ctx) => [
        spawnTrue,
        commandPeer(
          'kernel-cat-tables',
          'cat of every /proc/net file a scrape reads (whole process)',
          ['cat', ...SCRAPED_FILES.map((f) => `/proc/net/${f}`)],
          0,
          { noBytes: true, noRows: true },
        ),
        nodePeer('kernel-node-tables', 'read-tables', 'fs.readFileSync of the same files, discarded (kernel read)', {
          noBytes: true,
          noRows: true,
        }),
        nodePeer('procnet-scrape', 'procnet-scrape', 'procnet/prometheus collectMetrics() (no owners)', {
          noBytes: true,
          noRows: true,
        }),
        nodePeer(
          'procnet-scrape-owners',
          'procnet-scrape-owners',
          'procnet/prometheus collectMetrics({ processes: true })',
          { noBytes: true, noRows: true },
        ),
        psutilPeer('psutil', "psutil.net_connections('tcp') (tcp+tcp6, scans /proc/*/fd)", 'live'),
        nodePeer(
          'procnet-exporter',
          'procnet-exporter',
          `procnet exporter over HTTP, ${ctx.exporterScrapes} scrapes per run (RSS: the exporter's peak)`,
          { noBytes: true, noRows: true, inner: (c) => c.exporterScrapes - c.warmup },
        ),
        nodePeer(
          'node-exporter-tcpstat',
          'node-exporter-tcpstat',
          "node_exporter tcpstat collector over HTTP (netlink; RSS: node_exporter's peak)",
          { noBytes: true, noRows: true },
        ),
      ];
    case 'cli':
      return (ctx) => [
        spawnTrue,
        // The floor the command is held to: starting Node and reading the table, each as a whole process.
        commandPeer('node-start', 'node -e 0 (bare Node start)', [process.execPath, '-e', '0'], 0, {
          noBytes: true,
          noRows: true,
        }),
        cat(ctx.file),
        // `-t` reads tcp6 too, as netstat does: each read of a table to its end walks the kernel's whole established
        // hash, so even an empty tcp6 costs its walks. Not in the target's floor; beside it, as the fair one.
        commandPeer(
          'kernel-cat-tcp6',
          'cat /proc/net/tcp6 > /dev/null (the other table -t reads)',
          ['cat', '/proc/net/tcp6'],
          1,
          {
            noBytes: true,
            noRows: true,
          },
        ),
        procnetCliPeer(),
        ...(process.env.PROCNET_BASE_DIST ? [procnetCliPeer(true)] : []),
        commandPeer('ss-tan', 'ss -tan (whole process)', ['ss', '-tan'], 1),
        commandPeer('netstat-tan', 'netstat -tan (whole process)', ['netstat', '-tan'], 2),
      ];
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

function countLines(text) {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function lastJsonLine(stdout) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

async function measureJson(peer, ctx, state, timeoutMs) {
  const argv = [...ctx.prefix, ...peer.argv(ctx)];
  const r = await runChild(argv, { timeoutMs });
  if (r.code !== 0) throw new Error(`exit ${r.signal ?? r.code}: ${r.stderr.trim().slice(-2000)}`);
  const out = lastJsonLine(r.stdout);
  if (out.available === false) {
    state.available = false;
    state.reason = out.reason;
    return;
  }
  state.samples.push(...out.timesMs);
  if (out.cpuMs) state.cpuSamples.push(...out.cpuMs);
  state.rows = out.rows;
  state.maxRssKb = Math.max(state.maxRssKb ?? 0, out.maxRssKb ?? 0);
  if (out.version || out.goVersion) state.version = out.version ?? out.goVersion;
}

async function measureProcess(peer, ctx, state, timeoutMs, haveTime) {
  const rssFile = join(tmpdir(), `procnet-bench-rss-${process.pid}`);
  for (let i = 0; i < ctx.inner; i++) {
    const argv = [...ctx.prefix, ...(haveTime ? [TIME, '-f', '%M %U %S', '-o', rssFile] : []), ...peer.argv(ctx)];
    const r = await runChild(argv, { capture: false, timeoutMs });
    if (r.code !== 0) throw new Error(`exit ${r.signal ?? r.code}: ${r.stderr.trim().slice(-2000)}`);
    state.samples.push(r.ms);
    if (haveTime) {
      // Last line: "maxrss-KiB user-s system-s" (CPU seconds at 10 ms resolution).
      const [kb, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      if (Number.isFinite(kb)) state.maxRssKb = Math.max(state.maxRssKb ?? 0, kb);
      if (Number.isFinite(user + sys)) state.cpuSamples.push((user + sys) * 1000);
    }
  }
  rmSync(rssFile, { force: true });
}

/** Untimed first run of a whole command: checks it works and counts its output rows. */
async function probeProcess(peer, ctx, state, timeoutMs) {
  const r = await runChild([...ctx.prefix, ...peer.argv(ctx)], { timeoutMs });
  if (r.code !== 0) throw new Error(`exit ${r.signal ?? r.code}: ${r.stderr.trim().slice(-2000)}`);
  state.rows = peer.noRows ? undefined : Math.max(0, countLines(r.stdout) - (peer.header ?? 0));
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

/**
 * One measurement of one peer. With --wait-idle it waits (up to 20 s) for a quiet second first, and measures again
 * (at most twice more) when other processes took more than 15% of the machine while it ran; a sample kept despite
 * that is counted in `noisy`. All this waiting shares one budget per scenario (`ctx.quietUntil`, --wait-idle
 * seconds from the scenario's start): once it is spent, peers are measured as they come.
 */
async function measureQuietly(peer, ctx, state, opts, haveTime) {
  const left = () => ((ctx.quietUntil ?? 0) - Date.now()) / 1000;
  const attempts = left() > 0 ? 3 : 1;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (left() > 1) await waitIdle(Math.min(20, left()), 1);
    const scratch = { samples: [], cpuSamples: [], available: true };
    const cpu0 = cpuTimes();
    const own0 = ownTicks();
    if (peer.type === 'json') await measureJson(peer, ctx, scratch, opts.timeoutMs);
    else await measureProcess(peer, ctx, scratch, opts.timeoutMs, haveTime);
    const cpu1 = cpuTimes();
    const total = Math.max(1, cpu1.total - cpu0.total);
    const othersTicks = Math.max(0, total - (cpu1.idle - cpu0.idle) - (ownTicks() - own0));
    const others = othersTicks / total;
    const noisy = others > 0.15;
    if (noisy && attempt < attempts && scratch.available && left() > 0) {
      state.retries = (state.retries ?? 0) + 1;
      continue;
    }
    if (!scratch.available) {
      state.available = false;
      state.reason = scratch.reason;
      return;
    }
    if (noisy) state.noisy = (state.noisy ?? 0) + scratch.samples.length;
    ctx.measured.total += total;
    ctx.measured.others += othersTicks;
    state.samples.push(...scratch.samples);
    state.cpuSamples.push(...scratch.cpuSamples);
    if (scratch.rows !== undefined) state.rows = scratch.rows;
    if (scratch.maxRssKb !== undefined) state.maxRssKb = Math.max(state.maxRssKb ?? 0, scratch.maxRssKb);
    if (scratch.version) state.version = scratch.version;
    return;
  }
}

async function runScenario(scenario, opts, ctxBase) {
  const haveTime = existsSync(TIME);
  const makePeers = scenarioPeers(scenario);
  let peers = makePeers(ctxBase);
  if (opts.peerFilter) peers = peers.filter((p) => opts.peerFilter.some((f) => p.id.includes(f)));
  const states = peers.map((peer) => ({
    id: peer.id,
    label: peer.label,
    type: peer.type,
    procnet: Boolean(peer.procnet),
    available: true,
    reason: undefined,
    failed: undefined,
    samples: [],
    cpuSamples: [],
    rows: undefined,
    maxRssKb: undefined,
  }));
  const ctx = { ...ctxBase };

  for (const [i, peer] of peers.entries()) {
    const reason = peer.check?.();
    if (reason) {
      states[i].available = false;
      states[i].reason = reason;
    }
  }
  for (const [i, peer] of peers.entries()) {
    if (peer.type !== 'process' || !states[i].available) continue;
    try {
      await probeProcess(peer, ctx, states[i], opts.timeoutMs);
    } catch (error) {
      states[i].failed = error.message;
    }
  }

  for (let round = 0; round < ctx.iterations; round++) {
    process.stderr.write(`bench: ${scenario} round ${round + 1}/${ctx.iterations}\n`);
    for (let k = 0; k < peers.length; k++) {
      const i = (k + round) % peers.length;
      const peer = peers[i];
      const state = states[i];
      if (!state.available || state.failed) continue;
      try {
        await measureQuietly(peer, ctx, state, opts, haveTime);
      } catch (error) {
        state.failed = error.message;
      }
    }
  }

  const results = states.map((state, i) => {
    const out = { ...state };
    if (state.samples.length > 0) {
      const s = stats(state.samples);
      out.medianMs = s.median;
      out.minMs = s.min;
      out.maxMs = s.max;
      if (state.cpuSamples.length > 0) out.cpuMedianMs = stats(state.cpuSamples).median;
      if (ctx.bytes && !peers[i].noBytes && state.id !== 'node-baseline') {
        out.mbPerS = ctx.bytes / 1e6 / (s.median / 1000);
      }
    }
    if (state.available && !state.failed && ctx.expectRows !== undefined && state.rows !== undefined) {
      if (state.rows !== ctx.expectRows && !peers[i].noBytes && !peers[i].noRows && state.id !== 'node-baseline') {
        out.rowsNote = `${state.rows} of ${ctx.expectRows}`;
      }
    }
    return out;
  });
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

function fmtMs(ms) {
  if (ms === undefined) return '';
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

function tableRows(results) {
  return results.map((r) => {
    let status = '';
    if (!r.available) status = 'not available';
    else if (r.failed) status = 'FAILED';
    else if (r.rowsNote) status = `rows: ${r.rowsNote}`;
    return {
      peer: r.id,
      what: r.label,
      rows: r.rows ?? '',
      median: r.medianMs === undefined ? '' : fmtMs(r.medianMs),
      range: r.minMs === undefined ? '' : `${fmtMs(r.minMs)}–${fmtMs(r.maxMs)}`,
      cpu: r.cpuMedianMs === undefined ? '' : fmtMs(r.cpuMedianMs),
      mbps: r.mbPerS === undefined ? '' : r.mbPerS.toFixed(1),
      rss: r.maxRssKb === undefined ? '' : (r.maxRssKb / 1024).toFixed(1),
      n: r.samples.length ? `${r.samples.length}${r.noisy ? ` (${r.noisy} noisy)` : ''}` : '',
      status,
    };
  });
}

const COLUMNS = [
  ['peer', 'peer'],
  ['what', 'what is timed'],
  ['rows', 'rows'],
  ['median', 'median ms'],
  ['range', 'min–max ms'],
  ['cpu', 'CPU ms'],
  ['mbps', 'MB/s'],
  ['rss', 'peak RSS MiB'],
  ['n', 'n'],
  ['status', 'note'],
];

function textTable(rows) {
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((r) => String(r[key]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [
    line(COLUMNS.map(([, t]) => t)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(COLUMNS.map(([k]) => r[k]))),
  ].join('\n');
}

/** A Markdown table laid out as Biome's Markdown formatter lays it out (the repo's `biome check` covers bench/). */
function markdownTable(rows) {
  const esc = (v) => String(v).replace(/\|/g, '\\|');
  const right = new Set(['rows', 'median', 'range', 'cpu', 'mbps', 'rss', 'n']);
  const cells = [COLUMNS.map(([, title]) => esc(title)), ...rows.map((r) => COLUMNS.map(([key]) => esc(r[key])))];
  const width = (v) => [...v].length;
  const widths = COLUMNS.map((_, c) => Math.max(3, ...cells.map((row) => width(row[c]))));
  const pad = (v, c) => {
    const fill = ' '.repeat(widths[c] - width(v));
    return right.has(COLUMNS[c][0]) ? fill + v : v + fill;
  };
  const line = (row) => `| ${row.map(pad).join(' | ')} |`;
  const rule = `| ${COLUMNS.map(([key], c) => (right.has(key) ? `${'-'.repeat(widths[c] - 1)}:` : '-'.repeat(widths[c]))).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/**
 * procnet's targets (issue 13) against the peers measured in the same run: each a procnet peer, a peer, the factor
 * procnet must beat the peer by, and what is compared (median time, or peak RSS). Each line gives the ratio.
 */
const TARGETS = {
  parse: [
    ['parseColumns >= 1.5x faster than the Rust procfs crate', 'procnet-columns', 'rust-procfs', 1.5, 'time'],
    ['parseTable no slower than Go prometheus/procfs', 'procnet-parse', 'go-procfs', 1, 'time'],
  ],
  cli: [
    // procnet must take at most 1.15x the sum of a bare Node start and `cat` of the table: the sum / procnet >= 1/1.15.
    [
      'procnet -tan <= 1.15x (node -e 0 + cat /proc/net/tcp)',
      'procnet-cli',
      ['node-start', 'kernel-cat'],
      1 / 1.15,
      'time',
    ],
    ['procnet -tan faster than netstat -tan', 'procnet-cli', 'netstat-tan', 1, 'time'],
    // Not the target: the same bound with the tcp6 table that -t reads as well (netstat -tan reads both too).
    [
      'procnet -tan <= 1.15x (node -e 0 + cat tcp + cat tcp6), for reference',
      'procnet-cli',
      ['node-start', 'kernel-cat', 'kernel-cat-tcp6'],
      1 / 1.15,
      'time',
    ],
  ],
  stream: [
    ['parseColumnsStream peak RSS <= the Rust crate', 'procnet-columns-stream', 'rust-procfs', 1, 'rss'],
    ['summarizeTableStream peak RSS <= the Rust crate', 'procnet-summary-stream', 'rust-procfs', 1, 'rss'],
    ['parseColumns (all rows held) vs the Rust crate, time', 'procnet-columns', 'rust-procfs', 1.5, 'time'],
    ['parseTable vs Go prometheus/procfs, time', 'procnet-parse', 'go-procfs', 1, 'time'],
  ],
};

function targets(results, scenario) {
  const by = Object.fromEntries(results.map((r) => [r.id, r]));
  const lines = [];
  for (const [name, ours, theirs, factor, metric] of TARGETS[scenario] ?? []) {
    // `theirs` is one peer, or several whose medians are summed (a floor made of two whole processes).
    const ids = Array.isArray(theirs) ? theirs : [theirs];
    const value = (r) => (metric === 'rss' ? r?.maxRssKb / 1024 : r?.medianMs);
    const missing = [ours, ...ids].filter((id) => !(value(by[id]) > 0));
    if (missing.length > 0) {
      lines.push(`  ${name}: not measured (${missing.join(', ')})`);
      continue;
    }
    const unit = metric === 'rss' ? 'MiB' : 'ms';
    const mine = value(by[ours]);
    const peer = ids.reduce((sum, id) => sum + value(by[id]), 0);
    const ratio = peer / mine;
    const met = ratio >= factor;
    const inverse = factor < 1 ? `; procnet / ${ids.join(' + ')} = ${(mine / peer).toFixed(2)}x` : '';
    lines.push(
      `  ${name}: ${fmtMs(mine)} vs ${fmtMs(peer)} ${unit} (${ours} / ${ids.join(' + ')} medians${metric === 'rss' ? ', peak' : ''}): ${ratio.toFixed(2)}x${inverse}, ${met ? 'MET' : 'not met'}`,
    );
  }
  return lines.length ? ['Targets (ratio = the peer / procnet, from this run):', ...lines] : [];
}

function machineInfo() {
  const cpu = cpus()[0]?.model ?? 'unknown';
  const version = (argv) => {
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    return r.status === 0 ? `${r.stdout}${r.stderr}`.trim().split('\n')[0] : undefined;
  };
  // dpkg-query's own ${Version} placeholder, not a template literal.
  const deb = (p) => version(['dpkg-query', '-W', `-f=${'$'}{Version}`, p]);
  const npmVersion = (p) => {
    try {
      return JSON.parse(readFileSync(join(BENCH, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      return undefined;
    }
  };
  let procnet;
  try {
    const pkg = JSON.parse(readFileSync(join(procnetDist(), '..', 'package.json'), 'utf8'));
    procnet = `${pkg.version} (${existsSync(join(procnetDist(), 'index.js')) ? 'dist built' : 'dist not built'})`;
  } catch {}
  return {
    cpu,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: version(['uname', '-r']),
    node: process.version,
    go: version(['go', 'version']),
    rustc: version([existsSync('/usr/bin/rustc') ? '/usr/bin/rustc' : 'rustc', '--version']),
    python: version([PYTHON, '--version']),
    peers: {
      procnet,
      'prometheus/procfs (Debian)': deb('golang-github-prometheus-procfs-dev'),
      'procfs crate (Debian)': deb('librust-procfs-dev'),
      'python3-psutil (Debian)': deb('python3-psutil'),
      iproute2: deb('iproute2'),
      'net-tools': deb('net-tools'),
      '@stroncium/procfs': npmVersion('@stroncium/procfs'),
      systeminformation: npmVersion('systeminformation'),
      'node-netstat': npmVersion('node-netstat'),
    },
    commit: version(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD']),
  };
}

const DESCRIPTIONS = {
  parse:
    'Parse a saved synthetic table into full row objects (each peer reads the file itself unless marked "parse only").',
  summary: 'Totals over a saved table (socket count, tx/rx queue sums), where a peer can skip building rows.',
  stream: 'A 1,000,000-row dump: time and, above all, peak RSS.',
  live: "A live table: the load generator's namespace, read through /proc/net/tcp inside it (nsenter -n).",
  owners: 'A live table with each socket mapped to its owning process (scanning /proc/*/fd).',
  cli: 'Whole command lines printing the live table: procnet -tan against ss -tan and netstat -tan.',
  prometheus:
    "A Prometheus scrape of the load generator's namespace: procnet/prometheus collectMetrics (without and with owners) against the kernel's read of the same files, psutil.net_connections with owners, procnet exporter over HTTP (RSS across its scrapes) and node_exporter's tcpstat collector.",
};

function writeReport(scenario, opts, ctx, results, machine, command) {
  const date = new Date().toISOString().slice(0, 10);
  // Another kind or size than the scenario's default gets its own file.
  const rows = ctx.input.rows;
  const defaultRows = scenario === 'stream' ? 1_000_000 : 100_000;
  const variant = `${ctx.kind !== 'tcp' ? `-${ctx.kind}` : ''}${!NEEDS_LOAD.has(scenario) && rows !== defaultRows && !opts.smoke ? `-${rows}` : ''}`;
  const base = join(opts.outDir, `${date}-${scenario}${variant}`);
  mkdirSync(opts.outDir, { recursive: true });
  const input = ctx.input;
  const json = {
    scenario,
    description: DESCRIPTIONS[scenario],
    date: new Date().toISOString(),
    command,
    params: { iterations: ctx.iterations, inner: ctx.inner, warmup: ctx.warmup, kind: ctx.kind },
    quiet: ctx.quiet,
    input,
    machine,
    results: results.map(({ samples, cpuSamples, ...r }) => ({
      ...r,
      ...(r.reason ? { reason: r.reason.replaceAll(`${REPO}/`, '') } : {}),
      samplesMs: samples.map((v) => Number(v.toFixed(3))),
      cpuSamplesMs: cpuSamples.map((v) => Number(v.toFixed(3))),
    })),
  };
  writeFileSync(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
  const md = [
    `# ${scenario}: ${date}`,
    '',
    DESCRIPTIONS[scenario],
    '',
    '```',
    command,
    '```',
    '',
    `Input: ${input.description}. Rounds: ${ctx.iterations} (peers round-robin, rotated each round); ${ctx.inner} timed call(s) per peer per round after ${ctx.warmup} warm-up. MB/s = 10^6 bytes of table text per second at the median.`,
    '',
    markdownTable(tableRows(results)),
    '',
    ...(ctx.notes.length ? [...ctx.notes.map((n) => `- ${n}`), ''] : []),
    ...(TARGETS[scenario] ? ['```', ...targets(results, scenario), '```', ''] : []),
    `CPU (all cores) busy just before: ${Math.round(ctx.quiet.busyBefore * 100)}%; during the run: ${Math.round(ctx.quiet.busyDuring * 100)}%, of which other processes ${Math.round(ctx.quiet.othersDuring * 100)}% (${Math.round(ctx.quiet.othersWhileMeasuring * 100)}% while peers were measured); load average before ${ctx.quiet.loadAvgBefore.join(' ')}, after ${ctx.quiet.loadAvgAfter.join(' ')}.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}, ${machine.go ?? 'no go'}, ${machine.rustc ?? 'no rustc'}, ${machine.python ?? 'no python'}.`,
    '',
    `Commit: ${machine.commit ?? 'unknown'}.`,
    '',
    `Peers: ${Object.entries(machine.peers)
      .map(([k, v]) => `${k} ${v ?? 'not installed'}`)
      .join('; ')}.`,
    '',
    ...results
      .filter((r) => !r.available || r.failed)
      .map((r) => `- ${r.id}: ${r.failed ? `FAILED: ${r.failed}` : r.reason}`.replaceAll(`${REPO}/`, '')),
    '',
  ];
  writeFileSync(`${base}.md`, `${md.join('\n').trimEnd()}\n`);
  return [`${relative(process.cwd(), base)}.json`, `${relative(process.cwd(), base)}.md`];
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const opts = parseOptions();
  const command = `node ${relative(REPO, fileURLToPath(import.meta.url))} ${process.argv.slice(2).join(' ')}`.trim();
  const machine = machineInfo();
  const started = performance.now();
  const nsenter = isRoot() && which('nsenter');
  const tally = { measured: 0, unavailable: 0, failed: 0 };
  let load;

  const cleanup = () => {
    killActive();
  };
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`bench: ${signal}, stopping\n`);
      cleanup();
      process.exit(130);
    });
  }

  try {
    for (const scenario of opts.scenarios) {
      const defaults =
        scenario === 'parse' || scenario === 'summary'
          ? { iterations: 5, inner: 3, warmup: 1 }
          : scenario === 'stream'
            ? { iterations: 3, inner: 1, warmup: 0 }
            : scenario === 'prometheus'
              ? { iterations: 3, inner: 3, warmup: 1 }
              : { iterations: 5, inner: 1, warmup: 1 };
      const ctx = {
        kind: opts.kind,
        iterations: opts.iterations ?? defaults.iterations,
        inner: opts.inner ?? defaults.inner,
        warmup: opts.warmup ?? (opts.smoke ? Math.min(defaults.warmup, 1) : defaults.warmup),
        prefix: [],
        notes: [],
        measured: { total: 0, others: 0 },
        // prometheus: how many times each exporter run is scraped (its RSS is read after the last).
        exporterScrapes: opts.smoke ? 5 : 100,
      };

      if (NEEDS_LOAD.has(scenario)) {
        if (!load) {
          process.stderr.write(`bench: starting load generator: ${opts.connections} connections ...\n`);
          load = await startLoad(opts.connections, opts.timeoutMs);
          process.stderr.write(`bench: load ready: pid ${load.pid}, ${load.rows} rows, netns ${load.netns}\n`);
        }
        ctx.kind = 'tcp';
        ctx.file = '/proc/net/tcp';
        ctx.root = undefined; // live: every peer reads its default /proc, inside the namespace
        if (load.netns && nsenter) ctx.prefix = ['nsenter', '-t', String(load.pid), '-n'];
        const tablePath = `/proc/${load.pid}/net/tcp`;
        const text = readFileSync(tablePath, 'latin1');
        ctx.bytes = text.length;
        ctx.expectRows = countLines(text) - 1;
        ctx.input = {
          description: `live /proc/net/tcp of the load generator's network namespace (${load.netns ? 'own netns' : 'host netns'}), ${opts.connections} loopback connections = ${ctx.expectRows} rows, ${(ctx.bytes / 1e6).toFixed(1)} MB`,
          rows: ctx.expectRows,
          bytes: ctx.bytes,
          connections: opts.connections,
          netns: load.netns,
        };
        if (!ctx.prefix.length && load.netns) ctx.notes.push('nsenter unavailable: peers read the host namespace');
      } else {
        const rows = scenario === 'stream' ? opts.streamRows : opts.rows;
        const table = ensureTable(opts.kind, rows, opts.seed);
        ctx.file = table.file;
        ctx.root = table.dir;
        ctx.bytes = table.bytes;
        ctx.expectRows = rows;
        ctx.input = {
          description: `synthetic ${table.kind} table, ${rows} rows, ${(table.bytes / 1e6).toFixed(1)} MB, seed ${table.seed} (bench/gen-table.mjs)`,
          file: relative(REPO, table.file),
          kind: table.kind,
          rows,
          bytes: table.bytes,
          seed: table.seed,
          states: table.states,
        };
      }
      if (opts.waitIdleS > 0) {
        process.stderr.write(`bench: waiting up to ${opts.waitIdleS}s for an idle machine ...\n`);
        ctx.quietUntil = Date.now() + opts.waitIdleS * 1000;
        await waitIdle(opts.waitIdleS);
      }
      const quiet = { busyBefore: await cpuBusy(500), loadAvgBefore: loadAverage() };
      const busyStart = cpuTimes();
      const ownStart = ownTicks();
      const results = await runScenario(scenario, opts, ctx);
      const busyEnd = cpuTimes();
      const ownEnd = ownTicks();
      const total = Math.max(1, busyEnd.total - busyStart.total);
      const busy = total - (busyEnd.idle - busyStart.idle);
      quiet.busyDuring = busy / total;
      // What other processes (not this harness, its peers or the load generator's setup) took of the machine.
      quiet.othersDuring = Math.max(0, busy - (ownEnd - ownStart)) / total;
      // Over the kept measurements only (the quiet-mode waits in between are excluded).
      quiet.othersWhileMeasuring = ctx.measured.others / Math.max(1, ctx.measured.total);
      quiet.loadAvgAfter = loadAverage();
      ctx.quiet = quiet;
      if (quiet.othersWhileMeasuring > 0.1) {
        ctx.notes.push(
          `the machine was not idle: other processes used ${Math.round(quiet.othersWhileMeasuring * 100)}% of all CPUs while peers were measured; expect noise, compare minimums`,
        );
      }

      if (scenario === 'parse' || scenario === 'live') {
        const api = results.find((r) => r.id === 'stroncium-api');
        if (api?.rowsNote) {
          ctx.notes.push(
            '@stroncium/procfs 1.2.1 public API reads only the first 64 KiB of a file (its read() stops growing its buffer past 32 KiB), so it returns a truncated table; stroncium-parse times its parser on the whole text instead.',
          );
        }
      }
      if (scenario === 'owners') {
        ctx.notes.push("psutil.net_connections('tcp') also reads tcp6; its row count is sockets it returned.");
        ctx.notes.push(
          'netstat/ss row counts are output lines minus headers; node-netstat and systeminformation include udp.',
        );
      }

      const rows = tableRows(results);
      process.stdout.write(`\n== ${scenario}: ${ctx.input.description}\n`);
      process.stdout.write(`${textTable(rows)}\n`);
      for (const note of ctx.notes) process.stdout.write(`note: ${note}\n`);
      if (TARGETS[scenario]) process.stdout.write(`${targets(results, scenario).join('\n')}\n`);
      for (const r of results) {
        if (!r.available) tally.unavailable++;
        else if (r.failed) {
          tally.failed++;
          process.stdout.write(`FAILED ${r.id}: ${r.failed}\n`);
        } else tally.measured++;
      }
      if (opts.write) {
        const files = writeReport(scenario, opts, ctx, results, machine, command);
        process.stdout.write(`wrote ${files.join(', ')}\n`);
      }
    }
  } finally {
    if (load) {
      await load.stop();
      process.stderr.write('bench: load generator stopped\n');
    }
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `\nbench: ${opts.scenarios.length} scenario(s) in ${seconds}s: ${tally.measured} peer(s) measured, ${tally.unavailable} not available, ${tally.failed} failed\n`,
  );
  if (opts.strict && tally.failed > 0) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench: harness error: ${error.stack ?? error}\n`);
  killActive();
  process.exit(2);
});
