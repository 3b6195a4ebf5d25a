#!/usr/bin/env node
// One Node.js benchmark peer, timed in-process: `warmup` untimed calls, then `iterations` timed calls.
// Prints one JSON line: { peer, available, rows, timesMs, cpuMs, maxRssKb } or { peer, available: false, reason }.
// cpuMs is the process's CPU time (user + system, all threads: GC included) per call.
//
//   node bench/peers/node-peer.mjs --peer go|read|stroncium-api|... --file PATH --root DIR --kind tcp
//
// --file is the table to read (a saved dump, or /proc/net/tcp inside a namespace); --root is the proc root for
// peers that take one (procfs-style: they read <root>/net/tcp).

import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { procnetCli, procnetFunction, SCRAPED_FILES } from '../lib/procnet.mjs';

const require = createRequire(import.meta.url);

function loadCjs(name) {
  try {
    return { module: require(name) };
  } catch (error) {
    return { reason: `${name} is not installed (run bench/setup-peers.sh): ${error.code ?? error.message}` };
  }
}

function countLines(buffer) {
  let n = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Each peer: `async setup(opts)` returns `{ run, rows? }` or `{ reason }`. run() returns the row count, unless
 * `rows()` is given, which is then called once after the timed calls.
 */
const PEERS = {
  // Kernel's own cost, seen from Node: read the whole file and drop it.
  read: {
    describe: 'fs.readFileSync(file), discarded',
    setup: ({ file }) => ({
      run: () => readFileSync(file).length,
      rows: () => countLines(readFileSync(file)) - 1, // counted once, outside the timed calls
    }),
  },
  // @stroncium/procfs public API: Procfs(root).netTcp4() reads <root>/net/tcp with its own reader.
  'stroncium-api': {
    describe: '@stroncium/procfs new Procfs(root).netTcp4()/netTcp6() (its own file reader)',
    setup: ({ root, kind }) => {
      const loaded = loadCjs('@stroncium/procfs');
      if (!loaded.module) return loaded;
      const procfs = new loaded.module.Procfs(root);
      const method = kind === 'tcp6' ? 'netTcp6' : 'netTcp4';
      return { run: () => procfs[method]().length };
    },
  },
  // @stroncium/procfs parser on the whole text (readFileSync + its processNetTcp4/6 parser).
  'stroncium-parse': {
    describe: '@stroncium/procfs parser on readFileSync(file, "utf8")',
    setup: ({ file, kind }) => {
      const loaded = loadCjs('@stroncium/procfs/lib/parsers');
      if (!loaded.module) return loaded;
      const parse = kind === 'tcp6' ? loaded.module.processNetTcp6 : loaded.module.processNetTcp4;
      return { run: () => parse(readFileSync(file, 'utf8')).length };
    },
  },
  'stroncium-parse-preloaded': {
    describe: '@stroncium/procfs parser on a string already in memory (parse only)',
    setup: ({ file, kind }) => {
      const loaded = loadCjs('@stroncium/procfs/lib/parsers');
      if (!loaded.module) return loaded;
      const parse = kind === 'tcp6' ? loaded.module.processNetTcp6 : loaded.module.processNetTcp4;
      const text = readFileSync(file, 'utf8');
      return { run: () => parse(text).length };
    },
  },
  'stroncium-summary': {
    describe: '@stroncium/procfs parser, then sum tx/rx queues and count sockets',
    setup: ({ file, kind }) => {
      const loaded = loadCjs('@stroncium/procfs/lib/parsers');
      if (!loaded.module) return loaded;
      const parse = kind === 'tcp6' ? loaded.module.processNetTcp6 : loaded.module.processNetTcp4;
      return {
        run: () => {
          let tx = 0;
          let rx = 0;
          const rows = parse(readFileSync(file, 'utf8'));
          for (const s of rows) {
            tx += s.txQueue;
            rx += s.rxQueue;
          }
          return tx + rx >= 0 ? rows.length : -1;
        },
      };
    },
  },
  systeminformation: {
    describe: 'systeminformation.networkConnections() (shells out to netstat -tunap / ss -tunap)',
    setup: () => {
      const loaded = loadCjs('systeminformation');
      if (!loaded.module) return loaded;
      return { run: async () => (await loaded.module.networkConnections()).length };
    },
  },
  'node-netstat': {
    describe: 'node-netstat (spawns netstat -apntu, parses each line)',
    setup: () => {
      const loaded = loadCjs('node-netstat');
      if (!loaded.module) return loaded;
      const netstat = loaded.module;
      return {
        run: () =>
          new Promise((resolve, reject) => {
            let rows = 0;
            netstat(
              {
                done: (error) => (error ? reject(error) : resolve(rows)),
              },
              () => {
                rows++;
              },
            );
          }),
      };
    },
  },
  'procnet-parse': {
    describe: 'procnet parseTable(kind, readFileSync(file)) (read + parse, full objects)',
    setup: async ({ file, kind }) => {
      const found = await procnetFunction('core', 'parseTable');
      if (!found.fn) return found;
      return { run: () => found.fn(kind, readFileSync(file)).length };
    },
  },
  'procnet-parse-preloaded': {
    describe: 'procnet parseTable(kind, buffer) on a Buffer already in memory (parse only)',
    setup: async ({ file, kind }) => {
      const found = await procnetFunction('core', 'parseTable');
      if (!found.fn) return found;
      const buffer = readFileSync(file);
      return { run: () => found.fn(kind, buffer).length };
    },
  },
  'procnet-columns': {
    describe: 'procnet parseColumns(kind, readFileSync(file)) (read + parse, every column)',
    setup: async ({ file, kind }) => {
      const found = await procnetFunction('core', 'parseColumns');
      if (!found.fn) return found;
      return { run: () => found.fn(kind, readFileSync(file)).length };
    },
  },
  'procnet-columns-preloaded': {
    describe: 'procnet parseColumns(kind, buffer) on a Buffer already in memory (parse only)',
    setup: async ({ file, kind }) => {
      const found = await procnetFunction('core', 'parseColumns');
      if (!found.fn) return found;
      const buffer = readFileSync(file);
      return { run: () => found.fn(kind, buffer).length };
    },
  },
  'procnet-columns-stream': {
    describe: 'procnet parseColumnsStream(kind, fs.createReadStream(file)), batches counted and dropped',
    setup: async ({ file, kind }) => {
      const found = await procnetFunction('core', 'parseColumnsStream');
      if (!found.fn) return found;
      return {
        run: async () => {
          let rows = 0;
          for await (const batch of found.fn(kind, createReadStream(file))) rows += batch.length;
          return rows;
        },
      };
    },
  },
  'procnet-summary': {
    describe: 'procnet summarizeTable(kind, readFileSync(file)) (or parseTable + sums before it existed)',
    setup: async ({ file, kind }) => {
      const summarize = await procnetFunction('core', 'summarizeTable');
      if (summarize.fn) return { run: () => summarize.fn(kind, readFileSync(file)).sockets };
      const found = await procnetFunction('core', 'parseTable');
      if (!found.fn) return found;
      return {
        run: () => {
          let tx = 0;
          let rx = 0;
          const rows = found.fn(kind, readFileSync(file));
          for (const s of rows) {
            tx += s.txQueue;
            rx += s.rxQueue;
          }
          return tx + rx >= 0 ? rows.length : -1;
        },
      };
    },
  },
  'procnet-stream': {
    describe: 'procnet parseTableStream(kind, fs.createReadStream(file)), rows counted and dropped',
    setup: async ({ file, kind }) => {
      const found = await procnetFunction('core', 'parseTableStream');
      if (!found.fn) return found;
      return {
        run: async () => {
          let rows = 0;
          for await (const _row of found.fn(kind, createReadStream(file))) rows++;
          return rows;
        },
      };
    },
  },
  'procnet-summary-stream': {
    describe: 'procnet summarizeTableStream(kind, fs.createReadStream(file))',
    setup: async ({ file, kind }) => {
      const found = await procnetFunction('core', 'summarizeTableStream');
      if (!found.fn) return found;
      return { run: async () => (await found.fn(kind, createReadStream(file))).sockets };
    },
  },
  // The files one procnet scrape reads (every socket table and the counter files), read whole and dropped.
  'read-tables': {
    describe: 'fs.readFileSync of every /proc/net file a procnet scrape reads, discarded (kernel read)',
    setup: () => ({
      run: () => {
        let n = 0;
        for (const f of SCRAPED_FILES) {
          try {
            n += readFileSync(`/proc/net/${f}`).length;
          } catch {}
        }
        return n;
      },
    }),
  },
  'procnet-scrape': scrapePeer('', {}),
  'procnet-scrape-owners': scrapePeer(', processes: true', { processes: true }),
  'procnet-exporter': exporterPeer(),
  'node-exporter-tcpstat': nodeExporterPeer(),
  'procnet-read': readSocketsPeer('', {}),
  'procnet-read-columns': {
    describe: 'procnet/node readSocketColumns({ kinds: [kind], root? }) (typed columns, no row objects)',
    setup: async ({ kind, root, rootGiven }) => {
      const found = await procnetFunction('node', 'readSocketColumns');
      if (!found.fn) return found;
      const options = rootGiven ? { kinds: [kind], root } : { kinds: [kind] };
      return {
        run: async () => {
          let n = 0;
          for (const t of (await found.fn(options)).tables) n += t.columns.length;
          return n;
        },
      };
    },
  },
  'procnet-owners': readSocketsPeer(', processes: true', { processes: true }),
  // Reference point for peak RSS: a Node process that does nothing.
  'node-baseline': {
    describe: 'an empty Node.js process (RSS reference)',
    setup: () => ({ run: () => 0 }),
  },
};

/** A peer timing procnet/prometheus collectMetrics(options): one scrape of this namespace, in-process. */
function scrapePeer(label, options) {
  return {
    describe: `procnet/prometheus collectMetrics({${label.replace(/^, /, ' ')} }) (every table, the counters, the analyses)`,
    setup: async () => {
      const found = await procnetFunction('prometheus', 'collectMetrics');
      if (!found.fn) return found;
      return { run: async () => (await found.fn(options)).length };
    },
  };
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Peak and current RSS of a process, from /proc/<pid>/status (KiB). */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

/**
 * An HTTP server process scraped over loopback: started, waited for, `run()` fetches its /metrics, `stop()` kills it.
 * `maxRssKb` reported is the server's peak RSS (not this peer's).
 */
async function httpServerPeer(argv, port, readyText) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${argv[0]} did not start: ${err}`)), 15_000);
    child.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      if (err.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${argv[0]} exited (${code}): ${err}`)));
  });
  const url = `http://127.0.0.1:${port}/metrics`;
  return {
    run: async () => {
      const r = await fetch(url);
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`);
      return (await r.text()).length;
    },
    serverRss: () => rssOf(child.pid),
    stop: () => child.kill('SIGTERM'),
  };
}

/** `procnet exporter` (the built command) scraped over HTTP; its own peak RSS is reported. */
function exporterPeer() {
  return {
    describe:
      'procnet exporter (the built command, without owners) scraped over HTTP on loopback; RSS is the exporter process',
    setup: async () => {
      const cli = procnetCli();
      if (!cli.file) return cli;
      const port = await freePort();
      const server = await httpServerPeer(
        [process.execPath, cli.file, 'exporter', '--listen', `127.0.0.1:${port}`],
        port,
        'listening on',
      );
      return { ...server, serverProcess: true };
    },
  };
}

/** Debian's prometheus-node-exporter with only its tcpstat collector (netlink), scraped over HTTP. */
function nodeExporterPeer() {
  return {
    describe:
      'prometheus-node-exporter --collector.disable-defaults --collector.tcpstat, scraped over HTTP; RSS is node_exporter',
    setup: async () => {
      const bin = '/usr/bin/prometheus-node-exporter';
      if (!existsSync(bin)) return { reason: 'prometheus-node-exporter is not installed (bench/setup-peers.sh)' };
      const port = await freePort();
      const server = await httpServerPeer(
        [bin, '--collector.disable-defaults', '--collector.tcpstat', `--web.listen-address=127.0.0.1:${port}`],
        port,
        'Listening on',
      );
      return { ...server, serverProcess: true };
    },
  };
}

/** A peer timing procnet/node readSockets({ kinds: [kind], root?, ...extra }). */
function readSocketsPeer(label, extra) {
  return {
    describe: `procnet/node readSockets({ kinds: [kind], root?${label} })`,
    setup: async ({ kind, root, rootGiven }) => {
      const found = await procnetFunction('node', 'readSockets');
      if (!found.fn) return found;
      const options = rootGiven ? { kinds: [kind], root, ...extra } : { kinds: [kind], ...extra };
      return { run: async () => countRows(await found.fn(options)) };
    },
  };
}

/** readSockets returns `{ sockets, notes, errors, ... }`; an array or an object of arrays by kind also count. */
function countRows(result) {
  if (Array.isArray(result)) return result.length;
  if (Array.isArray(result?.sockets)) return result.sockets.length;
  if (result && typeof result === 'object') {
    let n = 0;
    for (const value of Object.values(result)) if (Array.isArray(value)) n += value.length;
    return n;
  }
  return -1;
}

async function main() {
  const { values } = parseArgs({
    options: {
      peer: { type: 'string' },
      file: { type: 'string' },
      root: { type: 'string' },
      kind: { type: 'string', default: 'tcp' },
      iterations: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      list: { type: 'boolean' },
    },
  });
  if (values.list) {
    for (const [name, peer] of Object.entries(PEERS)) process.stdout.write(`${name}\t${peer.describe}\n`);
    return;
  }
  const peer = PEERS[values.peer];
  if (!peer) throw new Error(`unknown --peer ${values.peer}; --list shows them`);
  const opts = {
    kind: values.kind,
    file: values.file ?? `/proc/net/${values.kind}`,
    root: values.root ?? '/proc',
    rootGiven: values.root !== undefined,
  };
  const out = { peer: values.peer, describe: peer.describe };
  const ready = await peer.setup(opts);
  if (!ready.run) {
    process.stdout.write(`${JSON.stringify({ ...out, available: false, reason: ready.reason })}\n`);
    return;
  }
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);
  let rows = 0;
  for (let i = 0; i < warmup; i++) rows = await ready.run();
  const timesMs = [];
  const cpuMs = [];
  for (let i = 0; i < iterations; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    rows = await ready.run();
    timesMs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  if (ready.rows) rows = ready.rows();
  let maxRssKb = process.resourceUsage().maxRSS;
  if (ready.serverProcess) {
    // A server scraped over HTTP: its own RSS (peak, and after the last scrape) is the figure; this process's CPU
    // time is only the HTTP client's.
    const rss = ready.serverRss();
    ready.stop();
    maxRssKb = rss.peak;
    out.rssAfterKb = rss.now;
    out.scrapes = warmup + iterations;
    cpuMs.length = 0;
  }
  process.stdout.write(`${JSON.stringify({ ...out, available: true, rows, timesMs, cpuMs, maxRssKb })}\n`);
}

main().catch((error) => {
  process.stderr.write(`node-peer: ${error.stack ?? error}\n`);
  process.exit(1);
});
