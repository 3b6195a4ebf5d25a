/**
 * `procnet snapshot` as root is a write into the file system that must never be turned against it: the attack of
 * a second user planting links in a shared folder while root snapshots into it, a full disk, targets that are not
 * safe, kernel file systems. And a snapshot that was cut short says so when it is read back.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CLI, procnet } from './helpers.js';

const IS_ROOT = process.geteuid?.() === 0;
const NOBODY = 65534;
const TIMEOUT = 60_000;
const can = (cmd: string, args: string[]) => spawnSync(cmd, args).status === 0;
const CAN_SETPRIV = IS_ROOT && can('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
const CAN_MOUNT = IS_ROOT && can('unshare', ['-m', '--propagation', 'private', 'true']);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'procnet-snap-safety-'));
  chmodSync(tmp, 0o755);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const mode = (path: string) => lstatSync(path).mode & 0o7777;

/** Every path under `dir`, relative. */
function tree(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    out.push(name);
    if (lstatSync(join(dir, name)).isDirectory()) for (const sub of tree(join(dir, name))) out.push(`${name}/${sub}`);
  }
  return out.sort();
}

describe.skipIf(!BUILT)('procnet snapshot: private and complete', () => {
  it('writes a folder only its owner can read (0700, files 0600), with the size of every file in env.json', () => {
    const dir = join(tmp, 'private', 'deeper', 'snap');
    const r = procnet(['snapshot', dir], {}, TIMEOUT);
    expect(r.status, r.stderr).toBe(0);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(tmp, 'private'))).toBe(0o700);
    const files = tree(dir);
    expect(files).toContain('net/tcp');
    expect(files).toContain('fds.json');
    expect(files).not.toContain('INCOMPLETE');
    for (const f of files) {
      const st = lstatSync(join(dir, f));
      expect(st.isDirectory() || st.isFile(), f).toBe(true);
      expect(mode(join(dir, f)), f).toBe(st.isDirectory() ? 0o700 : 0o600);
      expect(st.uid).toBe(process.geteuid?.());
    }
    const env = JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'));
    expect(env.complete).toBe(true);
    for (const f of files.filter((x) => x !== 'env.json' && x !== 'net')) {
      expect(env.files[f], f).toEqual({ bytes: lstatSync(join(dir, f)).size });
    }
    // Nothing else was left beside it.
    expect(readdirSync(join(tmp, 'private', 'deeper'))).toEqual(['snap']);
    const back = procnet(['--root', dir, '-tuanx'], {}, TIMEOUT);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stderr).not.toMatch(/incomplete|cut short/);
  });

  it('says so when a snapshot read back was not finished, lost a file or had one cut short', () => {
    const dir = join(tmp, 'cut');
    expect(procnet(['snapshot', dir], {}, TIMEOUT).status).toBe(0);
    const tcp = join(dir, 'net', 'tcp');
    const size = lstatSync(tcp).size;
    truncateSync(tcp, 150); // the header line of a tcp table: rows gone, nothing that does not parse
    unlinkSync(join(dir, 'net', 'udp'));
    writeFileSync(join(dir, 'INCOMPLETE'), '');
    for (const view of [['-tuanx'], ['-tuanx', '--json'], ['-tuanx', '--ndjson'], ['--summary'], ['-s']]) {
      const r = procnet(['--root', dir, ...view], {}, TIMEOUT);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `procnet: ${dir} holds INCOMPLETE: this procnet snapshot was not finished, so tables may be missing or cut short`,
      );
      expect(r.stderr).toContain(
        `procnet: ${tcp} has 150 bytes where the snapshot wrote ${size}: this dump was cut short or changed`,
      );
      expect(r.stderr).toContain(
        `procnet: ${join(dir, 'net', 'udp')} is missing, but the snapshot wrote it: this dump is incomplete`,
      );
    }
  });

  it('refuses targets that are not a new or empty folder of its own that nobody else can write', () => {
    const folder = (p: string, then: () => void) => {
      mkdirSync(p);
      then();
    };
    const cases: Array<[string, (p: string) => void, RegExp]> = [
      ['full', (p) => folder(p, () => writeFileSync(join(p, 'x'), 'x')), /is not empty/],
      ['file', (p) => writeFileSync(p, 'x'), /exists and is not a folder/],
      ['link', (p) => symlinkSync(join(tmp, 'elsewhere'), p), /exists and is not a folder/],
      ['open', (p) => folder(p, () => chmodSync(p, 0o777)), /can be written by other users/],
    ];
    if (IS_ROOT) {
      cases.push([
        'theirs',
        (p) => folder(p, () => chownSync(p, NOBODY, NOBODY)),
        /belongs to another user \(uid 65534\)/,
      ]);
    }
    for (const [name, make, message] of cases) {
      const p = join(tmp, `target-${name}`);
      make(p);
      const r = procnet(['snapshot', p], {}, TIMEOUT);
      expect(r.status, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
    expect(existsSync(join(tmp, 'elsewhere'))).toBe(false);
    // A folder on the way that others can write (not sticky): they could swap it for a link.
    const shared = join(tmp, 'shared-open');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const r = procnet(['snapshot', join(shared, 'snap')], {}, TIMEOUT);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${shared} can be written by other users (and is not sticky)`);
    expect(readdirSync(shared)).toEqual([]);
  });

  it('refuses /proc and /sys at once with a clear message (no endless mkdir, no "run as root")', () => {
    for (const [target, fs] of [
      ['/proc/procnet-snapshot-test', 'procfs'],
      ['/proc/self/net/x/y', 'procfs'],
      ['/sys/procnet-snapshot-test', 'sysfs'],
    ]) {
      const r = procnet(['snapshot', target as string], {}, 10_000);
      expect(r.signal, target).toBeNull();
      expect(r.status, target).toBe(1);
      expect(r.stderr).toContain(
        `procnet: ${target} is on ${fs}, a kernel file system: a snapshot must be written to an ordinary folder`,
      );
      expect(r.stderr).not.toMatch(/run as root/);
    }
  });
});

describe.skipIf(!BUILT || !CAN_MOUNT)('procnet snapshot on a full disk (a small tmpfs, in a mount namespace)', () => {
  it('fails with a clear message and leaves nothing behind', () => {
    const mnt = mkdtempSync(join(tmp, 'mnt-'));
    const script = `mount -t tmpfs -o size=32k tmpfs "$1" && "$2" "$3" snapshot "$1/snap"; echo "rc=$?"; ls -A "$1"`;
    const r = spawnSync(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', mnt, process.execPath, CLI],
      {
        encoding: 'utf8',
        timeout: TIMEOUT,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('rc=1'); // and `ls -A` printed nothing: no snapshot, no half-written folder
    expect(r.stderr).toContain(
      `procnet: cannot write ${mnt}/snap (no space left on the device); nothing was left behind`,
    );
  });
});

/**
 * Runs the attacker as `nobody` for `ms`: it keeps an empty, world-writable `shared/snap` ready, and as soon as a
 * `net` folder appears in it (the snapshot has started writing there) plants `env.json` and `fds.json` links to
 * `victim`; it also tries the same in any hidden folder beside it (root's own folder: refused). It prints how many
 * rounds it ran and how many links it planted.
 */
function attacker(shared: string, victim: string, ms: number): Promise<{ rounds: number; planted: number }> {
  const code = `
const fs = require('node:fs');
const path = require('node:path');
const [shared, victim, ms] = process.argv.slice(1);
const snap = path.join(shared, 'snap');
const pause = new Int32Array(new SharedArrayBuffer(4));
const end = Date.now() + Number(ms);
let rounds = 0;
let planted = 0;
while (Date.now() < end) {
  rounds++;
  try { fs.mkdirSync(snap, 0o777); fs.chmodSync(snap, 0o777); } catch {}
  const dirs = [snap, ...fs.readdirSync(shared).filter((n) => n.startsWith('.snap')).map((n) => path.join(shared, n))];
  for (const d of dirs) {
    let net = false;
    try { net = fs.statSync(path.join(d, 'net')).isDirectory(); } catch {}
    if (!net) continue;
    for (const n of ['env.json', 'fds.json']) {
      try { fs.symlinkSync(victim, path.join(d, n)); planted++; } catch {}
    }
  }
  Atomics.wait(pause, 0, 0, 0.1);
}
console.log(JSON.stringify({ rounds, planted }));
`;
  const child = spawn(
    'setpriv',
    ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', code, shared, victim, String(ms)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (status) =>
      status === 0 ? resolve(JSON.parse(out)) : reject(new Error(`attacker exited ${status}`)),
    ),
  );
}

describe.skipIf(!BUILT || !CAN_SETPRIV)('procnet snapshot against another user planting links (as root)', () => {
  it('never writes through their links, whether or not they made the folder first', async () => {
    const victimDir = mkdtempSync(join(tmp, 'victim-'));
    const victim = join(victimDir, 'precious');
    writeFileSync(victim, 'ORIGINAL\n');
    chmodSync(victimDir, 0o755);
    chmodSync(victim, 0o644);
    for (const prepare of ['attacker first', 'root first']) {
      const shared = mkdtempSync(join(tmp, 'shared-'));
      chmodSync(shared, 0o1777);
      const results: Array<{ status: number | null; stderr: string }> = [];
      if (prepare === 'root first') {
        // Root's own empty folder, made before the attacker starts: taken, and the attacker cannot touch it.
        mkdirSync(join(shared, 'snap'), 0o700);
      }
      const attack = attacker(shared, victim, 4000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let i = 0; i < 6; i++) {
        const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
          const p = spawn(process.execPath, [CLI, 'snapshot', join(shared, 'snap')], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          p.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
          });
          p.once('close', (status) => resolve({ status, stderr }));
        });
        results.push(r);
      }
      const { rounds } = await attack;
      expect(rounds).toBeGreaterThan(100); // the attacker really ran, all along
      expect(readFileSync(victim, 'utf8'), prepare).toBe('ORIGINAL\n');
      expect(lstatSync(victim).isFile()).toBe(true);
      for (const r of results) {
        if (r.status === 0) continue;
        expect(r.status, r.stderr).toBe(1);
        expect(r.stderr).toMatch(
          /belongs to another user|is not empty|exists and is not a folder|can be written by other users|appeared meanwhile/,
        );
      }
      // Whatever is at the target now: either the attacker's, or root's private snapshot, never a mix.
      const snap = join(shared, 'snap');
      const st = lstatSync(snap);
      if (st.uid === 0 && st.isDirectory() && readdirSync(snap).length > 0) {
        expect(mode(snap)).toBe(0o700);
        for (const f of tree(snap)) expect(lstatSync(join(snap, f)).isSymbolicLink(), f).toBe(false);
      }
      // No half-written folder of root's was left beside it.
      for (const n of readdirSync(shared))
        if (n.startsWith('.snap')) expect(lstatSync(join(shared, n)).uid).not.toBe(0);
      if (prepare === 'root first') expect(results.some((r) => r.status === 0)).toBe(true);
    }
  });
});
