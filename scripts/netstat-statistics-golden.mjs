#!/usr/bin/env node
// Writes fixtures/<capture>/netstat-s/*.txt: what the real net-tools `netstat -s` prints for the capture's own
// counter files (net/snmp, net/netstat, net/snmp6). netstat reads only /proc, so each run happens in a private mount
// namespace (`unshare -m`) where a folder holding just those three files is bound over /proc. Run as root:
//
//   node scripts/netstat-statistics-golden.mjs
//
// Nothing outside that namespace sees the mount; the temporary folder is removed. Only node: modules are used.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = new URL('../fixtures/', import.meta.url).pathname;
const RUNS = { 's.txt': '-s', 's6.txt': '-s -6', 'st.txt': '-st', 'su.txt': '-su', 'sw.txt': '-sw' };
const version = spawnSync('netstat', ['-V'], { encoding: 'utf8' }).stdout.split('\n')[0];
// A derived capture (the big-endian copy) has the same counter files: its output would be a copy.
const seen = new Set();

for (const capture of readdirSync(root)) {
  const net = path.join(root, capture, 'net');
  if (!existsSync(path.join(net, 'snmp'))) continue;
  const counters = ['snmp', 'netstat', 'snmp6']
    .map((file) => (existsSync(path.join(net, file)) ? readFileSync(path.join(net, file), 'latin1') : ''))
    .join('\0');
  if (seen.has(counters)) {
    console.log(`${capture}: same counter files as a capture above, skipped`);
    continue;
  }
  seen.add(counters);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'procnet-golden-'));
  try {
    mkdirSync(path.join(tmp, 'net'));
    for (const file of ['snmp', 'netstat', 'snmp6']) {
      if (existsSync(path.join(net, file))) copyFileSync(path.join(net, file), path.join(tmp, 'net', file));
    }
    const out = path.join(root, capture, 'netstat-s');
    mkdirSync(out, { recursive: true });
    for (const [name, args] of Object.entries(RUNS)) {
      const r = spawnSync(
        'unshare',
        ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind "$0" /proc && LC_ALL=C exec netstat ${args}`, tmp],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`netstat ${args} on ${capture}: ${r.status} ${r.stderr}`);
      writeFileSync(path.join(out, name), r.stdout);
      console.log(
        `${capture}/netstat-s/${name}: netstat ${args}, ${r.stdout.split('\n').length - 1} lines (${version})`,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
