#!/usr/bin/env node
// procnet fixture capture tool.
//
//   sudo node scripts/capture.mjs fixtures/capture-<name>
//
// Runs as root on Linux. Re-executes itself in a fresh network namespace (`unshare --net`), brings `lo` up,
// starts scripts/capture-sockets.py there (it opens a wide mix of loopback sockets and drives TCP into every
// state loopback can produce), waits ~1.5 s so timers move, then copies /proc/net/* byte for byte, records the
// socket owners (fds.json), runs ss and netstat, and writes manifest.json and env.json.
// Nothing leaves the loopback device; every process started is stopped and the temporary directory
// (unix socket paths) is removed, also on error. Only node: modules are used.
//
// Output layout (a valid "dump root": <dir>/net/<table> like a copy of /proc):
//   <dir>/net/{tcp,tcp6,udp,...}   exact copies of /proc/net/<table> (whichever exist)
//   <dir>/fds.json                 socket owners: pid, comm, cmdline, uid, socket fds (see fixtures/README.md)
//   <dir>/ss-*.txt, netstat-*.txt  tool output taken right after the copy (*.stderr.txt when non-empty)
//   <dir>/manifest.json            every socket opened, with inode, addresses and expectations
//   <dir>/env.json                 kernel, arch, byte order, USER_HZ, kptr_restrict, euid, time, netns

import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const SCRIPTS = path.dirname(SELF);
const SOCKET_DRIVER = path.join(SCRIPTS, 'capture-sockets.py');
const INNER = '--inner';

const WAIT_MS = 1500; // let retransmit / probe / keepalive timers move before the copy
const READY_TIMEOUT_MS = 20_000;
const OUTER_TIMEOUT_MS = 90_000; // safety net only: a normal run takes ~4 s; ss/netstat -p can be slow on a busy host

const TABLES = [
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'udplite',
  'udplite6',
  'raw',
  'raw6',
  'icmp',
  'icmp6',
  'unix',
  'packet',
  'netlink',
  'snmp',
  'snmp6',
  'netstat',
  'sockstat',
  'sockstat6',
];
const INET_TABLES = new Set(['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6']);

// Tool runs: [output file stem, command, args]. LC_ALL=C is set for all of them.
const TOOLS = [
  ['ss-tuanxpe', 'ss', ['-tuanxpe']],
  ['ss-tanoe', 'ss', ['-tanoe']],
  ['ss-uanwpe', 'ss', ['-uanwpe']],
  ['netstat-tuanpxeoW', 'netstat', ['-tuanpxeoW']],
  ['netstat-wanpeW', 'netstat', ['-wanpeW']],
];

const TCP_STATE_NAMES = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
};

const log = (msg) => process.stderr.write(`[capture] ${msg}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function die(msg) {
  log(`error: ${msg}`);
  process.exit(1);
}

function haveCommand(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error;
}

function firstLine(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (r.error) return null;
  return `${r.stdout}${r.stderr}`.split('\n')[0].trim();
}

// ------------------------------------------------------------------------------------------------ outer

async function outer(argv) {
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    die('usage: node scripts/capture.mjs <output-dir>   (run as root on Linux)');
  }
  if (process.platform !== 'linux') die('Linux only');
  if (process.geteuid() !== 0) die('must run as root (network namespace, raw and packet sockets)');
  for (const [cmd, args, pkg] of [
    ['unshare', ['--version'], 'util-linux'],
    ['ip', ['-V'], 'iproute2'],
    ['ss', ['-V'], 'iproute2'],
    ['netstat', ['-V'], 'net-tools'],
    ['python3', ['--version'], 'python3'],
    ['getconf', ['CLK_TCK'], 'libc-bin'],
  ]) {
    if (!haveCommand(cmd, args)) die(`'${cmd}' not found; install it (apt-get install ${pkg})`);
  }

  const outDir = path.resolve(argv[0]);
  const outExisted = existsSync(outDir);
  if (outExisted && readdirSync(outDir).length > 0) die(`${outDir} exists and is not empty`);
  // From here on a SIGINT/SIGTERM is forwarded to the capture child; cleanup runs when it has exited.
  // (Signals are delivered between event-loop turns, so the synchronous code up to spawn() cannot be cut short.)
  let child = null;
  let interrupted = false;
  const forward = (sig) => {
    interrupted = true;
    child?.kill(sig);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  mkdirSync(outDir, { recursive: true });

  // Unix socket paths live here; removed in every case below.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'pnc-'));
  const hostNs = readlinkSync('/proc/self/ns/net');

  let code = 1;
  try {
    code = await new Promise((resolve) => {
      child = spawn('unshare', ['--net', '--', process.execPath, SELF, INNER, outDir, tmp, hostNs], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const timer = setTimeout(() => {
        log(`timeout after ${OUTER_TIMEOUT_MS} ms; killing the capture`);
        child.kill('SIGKILL');
      }, OUTER_TIMEOUT_MS);
      child.on('error', (err) => {
        log(`cannot start unshare: ${err.message}`);
        clearTimeout(timer);
        resolve(1);
      });
      child.on('exit', (status, signal) => {
        clearTimeout(timer);
        resolve(signal || interrupted ? 1 : (status ?? 1));
      });
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (code !== 0) {
      // Do not leave a half-written fixture behind.
      if (outExisted) {
        for (const f of readdirSync(outDir)) rmSync(path.join(outDir, f), { recursive: true, force: true });
      } else {
        rmSync(outDir, { recursive: true, force: true });
      }
    }
  }
  if (code !== 0) die(`capture failed (exit ${code}); output removed`);
  log(`done: ${outDir}`);
}

// ------------------------------------------------------------------------------------------------ inner

function startDriver(tmp, manifestPath) {
  const args = [SOCKET_DRIVER, '--tmpdir', tmp, '--manifest', manifestPath, '--parent-pid', String(process.pid)];
  const child = spawn('python3', args, { stdio: ['pipe', 'pipe', 'inherit'] });
  // Interrupted: stop the driver at once (its sockets die with it and with the namespace), then exit.
  const onSignal = (sig) => {
    log(`${sig}: stopping`);
    child.kill('SIGKILL');
    process.exit(1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ready = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('socket driver did not become ready')), READY_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('READY\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      reject(new Error(`socket driver exited early (status ${status}, signal ${signal})`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', (status, signal) => resolve({ status, signal })));
  return { child, ready, exited };
}

async function stopDriver(driver) {
  if (driver.child.exitCode !== null || driver.child.signalCode !== null) return driver.exited;
  driver.child.stdin.end(); // EOF: the driver closes its sockets and exits
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), 5000);
  });
  const result = await Promise.race([driver.exited, timeout]);
  clearTimeout(timer);
  if (result) return result;
  log('socket driver did not exit; killing it');
  driver.child.kill('SIGKILL');
  return driver.exited;
}

function readTables() {
  const tables = new Map();
  for (const name of TABLES) {
    const file = `/proc/net/${name}`;
    if (!existsSync(file)) continue;
    tables.set(name, readFileSync(file)); // raw bytes, no decoding
  }
  return tables;
}

function collectFds(ownNs) {
  const processes = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const dir = `/proc/${pid}`;
    try {
      if (readlinkSync(`${dir}/ns/net`) !== ownNs) continue;
      const comm = readFileSync(`${dir}/comm`, 'utf8').replace(/\n$/, '');
      const cmdline = readFileSync(`${dir}/cmdline`, 'utf8').split('\0');
      if (cmdline.at(-1) === '') cmdline.pop();
      const uidLine = /^Uid:\s+(\d+)/m.exec(readFileSync(`${dir}/status`, 'utf8'));
      const fds = [];
      for (const fd of readdirSync(`${dir}/fd`)) {
        let link;
        try {
          link = readlinkSync(`${dir}/fd/${fd}`);
        } catch {
          continue; // closed meanwhile
        }
        if (link.startsWith('socket:[')) fds.push({ fd: Number(fd), link });
      }
      fds.sort((a, b) => a.fd - b.fd);
      processes.push({ pid, comm, cmdline, uid: uidLine ? Number(uidLine[1]) : null, fds });
    } catch (err) {
      // ENOENT/ESRCH: the process went away. EACCES/EPERM: a process we may not inspect (e.g. the host's pid 1
      // under a restricted sandbox); such a process cannot be one of ours, which all run as root in this netns.
      if (['ENOENT', 'ESRCH', 'EACCES', 'EPERM'].includes(err.code)) continue;
      throw err;
    }
  }
  processes.sort((a, b) => a.pid - b.pid);
  return { processes };
}

function runTools(outDir) {
  const runs = [];
  for (const [stem, cmd, args] of TOOLS) {
    const outFile = path.join(outDir, `${stem}.txt`);
    const errFile = path.join(outDir, `${stem}.stderr.txt`);
    const outFd = openSync(outFile, 'w');
    const errFd = openSync(errFile, 'w');
    let r;
    try {
      // Files, not pipes: pipes would be extra AF_UNIX socketpairs showing up in `ss -x`.
      r = spawnSync(cmd, args, { stdio: ['ignore', outFd, errFd], env: { ...process.env, LC_ALL: 'C' } });
    } finally {
      closeSync(outFd);
      closeSync(errFd);
    }
    if (statSync(errFile).size === 0) unlinkSync(errFile);
    runs.push({
      command: `LC_ALL=C ${cmd} ${args.join(' ')}`,
      output: `${stem}.txt`,
      stderr: existsSync(errFile) ? `${stem}.stderr.txt` : null,
      exit_status: r.status,
      error: r.error ? r.error.message : null,
    });
  }
  return runs;
}

// A deliberately small reader, only for the self-check printed at the end (not the project's parser).
function inetRows(buf) {
  const lines = buf.toString('latin1').split('\n').slice(1).filter(Boolean);
  return lines.map((line) => {
    const t = line.trim().split(/ +/);
    const [, lport] = t[1].split(':');
    const [, rport] = t[2].split(':');
    return { lport: Number.parseInt(lport, 16), rport: Number.parseInt(rport, 16), st: t[3], inode: t[9], t };
  });
}

const UNIX_RECORD =
  /^([0-9A-Fa-f]+|\(_*ptrval_*\)): ([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{4}) ([0-9A-F]{2}) +(\d+)(?: (.*))?$/;

function unixRows(buf) {
  const rows = [];
  for (const line of buf.toString('latin1').split('\n').slice(1)) {
    const m = UNIX_RECORD.exec(line);
    if (m) rows.push({ flags: m[4], type: m[5], st: m[6], inode: m[7], path: m[8] ?? null });
    else if (rows.length > 0 && line !== '') rows.at(-1).path += `\n${line}`;
  }
  return rows;
}

function selfCheck(tables, manifest) {
  const problems = [];
  const summary = {};
  for (const name of ['tcp', 'tcp6']) {
    if (!tables.has(name)) continue;
    const counts = {};
    for (const row of inetRows(tables.get(name))) {
      const key = `${row.st} ${TCP_STATE_NAMES[row.st] ?? '?'}${row.t.length === 12 ? (row.t[5].startsWith('03') ? ' (timewait sock)' : ' (request sock)') : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    summary[name] = counts;
  }
  const parsed = new Map();
  for (const [name, buf] of tables) {
    if (INET_TABLES.has(name)) parsed.set(name, inetRows(buf));
    else if (name === 'unix') parsed.set(name, unixRows(buf));
    else if (name === 'packet' || name === 'netlink') {
      parsed.set(
        name,
        buf
          .toString('latin1')
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map((l) => ({ inode: l.trim().split(/ +/).at(-1) })),
      );
    }
  }
  for (const e of manifest.sockets) {
    const exp = e.expect ?? {};
    if (exp.absent) {
      for (const [name, rows] of parsed) {
        if (e.inode && rows.some((r) => r.inode === String(e.inode))) problems.push(`${e.label}: present in ${name}`);
      }
      continue;
    }
    if (!e.table) continue;
    const rows = parsed.get(e.table);
    if (!rows) {
      problems.push(`${e.label}: table ${e.table} missing`);
      continue;
    }
    let row;
    if (e.inode) row = rows.find((r) => r.inode === String(e.inode));
    else if (INET_TABLES.has(e.table)) row = rows.find((r) => r.lport === e.local?.port && r.rport === e.peer?.port);
    else if (e.table === 'unix') row = rows.find((r) => r.inode === '0' && r.st === exp.St);
    if (!row) {
      problems.push(`${e.label}: not found in ${e.table}`);
      continue;
    }
    const want = exp.st ?? exp.St;
    if (want && row.st !== want) problems.push(`${e.label}: st ${row.st}, expected ${want}`);
  }
  return { summary, problems };
}

async function inner([outDir, tmp, hostNs]) {
  const ownNs = readlinkSync('/proc/self/ns/net');
  if (ownNs === hostNs) die('not in a private network namespace');

  const lo = spawnSync('ip', ['link', 'set', 'lo', 'up'], { stdio: 'inherit' });
  if (lo.status !== 0) die('ip link set lo up failed');
  // Per-namespace sysctl: allow ICMP "ping" sockets for gid 0 (default "1 0" = nobody).
  writeFileSync('/proc/sys/net/ipv4/ping_group_range', '0 0\n');

  const driverManifest = path.join(tmp, 'sockets.json');
  const driver = startDriver(tmp, driverManifest);
  let failed = null;
  try {
    const t0 = performance.now();
    await driver.ready;
    const setupMs = performance.now() - t0;
    await sleep(WAIT_MS);

    const capturedAt = new Date().toISOString();
    const t1 = performance.now();
    const tables = readTables();
    const procReadMs = performance.now() - t1;
    const fds = collectFds(ownNs);
    const t2 = performance.now();
    const toolRuns = runTools(outDir);
    const toolsMs = performance.now() - t2;

    mkdirSync(path.join(outDir, 'net'), { recursive: true });
    for (const [name, buf] of tables) writeFileSync(path.join(outDir, 'net', name), buf);
    writeFileSync(path.join(outDir, 'fds.json'), `${JSON.stringify(fds, null, 2)}\n`);

    const drv = JSON.parse(readFileSync(driverManifest, 'utf8'));
    const sockets = drv.sockets;
    // Any other socket held by a process in the namespace (e.g. our stdio socketpair with the driver).
    const known = new Set(sockets.filter((s) => s.inode).map((s) => String(s.inode)));
    const unixInodes = new Set(tables.has('unix') ? unixRows(tables.get('unix')).map((r) => r.inode) : []);
    for (const p of fds.processes) {
      for (const { fd, link } of p.fds) {
        const inode = link.slice(8, -1);
        if (known.has(inode)) continue;
        known.add(inode);
        const why =
          p.pid === process.pid
            ? 'capture.mjs itself: stdio socketpair with capture-sockets.py'
            : 'not opened by capture-sockets.py';
        sockets.push({
          label: `harness: fd ${fd} of ${p.comm} pid ${p.pid} (${why})`,
          table: unixInodes.has(inode) ? 'unix' : null,
          inode: Number(inode),
          fd,
          pid: p.pid,
          harness: true,
        });
      }
    }
    const manifest = {
      generator: 'scripts/capture.mjs (sockets opened by scripts/capture-sockets.py)',
      socket_driver_pid: drv.pid,
      port_plan: {
        tcp4: '40001-40042 (scenario n = port 40000+n)',
        tcp6: '40301-40340 (same scenario offsets, port 40300+n)',
        tcp_mixed_v4_v6: '40401-40403',
        udp4: '40101-40105',
        udp6: '40131-40135',
        udplite: '40161-40162 (v4), 40171-40172 (v6)',
        icmp_ping_idents: '40201 (v4), 40202 (v6)',
        raw_protocols: '1, 255, 253 (v4); 58, 253 (v6)',
        unix_tmpdir: tmp,
      },
      sockets,
      warnings: drv.warnings,
      failures: drv.failures,
    };
    writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);

    const env = {
      kernel_release: os.release(),
      uname: firstLine('uname', ['-a']),
      machine: os.machine(),
      byte_order: os.endianness() === 'LE' ? 'little' : 'big',
      user_hz: Number(firstLine('getconf', ['CLK_TCK'])),
      kptr_restrict: Number(readFileSync('/proc/sys/kernel/kptr_restrict', 'utf8').trim()),
      euid: process.geteuid(),
      captured_at: capturedAt,
      private_netns: ownNs !== hostNs,
      netns: { capture: ownNs, host: hostNs },
      sysctl_set_in_capture_netns: { 'net.ipv4.ping_group_range': '0 0' },
      sysctl: Object.fromEntries(
        [
          'net/ipv4/tcp_fin_timeout',
          'net/ipv4/tcp_fastopen',
          'net/ipv4/tcp_syn_linear_timeouts',
          'net/ipv4/tcp_rmem',
          'net/ipv4/tcp_wmem',
        ]
          .filter((k) => existsSync(`/proc/sys/${k}`))
          .map((k) => [k.replaceAll('/', '.'), readFileSync(`/proc/sys/${k}`, 'utf8').trim()]),
      ),
      tools: {
        node: process.version,
        python3: firstLine('python3', ['--version']),
        ss: firstLine('ss', ['-V']),
        netstat: firstLine('netstat', ['-V']),
      },
      tool_runs: toolRuns,
      tables_captured: [...tables.keys()],
      tables_missing: TABLES.filter((t) => !tables.has(t)),
      timing: {
        socket_setup_ms: Math.round(setupMs),
        wait_before_copy_ms: WAIT_MS,
        proc_read_ms: Number(procReadMs.toFixed(2)),
        tools_ms: Math.round(toolsMs),
      },
    };
    writeFileSync(path.join(outDir, 'env.json'), `${JSON.stringify(env, null, 2)}\n`);

    const { summary, problems } = selfCheck(tables, manifest);
    for (const [name, counts] of Object.entries(summary)) {
      log(
        `${name}: ${Object.entries(counts)
          .sort()
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')}`,
      );
    }
    for (const w of drv.warnings) log(`driver warning: ${w}`);
    for (const f of drv.failures) log(`driver FAILURE in ${f.scenario}: ${f.error}`);
    for (const p of problems) log(`check: ${p}`);
    log(`${sockets.length} manifest entries, ${problems.length} check problem(s), ${drv.failures.length} failure(s)`);
  } catch (err) {
    failed = err;
  } finally {
    const r = await stopDriver(driver);
    if (!failed && r && r.status !== 0) failed = new Error(`socket driver exit status ${r.status} (${r.signal})`);
  }
  if (failed) die(failed.stack ?? String(failed));
}

// ------------------------------------------------------------------------------------------------ main

const args = process.argv.slice(2);
if (args[0] === INNER) await inner(args.slice(1));
else await outer(args);
